import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { reportRun } from "@/lib/operations/provenance";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { getMonthSpend } from "./spend";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

describe("getMonthSpend", () => {
  it("sums this month's spend per spec (a run toward each spec it used) and per agent (each run once)", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    const commit = repo.commit("specs", { "specs/a/spec.md": "# A\n", "specs/b/spec.md": "# B\n" });
    const name = randomName("spend");
    const repository = await db.repository.create({ data: { name, source: repo.path } });
    await importRepository({ repositoryId: repository.id });
    const reporter = await db.user.create({
      data: { email: `${randomName("r")}@spend.test`, name: "r", role: "maintainer" },
      select: { id: true, email: true, role: true },
    });
    // A unique agent name keeps this test's figures apart from runs other tests report in parallel.
    const agent = randomName("agent");
    const ref = (path: string) => ({ repository: name, path, commit });
    // Large enough to rank first among whatever other tests reported this month.
    await reportRun(reporter, {
      externalId: randomName("run"),
      agent,
      costUsd: 5_000_000,
      inputTokens: 10,
      outputTokens: 5,
      specs: [ref("specs/a/spec.md"), ref("specs/b/spec.md")],
    });
    await reportRun(reporter, { externalId: randomName("run"), agent, costUsd: 2_000_000, specs: [ref("specs/a/spec.md")] });
    // A run on a commit not imported (an agent's branch) names spec b by path: it counts toward b,
    // as b's budget counts it.
    const branch = repo.commit("agent edits b", { "specs/b/spec.md": "# B\n\nMore.\n" });
    await reportRun(reporter, {
      externalId: randomName("run"),
      agent,
      costUsd: 1_000_000,
      specs: [{ repository: name, path: "specs/b/spec.md", commit: branch }],
    });
    const spend = await getMonthSpend(reporter, new Date(), 1000);
    const mine = spend.specs.filter((s) => s.repository === name).map((s) => [s.path, s.usd, s.tokens, s.runs]);
    expect(mine).toEqual([
      ["specs/a/spec.md", 7_000_000, 15, 2],
      ["specs/b/spec.md", 6_000_000, 15, 2],
    ]);
    expect(spend.agents.find((a) => a.agent === agent)).toEqual({ agent, usd: 8_000_000, tokens: 15, runs: 3 });
    // Last month's view does not see these runs.
    const before = await getMonthSpend(reporter, new Date(Date.UTC(2020, 0, 15)), 1000);
    expect(before.agents.find((a) => a.agent === agent)).toBeUndefined();
    await expect(getMonthSpend({ role: "admin", scopes: ["runs:write"] } as never)).rejects.toMatchObject({ code: "forbidden" });
  });
});
