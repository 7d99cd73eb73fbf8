import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";
import { getRepositoryChecks } from "./queries";

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
