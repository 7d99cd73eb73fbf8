import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { setLastGreenPolicy } from "@/lib/operations/green";
import { reportRun } from "@/lib/operations/provenance";
import { importRepository } from "@/lib/repositories/import";
import { callRoute, userWithToken } from "@/lib/testing/api";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { getLastGreen, LAST_GREEN_SETTING } from "./green";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

/** A repository with one spec in three versions, imported. */
async function threeVersions() {
  const repo = TestRepo.create();
  repos.push(repo);
  const commits = [1, 2, 3].map((n) => repo.commit(`v${n}`, { "specs/pay/spec.md": `# Pay\n\nversion ${n}\n` }));
  const name = randomName("green");
  const repository = await db.repository.create({ data: { name, source: repo.path } });
  await importRepository({ repositoryId: repository.id });
  const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: repository.id, path: "specs/pay/spec.md" } });
  const reporter = await db.user.create({
    data: { email: `${randomName("r")}@green.test`, name: "r", role: "maintainer" },
    select: { id: true, email: true, role: true },
  });
  const run = (version: number, outcome: "succeeded" | "failed" | "cancelled") =>
    reportRun(reporter, {
      externalId: randomName("run"),
      agent: "codex",
      repository: name,
      outcome,
      specs: [{ repository: name, path: "specs/pay/spec.md", commit: commits[version - 1] }],
    });
  return { name, spec, commits, run, reporter };
}

describe("last green", () => {
  it("is the newest version with a success and no failure after it, against the live version", async () => {
    const { spec, commits, run, reporter } = await threeVersions();
    expect(await getLastGreen(reporter, spec.id)).toMatchObject({ version: null, reason: expect.stringMatching(/No run reported/), live: { seq: 3 } });

    await run(1, "succeeded");
    await run(2, "succeeded");
    await run(2, "failed");
    await run(3, "cancelled");
    const answer = await getLastGreen(reporter, spec.id);
    expect(answer.version).toMatchObject({ seq: 1, commitSha: commits[0], checkout: { restore: `git checkout ${commits[0]} -- specs/pay/spec.md` } });
    expect(answer.versionsBehind).toBe(2);
    expect(answer.summary).toBe("Live is 2 versions past last green.");

    // A success after the failure makes version 2 green again.
    await run(2, "succeeded");
    expect((await getLastGreen(reporter, spec.id)).version?.seq).toBe(2);
  });

  it("follows the workspace's minimum of succeeded runs", async () => {
    const { spec, run, reporter } = await threeVersions();
    await run(3, "succeeded");
    await run(2, "succeeded");
    await run(2, "succeeded");
    expect((await getLastGreen(reporter, spec.id)).version?.seq).toBe(3);
    // Only this file reads the setting, and its tests run one after another.
    const admin = await db.user.create({
      data: { email: `${randomName("a")}@green.test`, name: "a", role: "admin" },
      select: { id: true, email: true, role: true },
    });
    await expect(setLastGreenPolicy(reporter, { minSucceeded: 2 })).rejects.toMatchObject({ code: "forbidden" });
    await setLastGreenPolicy(admin, { minSucceeded: 2 });
    try {
      const answer = await getLastGreen(reporter, spec.id);
      expect(answer).toMatchObject({ policy: { minSucceeded: 2 }, version: { seq: 2, succeeded: 2 }, versionsBehind: 1 });
    } finally {
      await db.workspaceSetting.delete({ where: { key: LAST_GREEN_SETTING } });
    }
  });

  it("answers over the API by id or repository:path; an unknown spec is 404; a token needs specs:read", async () => {
    const { name, spec, run } = await threeVersions();
    await run(3, "succeeded");
    const { token } = await userWithToken("viewer", ["specs:read"]);
    for (const id of [spec.id, `${name}:specs/pay/spec.md`]) {
      const res = await callRoute("get", "/specs/{id}/last-green", { params: { id }, token });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ version: { seq: 3 }, versionsBehind: 0, summary: null });
    }
    for (const id of ["no-such-spec", `${name}:specs/none.md`, `${randomName("nope")}:specs/pay/spec.md`]) {
      expect((await callRoute("get", "/specs/{id}/last-green", { params: { id }, token })).status).toBe(404);
    }
    const { token: runsOnly } = await userWithToken("admin", ["runs:write"]);
    expect((await callRoute("get", "/specs/{id}/last-green", { params: { id: spec.id }, token: runsOnly })).status).toBe(403);
  });
});
