// `specledger check` end to end: the real CLI in a child process, in a real clone with a
// PR-like base and head, against the real route handlers served over HTTP, for each verdict.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { setTicketPolicy } from "@/lib/operations/checks";
import { decideChange, proposeChange } from "@/lib/operations/reviews";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { isolatedCli } from "@/lib/testing/cli";
import { freePort } from "@/lib/testing/ports";
import { serveRoutes } from "@/lib/testing/serve-api";
import { createToken } from "@/lib/operations/workspace";

// A clean CI environment: no GitHub or GitLab variables leak in from wherever the tests run.
const cli = isolatedCli({ env: { GITHUB_ACTIONS: "", GITLAB_CI: "", GITHUB_STEP_SUMMARY: "" } });
const cleanup: (() => void)[] = [cli.remove];
afterAll(() => cleanup.forEach((f) => f()));

const specledger = cli.run;

const SPEC_V1 = "# Checkout\n\n### FR-001: Pay\n\n- WHEN the customer pays THE SYSTEM SHALL charge the card.\n";
const SPEC_V2 = "# Checkout\n\n### FR-001: Pay\n\n- WHEN the customer pays THE SYSTEM SHALL charge the card once.\n";
const DUPLICATE_IDS =
  "# Refunds\n\n### FR-001: Refund\n\n- WHEN asked THE SYSTEM SHALL refund.\n\n### FR-001: Refund again\n\n- WHEN asked twice THE SYSTEM SHALL refuse.\n";

let api: string;
let ciToken: string;
let readOnlyToken: string;
let upstream: TestRepo;
let repoName: string;
let repositoryId: string;
let base: string;
let maintainer: { id: string; email: string; role: "maintainer" };
let reviewer: { id: string; email: string; role: "reviewer" };
let specId: string;

beforeAll(async () => {
  const server = await serveRoutes([
    [/^\/api\/v1\/checks$/, await import("@/app/api/v1/checks/route")],
    [/^\/api\/v1\/checks\/contents$/, await import("@/app/api/v1/checks/contents/route")],
    [/^\/api\/v1\/checks\/(?<id>[^/]+)$/, await import("@/app/api/v1/checks/[id]/route")],
  ]);
  api = server.url;
  cleanup.push(server.close);
  maintainer = (await db.user.create({
    data: { email: `${randomName("m")}@check.test`, name: "m", role: "maintainer" },
    select: { id: true, email: true, role: true },
  })) as typeof maintainer;
  reviewer = (await db.user.create({
    data: { email: `${randomName("r")}@check.test`, name: "r", role: "reviewer" },
    select: { id: true, email: true, role: true },
  })) as typeof reviewer;
  ciToken = (await createToken(maintainer, { name: "ci", scopes: ["checks:write"], expiresInDays: 1 })).token;
  readOnlyToken = (await createToken(maintainer, { name: "read", scopes: ["specs:read"], expiresInDays: 1 })).token;

  upstream = TestRepo.create();
  cleanup.push(() => upstream.remove());
  base = upstream.commit("base", {
    "specs/checkout/spec.md": SPEC_V1,
    "src/app.ts": "export {};\n",
    // A spec that says what code it governs, and an agent file that names a document.
    "specs/billing/spec.md": "---\ngoverns:\n  - src/billing/**\n---\n# Billing\n\n- WHEN an invoice is due THE SYSTEM SHALL charge the card.\n",
    "src/billing/charge.ts": "export {};\n",
    "AGENTS.md": "# Agents\n\nRead `docs/setup.md` before you start.\n",
    "docs/setup.md": "# Setup\n",
  });
  repoName = randomName("check");
  repositoryId = (await db.repository.create({ data: { name: repoName, source: upstream.path } })).id;
  await importRepository({ repositoryId });
  specId = (await db.spec.findFirstOrThrow({ where: { repositoryId, path: "specs/checkout/spec.md" } })).id;
  // The checkout spec is owned; everything else in the repository is not.
  await db.ownershipRule.create({ data: { repositoryId, position: 1, pattern: "/specs/checkout/", owners: ["@payments"], source: "manual" } });
});

/** A clone (like CI's checkout) of `upstream` with a PR branch holding `files` on top of base. */
function pullRequest(files: Record<string, string | null>): { dir: string; head: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-pr-"));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  execFileSync("git", ["clone", "-q", upstream.path, dir]);
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=PR", "-c", "user.email=pr@example.com", ...args], { cwd: dir, encoding: "utf8" }).trim();
  git("checkout", "-q", "-b", randomName("pr"), base);
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    if (content === null) fs.rmSync(full);
    else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content);
    }
  }
  git("add", "-A");
  git("commit", "-q", "-m", "pr");
  return { dir, head: git("rev-parse", "HEAD") };
}

const checkArgs = (head: string, ...more: string[]) => ["check", "--base", base, "--head", head, "--server", api, "--token", ciToken, ...more];

describe("specledger check", () => {
  it("passes when the owned spec's new content is approved in Specledger, matching the repository by the checkout's remote", async () => {
    const change = await proposeChange(maintainer, { specId, content: SPEC_V2, title: "Charge once" });
    await decideChange(reviewer, { number: change.number, kind: "approve", contentHash: change.currentHash });
    const pr = pullRequest({ "specs/checkout/spec.md": SPEC_V2 });
    const run = await specledger([...checkArgs(pr.head, "--format", "json", "--pull-request", "12")], {}, { cwd: pr.dir });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ verdict: "pass", pullRequest: 12, repository: { id: repositoryId }, summary: { files: 1, blocking: 0 } });
    expect(result.files[0]).toMatchObject({
      path: "specs/checkout/spec.md",
      status: "modified",
      owners: ["@payments"],
      approval: { state: "approved", via: "change", change: change.number },
    });

    // Stored, and readable through the API by whoever may read repositories.
    const stored = await db.check.findUniqueOrThrow({ where: { id: result.id } });
    expect(stored).toMatchObject({ repositoryId, pullRequest: 12, base, head: pr.head, verdict: "pass" });
    const { GET } = await import("@/app/api/v1/checks/[id]/route");
    const read = await GET(new NextRequest(`http://localhost/api/v1/checks/${result.id}`, { headers: { authorization: `Bearer ${readOnlyToken}` } }), {
      params: Promise.resolve({ id: result.id }),
    });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: result.id, verdict: "pass" });
    // The CI token runs checks and nothing else: it cannot read one back.
    const refused = await GET(new NextRequest(`http://localhost/api/v1/checks/${result.id}`, { headers: { authorization: `Bearer ${ciToken}` } }), {
      params: Promise.resolve({ id: result.id }),
    });
    expect(refused.status).toBe(403);
    const unknown = await GET(new NextRequest("http://localhost/api/v1/checks/nope", { headers: { authorization: `Bearer ${readOnlyToken}` } }), {
      params: Promise.resolve({ id: "nope" }),
    });
    expect(unknown.status).toBe(404);
  });

  it("fails on an unapproved change to an owned spec, and links the open change that would approve it", async () => {
    const content = `${SPEC_V1}\n- WHEN the card is declined THE SYSTEM SHALL say so.\n`;
    const pending = await proposeChange(maintainer, { specId, content, title: "Declines" });
    const pr = pullRequest({ "specs/checkout/spec.md": content });
    const run = await specledger(checkArgs(pr.head, "--repository", repoName), {}, { cwd: pr.dir });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/: FAIL\n/);
    expect(run.stdout).toContain(`${api}/changes/${pending.number}`);
    expect(run.stdout).toContain("[unapproved-owned]");
    const stored = await db.check.findFirstOrThrow({ where: { repositoryId, head: pr.head } });
    expect(stored.verdict).toBe("fail");
  });

  it("fails on a new lint error, and writes SARIF, annotations and the job summary inside GitHub Actions", async () => {
    const pr = pullRequest({ "specs/refunds/spec.md": DUPLICATE_IDS });
    const summary = path.join(pr.dir, "..", `${randomName("summary")}.md`);
    cleanup.push(() => fs.rmSync(summary, { force: true }));
    const sarifFile = path.join(pr.dir, "specledger.sarif");
    const run = await specledger(
      ["check", "--server", api, "--token", ciToken, "--repository", repoName, "--format", "sarif", "--output", sarifFile],
      // The defaults come from GitHub's variables: the base branch by name, as origin/<name>.
      {
        GITHUB_ACTIONS: "true",
        GITHUB_BASE_REF: upstream.git("rev-parse", "--abbrev-ref", "HEAD"),
        GITHUB_SHA: pr.head,
        GITHUB_REF: "refs/pull/31/merge",
        GITHUB_STEP_SUMMARY: summary,
      },
      { cwd: pr.dir },
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^::error file=specs\/refunds\/spec\.md,line=\d+,title=Specledger%3A spec-duplicate-requirement-id::/m);
    // Unowned and unapproved: annotated, not failed.
    expect(run.stdout).toMatch(/^::warning file=specs\/refunds\/spec\.md,title=Specledger%3A unapproved-unowned::/m);
    const sarif = JSON.parse(fs.readFileSync(sarifFile, "utf8"));
    expect(sarif.version).toBe("2.1.0");
    const results = sarif.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    expect(results).toContainEqual(expect.objectContaining({ ruleId: "spec-duplicate-requirement-id", level: "error" }));
    expect(results.every((r) => r.locations[0].physicalLocation.artifactLocation.uri === "specs/refunds/spec.md")).toBe(true);
    expect(fs.readFileSync(summary, "utf8")).toContain("## Specledger check: ❌ fail");
    expect(await db.check.findFirstOrThrow({ where: { repositoryId, head: pr.head } })).toMatchObject({ pullRequest: 31, verdict: "fail" });
  });

  it("does not blame the PR for a lint error the base already had", async () => {
    const pr = pullRequest({ "specs/refunds/spec.md": DUPLICATE_IDS });
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=PR", "-c", "user.email=pr@example.com", ...args], { cwd: pr.dir, encoding: "utf8" }).trim();
    fs.appendFileSync(path.join(pr.dir, "specs/refunds/spec.md"), "\nMore words.\n");
    git("commit", "-q", "-am", "more");
    const run = await specledger(
      ["check", "--base", pr.head, "--head", "HEAD", "--server", api, "--token", ciToken, "--repository", repoName, "--format", "json"],
      {},
      { cwd: pr.dir },
    );
    expect(run.code, run.stderr).toBe(0);
    const rules = JSON.parse(run.stdout).files[0].items.map((i: { rule: string }) => i.rule);
    expect(rules).not.toContain("spec-duplicate-requirement-id");
  });

  it("names the spec whose code the PR changes without it, and the reference its deletion breaks in a file it leaves alone", async () => {
    const pr = pullRequest({ "src/billing/charge.ts": "export const charge = 1;\n", "docs/setup.md": null });
    const run = await specledger(checkArgs(pr.head, "--repository", repoName, "--format", "json"), {}, { cwd: pr.dir });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.summary).toMatchObject({ files: 0, blocking: 0, warnings: 2 });
    expect(result.files).toEqual([
      expect.objectContaining({
        path: "AGENTS.md",
        status: "unchanged",
        approval: { state: "unchanged" },
        items: [
          expect.objectContaining({
            rule: "broken-reference",
            line: 3,
            message: expect.stringContaining("Names docs/setup.md, which this pull request deletes"),
          }),
        ],
      }),
      expect.objectContaining({
        path: "specs/billing/spec.md",
        status: "unchanged",
        items: [expect.objectContaining({ rule: "spec-drift", message: expect.stringContaining("src/billing/charge.ts, but not the spec") })],
      }),
    ]);
    const text = await specledger(checkArgs(pr.head, "--repository", repoName), {}, { cwd: pr.dir });
    expect(text.stdout).toContain("0 governed file(s) changed, 2 unchanged one(s) affected");
    expect(text.stdout).toContain("AGENTS.md [agent, unchanged]: not changed by this pull request");

    // A PR that updates the spec with its code, and keeps the document, is not told either.
    const kept = pullRequest({
      "src/billing/charge.ts": "export const charge = 2;\n",
      "specs/billing/spec.md": "---\ngoverns:\n  - src/billing/**\n---\n# Billing\n\n- WHEN an invoice is due THE SYSTEM SHALL charge the card twice.\n",
    });
    const quiet = JSON.parse((await specledger(checkArgs(kept.head, "--repository", repoName, "--format", "json"), {}, { cwd: kept.dir })).stdout);
    expect(quiet.files.filter((f: { status: string }) => f.status === "unchanged")).toEqual([]);
  });

  it("exits 3 when the server cannot be reached, and 0 with --allow-unreachable; a token without checks:write is refused", async () => {
    const pr = pullRequest({ "specs/checkout/spec.md": SPEC_V2 });
    const server = `http://127.0.0.1:${await freePort()}`;
    const down = await specledger(
      ["check", "--base", base, "--head", pr.head, "--server", server, "--token", ciToken, "--repository", repoName],
      {},
      { cwd: pr.dir },
    );
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/cannot be reached/);
    const allowed = await specledger(
      ["check", "--base", base, "--head", pr.head, "--server", server, "--token", ciToken, "--repository", repoName, "--allow-unreachable"],
      {},
      { cwd: pr.dir },
    );
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toMatch(/nothing was checked/);
    expect((await specledger(checkArgs(pr.head, "--repository", repoName, "--token", readOnlyToken), {}, { cwd: pr.dir })).code).toBe(4);
  });

  it("exits 3 on an answer that is not a check result (a proxy's page, a wrong shape), and 0 with --allow-unreachable", async () => {
    const pr = pullRequest({ "specs/checkout/spec.md": SPEC_V2 });
    // What a misconfigured proxy or another service at the URL answers: 200, but not a check.
    const answers = [
      { type: "text/html", body: "<html><body>Sign in</body></html>" },
      { type: "application/json", body: JSON.stringify({ verdict: "pass" }) },
    ];
    let next = 0;
    const wrong = http.createServer((_req, res) => {
      const answer = answers[next++ % answers.length];
      res.writeHead(200, { "content-type": answer.type }).end(answer.body);
    });
    await new Promise<void>((resolve) => wrong.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => wrong.close());
    const server = `http://127.0.0.1:${(wrong.address() as AddressInfo).port}`;
    const args = ["check", "--base", base, "--head", pr.head, "--server", server, "--token", ciToken, "--repository", repoName];
    for (let i = 0; i < answers.length; i++) {
      const refused = await specledger(args, {}, { cwd: pr.dir });
      expect(refused.code, refused.stderr).toBe(3);
      expect(refused.stdout).not.toMatch(/PASS/);
    }
    const allowed = await specledger([...args, "--allow-unreachable"], {}, { cwd: pr.dir });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toMatch(/nothing was checked/);
  });

  it("gives the same verdicts from the one-file CLI the server serves to CI jobs (scripts/build-cli.mjs)", { timeout: 180_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-ci-cli-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    // Built outside the repository, as a CI job runs it: nothing of the repository beside it.
    const { buildCli } = (await import(/* @vite-ignore */ path.resolve(import.meta.dirname, "../../scripts/build-cli.mjs"))) as {
      buildCli: (outfile: string) => Promise<string>;
    };
    const bundle = await buildCli(path.join(dir, "specledger.mjs"));
    const ci = isolatedCli({ env: { GITHUB_ACTIONS: "", GITLAB_CI: "", GITHUB_STEP_SUMMARY: "" }, script: bundle });
    cleanup.push(ci.remove);
    expect((await ci.run(["--version"])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

    const approved = `${SPEC_V1}\n- WHEN a refund is due THE SYSTEM SHALL pay it back.\n`;
    const change = await proposeChange(maintainer, { specId, content: approved, title: "Refunds" });
    await decideChange(reviewer, { number: change.number, kind: "approve", contentHash: change.currentHash });
    const pass = pullRequest({ "specs/checkout/spec.md": approved });
    const passed = await ci.run([...checkArgs(pass.head, "--format", "json")], {}, { cwd: pass.dir });
    expect(passed.code, passed.stderr).toBe(0);
    expect(JSON.parse(passed.stdout)).toMatchObject({ verdict: "pass", files: [{ approval: { state: "approved", change: change.number } }] });

    const fail = pullRequest({ "specs/checkout/spec.md": `${SPEC_V1}\n- WHEN ${randomName("x")} THE SYSTEM SHALL wait.\n` });
    const failed = await ci.run(checkArgs(fail.head, "--repository", repoName), {}, { cwd: fail.dir });
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stdout).toContain("[unapproved-owned]");
    // Unreachable is exit 3 there too (fail closed), and lint runs without a server.
    expect(
      (
        await ci.run(
          ["check", "--base", base, "--head", fail.head, "--server", `http://127.0.0.1:${await freePort()}`, "--token", ciToken, "--repository", repoName],
          {},
          { cwd: fail.dir },
        )
      ).code,
    ).toBe(3);
    const lint = await ci.run(["lint", "--format", "json"], {}, { cwd: fail.dir });
    expect(lint.code, lint.stderr).toBe(0);
    // Commands that need the database are not in it.
    expect((await ci.run(["import", "."], {}, { cwd: fail.dir })).code).toBe(2);
  });

  it("refuses bad usage with exit 2: no base, a ref that is not a commit, an unknown repository", async () => {
    const pr = pullRequest({ "specs/checkout/spec.md": SPEC_V2 });
    expect((await specledger(["check", "--server", api, "--token", ciToken], {}, { cwd: pr.dir })).code).toBe(2);
    expect((await specledger(checkArgs("no-such-ref"), {}, { cwd: pr.dir })).code).toBe(2);
    const unknown = await specledger(checkArgs(pr.head, "--repository", randomName("nope")), {}, { cwd: pr.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No repository is named/);
  });

  it("fails a spec change whose pull request names no issue key where the repository asks for one, and reads the title GitLab gives", async () => {
    const admin = await db.user.create({
      data: { email: `${randomName("a")}@check.test`, name: "a", role: "admin" },
      select: { id: true, email: true, role: true },
    });
    await setTicketPolicy(admin as { id: string; email: string; role: "admin" }, {
      repositoryId,
      policy: { prefixes: ["PAY"], urlTemplate: "https://tracker.example/browse/{key}" },
    });
    try {
      const pr = pullRequest({ "specs/refunds/spec.md": "# Refunds\n\nA new spec.\n" });
      const missing = await specledger(checkArgs(pr.head, "--repository", repoName), {}, { cwd: pr.dir });
      expect(missing.code, missing.stderr).toBe(1);
      expect(missing.stdout).toContain("[ticket-missing]");
      const gitlab = { GITLAB_CI: "true", CI_MERGE_REQUEST_TITLE: "PAY-9: a refunds spec", CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "refunds" };
      const named = await specledger(checkArgs(pr.head, "--repository", repoName, "--format", "json"), gitlab, { cwd: pr.dir });
      expect(named.code, named.stderr).toBe(0);
      expect(JSON.parse(named.stdout).ticket).toEqual({ key: "PAY-9", url: "https://tracker.example/browse/PAY-9", where: "title" });
    } finally {
      await setTicketPolicy(admin as { id: string; email: string; role: "admin" }, { repositoryId, policy: null });
    }
  });
});
