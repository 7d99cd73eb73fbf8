// Pull-request checks in the demo workspace, made as CI makes them: a clone of the repository
// with a PR branch on top, read by the CLI's own collection (lib/checks/collect.ts) and judged
// by the checks.run operation. Each runs once per workspace.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { collectCheck } from "@/lib/checks/collect";
import { db } from "@/lib/db";
import { runCheck } from "@/lib/operations/checks";

/** A pull request as CI would check it: files written (or deleted, null) on a branch from the repository's head. */
interface DemoPullRequest {
  repository: string;
  number: number;
  branch: string;
  message: string;
  edit: (dir: string) => void;
}

const write = (dir: string, file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};

const PULL_REQUESTS: DemoPullRequest[] = [
  {
    // Fails: a new requirement in the owned checkout spec that nobody approved yet.
    repository: "payments-service",
    number: 42,
    branch: "partial-captures",
    message: "spec(001-checkout): partial captures",
    edit: (dir) =>
      fs.appendFileSync(
        path.join(dir, "specs/001-checkout/spec.md"),
        "\n### FR-009: Partial captures\n\n- WHEN a provider captures less than was authorised THE SYSTEM SHALL record the captured amount and release the rest.\n",
      ),
  },
  {
    // Passes with a warning: checkout code changes while the spec that governs it stays as it was.
    repository: "orders-service",
    number: 17,
    branch: "order-notes",
    message: "feat(checkout): keep the customer's note on the order",
    edit: (dir) =>
      write(
        dir,
        "src/orders/checkout/order-note.ts",
        'export function orderNote(note: string | undefined): string | null {\n  const trimmed = note?.trim() ?? "";\n  return trimmed.length > 0 ? trimmed.slice(0, 500) : null;\n}\n',
      ),
  },
];

export async function seedDemoChecks(opts: { log?: (message: string) => void } = {}) {
  const author = await db.user.findUnique({ where: { email: "maya.maintainer@specledger.local" }, select: { id: true, email: true, role: true } });
  if (!author) return;
  for (const pr of PULL_REQUESTS) {
    const repo = await db.repository.findUnique({ where: { name: pr.repository }, select: { id: true, source: true, headCommit: true } });
    if (!repo?.headCommit || (await db.check.count({ where: { repositoryId: repo.id, pullRequest: pr.number } })) > 0) continue;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-demo-pr-"));
    try {
      const git = (...args: string[]) =>
        // The operator's own git settings (signing, hooks) are not the demo's business.
        execFileSync(
          "git",
          [
            "-c",
            "user.name=Maya Maintainer",
            "-c",
            "user.email=maya.maintainer@specledger.local",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.hooksPath=/dev/null",
            ...args,
          ],
          {
            cwd: dir,
            encoding: "utf8",
          },
        ).trim();
      execFileSync("git", ["clone", "-q", repo.source, dir]);
      git("checkout", "-q", "-b", pr.branch, repo.headCommit);
      pr.edit(dir);
      git("add", "-A");
      git("commit", "-q", "-m", pr.message);
      const head = git("rev-parse", "HEAD");
      const collected = await collectCheck(dir, { base: repo.headCommit, head });
      const result = await runCheck(author, { repository: pr.repository, base: repo.headCommit, head, pullRequest: pr.number, ...collected });
      const items = result.files.flatMap((f) => f.items).length;
      opts.log?.(`${pr.repository}: checked PR #${pr.number} as CI would (${result.verdict}, ${items} item${items === 1 ? "" : "s"})`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
