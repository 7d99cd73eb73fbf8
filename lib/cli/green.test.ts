import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { setBudget } from "@/lib/operations/budgets";
import { reportRun } from "@/lib/operations/provenance";
import { createToken } from "@/lib/operations/workspace";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { isolatedCli } from "@/lib/testing/cli";
import { serveRoutes } from "@/lib/testing/serve-api";

const cli = isolatedCli();
const cleanup: (() => void)[] = [cli.remove];
afterAll(() => cleanup.forEach((f) => f()));

const specledger = cli.run;

type Handler = (request: unknown, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
/** Next.js hands route handlers decoded parameters; the test server passes them raw, so this decodes them as Next does. */
const decoded = (module: Record<string, Handler>) =>
  Object.fromEntries(
    Object.entries(module).map(([method, handler]) => [
      method,
      async (request: unknown, context: { params: Promise<Record<string, string>> }) => {
        const params = await context.params;
        return handler(request, { params: Promise.resolve(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, decodeURIComponent(v)]))) });
      },
    ]),
  );

let api: string;
let token: string;
let repoName: string;
let commits: string[];
let reporter: { id: string; email: string; role: "maintainer" };
let repositoryId: string;

beforeAll(async () => {
  const routes = [
    [/^\/api\/v1\/specs\/(?<id>[^/]+)\/last-green$/, decoded((await import("@/app/api/v1/specs/[id]/last-green/route")) as never)],
    [/^\/api\/v1\/specs\/(?<id>[^/]+)\/can-i-run$/, decoded((await import("@/app/api/v1/specs/[id]/can-i-run/route")) as never)],
  ] as never;
  const served = await serveRoutes(routes);
  cleanup.push(served.close);
  api = served.url;
  reporter = (await db.user.create({
    data: { email: `${randomName("ci")}@cli-green.test`, name: "ci", role: "maintainer" },
    select: { id: true, email: true, role: true },
  })) as typeof reporter;
  token = (await createToken(reporter, { name: "ci", scopes: ["specs:read"], expiresInDays: 1 })).token;
  const repo = TestRepo.create();
  cleanup.push(() => repo.remove());
  commits = [1, 2].map((n) => repo.commit(`v${n}`, { "specs/a b/spec.md": `# A\n\n${n}\n` }));
  repoName = randomName("cli-green");
  repositoryId = (await db.repository.create({ data: { name: repoName, source: repo.path } })).id;
  await importRepository({ repositoryId });
});

describe("specledger last-green", () => {
  it("prints the version hash and the command to check it out, exits 1 when none is green and 6 for an unknown spec", async () => {
    const ref = `${repoName}:specs/a b/spec.md`;
    const none = await specledger(["last-green", ref, "--server", api, "--token", token]);
    expect(none.code, none.stderr).toBe(1);
    expect(none.stdout).toMatch(/No green version of .*: No run reported/);

    await reportRun(reporter, {
      externalId: randomName("run"),
      agent: "codex",
      outcome: "succeeded",
      specs: [{ repository: repoName, path: "specs/a b/spec.md", commit: commits[0] }],
    });
    const text = await specledger(["last-green", ref, "--server", api, "--token", token]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`version 1 (sha256:`);
    expect(text.stdout).toContain("Live is 1 version past last green.");
    expect(text.stdout).toContain(`git checkout ${commits[0]} -- 'specs/a b/spec.md'`);

    const json = await specledger(["last-green", ref, "--server", api, "--token", token, "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ version: { seq: 1, commitSha: commits[0] }, versionsBehind: 1 });

    expect((await specledger(["last-green", `${repoName}:specs/none.md`, "--server", api, "--token", token])).code).toBe(6);
    expect((await specledger(["last-green", ref, "--server", api, "--token", token, "--format", "yaml"])).code).toBe(2);
  }, 300_000); // many CLI processes, each starting Node: slow on a busy machine
});

describe("specledger can-i-run", () => {
  it("says yes within budget, no (exit 1) with the figures at 100%, and fails closed (exit 3) when the server is unreachable", async () => {
    const ref = `${repoName}:specs/a b/spec.md`;
    const spec = await db.spec.findFirstOrThrow({ where: { repositoryId, path: "specs/a b/spec.md" } });
    const none = await specledger(["can-i-run", ref, "--server", api, "--token", token]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toMatch(/^Yes: .* has no budget\./);

    await setBudget(reporter, { repositoryId, specId: spec.id, period: "week", unit: "usd", amount: 40 });
    await reportRun(reporter, {
      externalId: randomName("run"),
      agent: "codex",
      outcome: "failed",
      costUsd: 41.2,
      specs: [{ repository: repoName, path: "specs/a b/spec.md", commit: commits[1] }],
    });
    const no = await specledger(["can-i-run", ref, "--server", api, "--token", token]);
    expect(no.code, no.stderr).toBe(1);
    expect(no.stdout).toMatch(/^No: .* is over budget/);
    expect(no.stdout).toContain("  - exceeded: spent $41.20 of $40.00 this week; resets Monday 00:00 UTC");
    expect((await specledger(["can-i-run", ref, "--server", api, "--token", token, "--dry-run"])).code).toBe(0);
    const json = await specledger(["can-i-run", spec.id, "--server", api, "--token", token, "--format", "json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, budgets: [{ spent: 41.2, limit: 40 }] });

    expect((await specledger(["can-i-run", `${repoName}:specs/none.md`, "--server", api, "--token", token])).code).toBe(6);
    // Nothing listens on port 9 of localhost: unreachable is its own code, never a yes.
    expect((await specledger(["can-i-run", ref, "--server", "http://127.0.0.1:9", "--token", token, "--timeout", "5s"])).code).toBe(3);
  }, 300_000);
});
