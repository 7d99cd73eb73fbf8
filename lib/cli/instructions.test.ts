import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createToken } from "@/lib/operations/workspace";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { isolatedCli } from "@/lib/testing/cli";
import { serveRoutes } from "@/lib/testing/serve-api";
import { formatEffectiveInstructions } from "./commands/instructions";

const cli = isolatedCli();
const cleanup: (() => void)[] = [cli.remove];
afterAll(() => cleanup.forEach((f) => f()));

const specledger = cli.run;

let api: string;
let token: string;
let repoName: string;

beforeAll(async () => {
  const routes = [
    [/^\/api\/v1\/repositories$/, await import("@/app/api/v1/repositories/route")],
    [/^\/api\/v1\/repositories\/(?<id>[^/]+)\/instructions$/, await import("@/app/api/v1/repositories/[id]/instructions/route")],
  ] as never;
  const served = await serveRoutes(routes);
  cleanup.push(served.close);
  api = served.url;
  const viewer = await db.user.create({
    data: { email: `${randomName("viewer")}@cli-instructions.test`, name: "viewer", role: "viewer" },
    select: { id: true, email: true, role: true },
  });
  token = (await createToken(viewer, { name: "cli", scopes: ["specs:read"], expiresInDays: 1 })).token;
  const repo = TestRepo.create();
  cleanup.push(() => repo.remove());
  repo.commit("agents", {
    "AGENTS.md": "# Root\nUse pnpm.\n",
    "services/billing/AGENTS.md": "# Billing\n" + "Amounts are in minor units.\n".repeat(1300) + "## Refunds\nNever refund twice.\n",
    "services/billing/pay.ts": "export {};\n",
    "web/AGENTS.md": "# Web\nUse React.\n",
  });
  repoName = randomName("cli-instructions");
  const { id } = await db.repository.create({ data: { name: repoName, source: repo.path } });
  await importRepository({ repositoryId: id });
});

describe("specledger instructions", () => {
  it("prints what Codex sees in services/billing, with the cut, and exits 1 because text is lost", async () => {
    const r = await specledger(["instructions", "--agent", "codex", "--path", "services/billing", "--repository", repoName, "--server", api, "--token", token]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("What Codex sees in services/billing/");
    expect(r.stdout).toMatch(/1\. AGENTS\.md .*\[loaded\]/);
    expect(r.stdout).toMatch(/2\. services\/billing\/AGENTS\.md .*\[truncated\]/);
    expect(r.stdout).toContain("(## Refunds)");
  });

  it("answers --format json and exits 0 when everything loads", async () => {
    const r = await specledger([
      "instructions",
      "--agent",
      "codex",
      "--path",
      "web",
      "--repository",
      repoName,
      "--server",
      api,
      "--token",
      token,
      "--format",
      "json",
    ]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.entries.map((e: { path: string }) => e.path)).toEqual(["AGENTS.md", "web/AGENTS.md"]);
  });

  it("exits 2 for an unknown agent or a path outside the repository, 6 for an unknown directory or repository", async () => {
    const base = ["--repository", repoName, "--server", api, "--token", token];
    expect((await specledger(["instructions", "--agent", "vim", ...base])).code).toBe(2);
    expect((await specledger(["instructions", "--agent", "codex", "--path", "../etc", ...base])).code).toBe(2);
    expect((await specledger(["instructions", "--agent", "codex", "--path", "nowhere", ...base])).code).toBe(6);
    expect((await specledger(["instructions", "--agent", "codex", "--repository", randomName("none"), "--server", api, "--token", token])).code).toBe(6);
  }, 180_000);
});

describe("formatEffectiveInstructions", () => {
  it("says so when nothing loads", () => {
    const text = formatEffectiveInstructions({
      agent: { id: "junie", name: "Junie", precedence: "One file.", notes: [], docs: [] },
      directory: "",
      headCommit: "abcdef0123456789",
      entries: [],
      skipped: [],
      problems: [],
      budget: null,
      totals: { files: 0, bytes: 0, chars: 0, loadedBytes: 0, tokens: 0 },
    });
    expect(text).toContain("What Junie sees in the repository root (head abcdef012345)");
    expect(text).toContain("No instruction file loads here.");
  });
});
