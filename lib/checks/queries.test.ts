import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { runCheck } from "@/lib/operations/checks";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { getRepositoryChecks, getSpecChecks } from "./queries";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

const sha = (c: string) => c.repeat(40);

describe("getRepositoryChecks", () => {
  it("lists open pull requests touching governed files with their last check's verdict", async () => {
    const viewer = await db.user.create({
      data: { email: `${randomName("v")}@gate.test`, name: "v", role: "viewer" },
      select: { id: true, email: true, role: true },
    });
    const repositoryId = (await db.repository.create({ data: { name: randomName("gate"), source: `/tmp/${randomName("gate")}` } })).id;
    const pr = (number: number, state: string) => ({
      repositoryId,
      number,
      title: `PR ${number}`,
      state,
      headSha: sha("b"),
      baseRef: "main",
      url: `https://github.com/o/r/pull/${number}`,
    });
    await db.pullRequest.createMany({ data: [pr(1, "open"), pr(2, "open"), pr(3, "closed"), pr(4, "open")] });
    const check = (pullRequest: number, verdict: "pass" | "fail", files: number, createdAt: Date) => ({
      repositoryId,
      pullRequest,
      base: sha("a"),
      head: sha("b"),
      verdict,
      files: [],
      summary: { files, blocking: verdict === "fail" ? 1 : 0, errors: 0, warnings: 0, notes: 0 },
      createdAt,
    });
    await db.check.createMany({
      data: [
        check(1, "fail", 2, new Date(Date.UTC(2026, 0, 1))),
        check(1, "pass", 2, new Date(Date.UTC(2026, 0, 2))),
        check(2, "pass", 0, new Date(Date.UTC(2026, 0, 1))),
        check(3, "fail", 1, new Date(Date.UTC(2026, 0, 1))),
      ],
    });
    const gate = await getRepositoryChecks(viewer, repositoryId);
    // #1: its latest check passed; #2 touches no governed file; #3 is closed; #4 is not checked yet.
    expect(gate.openPullRequests.map((p) => [p.number, p.lastCheck?.verdict ?? null])).toEqual([
      [4, null],
      [1, "pass"],
    ]);
    expect(gate.checks).toHaveLength(4);
    expect(gate.webhookSecretSet).toBe(false);
  });
});

describe("getSpecChecks", () => {
  it("lists the checks that judged a spec's path, newest first, with what each said about it; not other paths' or repositories'", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit("init", { "specs/a/spec.md": "# A\n", "specs/b/spec.md": "# B\n" });
    const repository = await db.repository.create({ data: { name: randomName("spec-checks"), source: repo.path } });
    await importRepository({ repositoryId: repository.id });
    const maintainer = await db.user.create({
      data: { email: `${randomName("m")}@gate.test`, name: "m", role: "maintainer" },
      select: { id: true, email: true, role: true },
    });
    const file = (path: string, text: string) => ({
      path,
      status: "modified" as const,
      kind: "spec",
      contentHash: createHash("sha256").update(text).digest("hex"),
      content: text,
      baseContent: "# A\n",
    });
    const first = await runCheck(maintainer, {
      repository: repository.name,
      base: sha("a"),
      head: sha("b"),
      pullRequest: 7,
      files: [file("specs/a/spec.md", `# ${randomName("a")}\n`)],
    });
    const second = await runCheck(maintainer, {
      repository: repository.name,
      base: sha("a"),
      head: sha("c"),
      files: [file("specs/a/spec.md", `# A\n\n${randomName("more")}\n`), file("specs/b/spec.md", `# ${randomName("b")}\n`)],
    });
    await runCheck(maintainer, { repository: repository.name, base: sha("a"), head: sha("d"), files: [file("specs/b/spec.md", `# ${randomName("b")}\n`)] });

    const checks = await getSpecChecks(maintainer, { repositoryId: repository.id, path: "specs/a/spec.md" });
    expect(checks.map((c) => [c.id, c.pullRequest, c.approval])).toEqual([
      [second.id, null, "unapproved"],
      [first.id, 7, "unapproved"],
    ]);
    expect(checks[0].url).toBe(`/checks/${second.id}`);
    expect(await getSpecChecks(maintainer, { repositoryId: repository.id, path: "specs/none/spec.md" })).toEqual([]);
    await expect(
      getSpecChecks({ role: "viewer", scopes: ["checks:write"] } as never, { repositoryId: repository.id, path: "specs/a/spec.md" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});
