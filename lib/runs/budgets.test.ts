import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { removeBudget, setBudget } from "@/lib/operations/budgets";
import { reportRun, reportRunBatch } from "@/lib/operations/provenance";
import { importRepository } from "@/lib/repositories/import";
import { callRoute, userWithToken } from "@/lib/testing/api";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { readEvidence } from "@/lib/findings/evidence";
import { budgetWarningFinding, canIRun, type BudgetStatus } from "./budgets";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

/** A repository with two specs, imported, and a maintainer who reports runs. */
async function setup() {
  const repo = TestRepo.create();
  repos.push(repo);
  const commit = repo.commit("specs", { "specs/pay/spec.md": "# Pay\n", "specs/ship/spec.md": "# Ship\n" });
  const name = randomName("budget");
  const repository = await db.repository.create({ data: { name, source: repo.path } });
  await importRepository({ repositoryId: repository.id });
  const specs = await db.spec.findMany({ where: { repositoryId: repository.id }, orderBy: { path: "asc" }, select: { id: true, path: true } });
  const [pay, ship] = specs;
  const maintainer = await db.user.create({
    data: { email: `${randomName("m")}@budget.test`, name: "m", role: "maintainer" },
    select: { id: true, email: true, role: true },
  });
  const run = (paths: string[], cost: { costUsd?: number; inputTokens?: number; outputTokens?: number }, at = commit) =>
    reportRun(maintainer, {
      externalId: randomName("run"),
      agent: "codex",
      repository: name,
      outcome: "succeeded",
      ...cost,
      specs: paths.map((path) => ({ repository: name, path, commit: at })),
    });
  return { name, repo, repositoryId: repository.id, pay, ship, maintainer, run, commit };
}

describe("budgets", () => {
  it("warn once at 80% (a finding and an event), then can-i-run says no at 100% with the figures", async () => {
    const { repositoryId, pay, ship, maintainer, run } = await setup();
    const budget = await setBudget(maintainer, { repositoryId, specId: pay.id, period: "week", unit: "usd", amount: 40 });
    expect(budget).toMatchObject({ specId: pay.id, period: "week", unit: "usd", amount: 40 });
    expect(await canIRun(maintainer, pay.id)).toMatchObject({ ok: true, budgets: [{ spent: 0, level: "ok" }] });

    // A run that used both specs counts toward each.
    await run([pay.path, ship.path], { costUsd: 20 });
    await run([pay.path], { costUsd: 12.5 });
    const warned = await db.finding.findMany({ where: { specId: pay.id, type: "budget" } });
    expect(warned.map((f) => [f.rule, f.severity, f.status])).toEqual([["budget.warning", "warning", "open"]]);
    expect(readEvidence(warned[0])).toMatchObject({ type: "budget", evidence: { budgetId: budget.id, period: "week", unit: "usd", limit: 40, spent: 32.5 } });
    expect(warned[0].message).toMatch(/Budget at 81%: spent \$32.50 of \$40.00 this week; resets Monday 00:00 UTC/);
    expect(await db.budgetWarning.count({ where: { budgetId: budget.id, specId: pay.id } })).toBe(1);

    // More spend in the same period raises no second warning, also when reported concurrently.
    await Promise.all([run([pay.path], { costUsd: 4.5 }), run([pay.path], { costUsd: 4.5 }), canIRun(maintainer, pay.id)]);
    expect(await db.budgetWarning.count({ where: { budgetId: budget.id, specId: pay.id } })).toBe(1);
    expect(await db.finding.count({ where: { specId: pay.id, type: "budget" } })).toBe(1);

    const no = await canIRun(maintainer, pay.id);
    expect(no.ok).toBe(false);
    expect(no.reasons).toEqual([expect.objectContaining({ code: "budget_exceeded", message: "spent $41.50 of $40.00 this week; resets Monday 00:00 UTC" })]);
    // The other spec has no budget: its share of the shared run changes nothing for it.
    expect(await canIRun(maintainer, ship.id)).toMatchObject({ ok: true, budgets: [] });

    const audit = await db.auditEvent.findMany({ where: { subject: `repository:${repositoryId}`, action: { startsWith: "budget." } } });
    expect(audit.map((a) => a.action)).toEqual(["budget.set"]);
    await removeBudget(maintainer, { repositoryId, budgetId: budget.id });
    expect(await canIRun(maintainer, pay.id)).toMatchObject({ ok: true, budgets: [] });
  });

  it("counts runs without a cost or token count as unknown spend: can-i-run says no, with the reason", async () => {
    const { repositoryId, pay, ship, maintainer, run } = await setup();
    await setBudget(maintainer, { repositoryId, specId: pay.id, period: "month", unit: "usd", amount: 100 });
    await setBudget(maintainer, { repositoryId, specId: ship.id, period: "month", unit: "tokens", amount: 1_000_000 });
    // Priced runs well within both budgets: yes.
    await run([pay.path, ship.path], { costUsd: 1, inputTokens: 10 });
    expect(await canIRun(maintainer, pay.id)).toMatchObject({ ok: true, reasons: [], budgets: [{ spent: 1, unpriced: 0 }] });

    // A run with tokens but no cost leaves the usd budget's spend unknown, not the token budget's.
    await run([pay.path, ship.path], { inputTokens: 5, outputTokens: 5 });
    const pays = await canIRun(maintainer, pay.id);
    expect(pays).toMatchObject({ ok: false, budgets: [{ spent: 1, unpriced: 1, level: "ok" }] });
    expect(pays.reasons).toEqual([
      expect.objectContaining({ code: "budget_unknown_spend", message: expect.stringMatching(/^1 run this month reported no cost/) }),
    ]);
    expect(pays.summary).toMatch(
      /^No: .* has unknown spend \(1 run this month reported no cost, so the spend against this budget is unknown until it resets 1 /,
    );
    expect(await canIRun(maintainer, ship.id)).toMatchObject({ ok: true, budgets: [{ spent: 20, unpriced: 0 }] });

    // A run with a cost but no token count leaves the token budget's spend unknown.
    await run([ship.path], { costUsd: 2 });
    expect(await canIRun(maintainer, ship.id)).toMatchObject({
      ok: false,
      reasons: [{ code: "budget_unknown_spend", message: expect.stringMatching(/^1 run this month reported no token count/) }],
    });
  });

  it("can-i-run writes nothing (a GET); the warning comes with the next reported run", async () => {
    const { repositoryId, pay, maintainer, run } = await setup();
    await run([pay.path], { costUsd: 9 });
    // The budget is set after the spend, so no report has checked it yet.
    const budget = await setBudget(maintainer, { repositoryId, specId: pay.id, period: "week", unit: "usd", amount: 10 });
    expect(await canIRun(maintainer, pay.id)).toMatchObject({ ok: true, budgets: [{ spent: 9, level: "warning" }] });
    expect(await db.budgetWarning.count({ where: { budgetId: budget.id } })).toBe(0);
    expect(await db.finding.count({ where: { specId: pay.id, type: "budget" } })).toBe(0);
    await run([pay.path], { costUsd: 0.5 });
    expect(await db.budgetWarning.count({ where: { budgetId: budget.id } })).toBe(1);
    expect(await db.finding.count({ where: { specId: pay.id, type: "budget" } })).toBe(1);
  });

  it("counts a run that named the spec at a commit not imported yet (its version is unknown, its spend is not)", async () => {
    const { name, repo, repositoryId, pay, ship, maintainer, run } = await setup();
    const budget = await setBudget(maintainer, { repositoryId, specId: pay.id, period: "week", unit: "usd", amount: 40 });
    // An agent works on a branch commit Specledger has not imported: the reference stays unresolved.
    const branch = repo.commit("agent edits pay", { "specs/pay/spec.md": "# Pay\n\nRefunds too.\n" });
    await run([pay.path], { costUsd: 50 }, branch);
    const refs = await db.runSpecRef.findMany({ where: { commitSha: branch, path: pay.path, repositoryName: name } });
    expect(refs.map((r) => r.specVersionId)).toEqual([null]);

    const no = await canIRun(maintainer, pay.id);
    expect(no).toMatchObject({ ok: false, budgets: [{ spent: 50, level: "exceeded" }] });
    expect(no.reasons).toEqual([expect.objectContaining({ code: "budget_exceeded", budgetId: budget.id })]);
    // The report raised the warning for it, as for a resolved run; the other spec is untouched.
    expect(await db.budgetWarning.count({ where: { budgetId: budget.id, specId: pay.id } })).toBe(1);
    expect(await canIRun(maintainer, ship.id)).toMatchObject({ ok: true, budgets: [] });

    // Once the commit is imported, a run naming it resolves; the two runs count once each.
    await importRepository({ repositoryId });
    await run([pay.path], { costUsd: 1 }, branch);
    expect(
      (await db.runSpecRef.findMany({ where: { commitSha: branch, path: pay.path, repositoryName: name }, orderBy: { id: "asc" } })).map(
        (r) => r.specVersionId !== null,
      ),
    ).toEqual([false, true]);
    expect(await canIRun(maintainer, pay.id)).toMatchObject({ ok: false, budgets: [{ spent: 51 }] });
  });

  it("applies a glob budget to each matching spec, in tokens, also for batch reports", async () => {
    const { name, repositoryId, pay, ship, maintainer, commit } = await setup();
    await setBudget(maintainer, { repositoryId, glob: "specs/s*/**", period: "day", unit: "tokens", amount: 1000 });
    await reportRunBatch(maintainer, {
      runs: [1, 2].map(() => ({
        externalId: randomName("run"),
        agent: "codex",
        inputTokens: 400,
        outputTokens: 200,
        specs: [pay.path, ship.path].map((path) => ({ repository: name, path, commit })),
      })),
    });
    const answer = await canIRun(maintainer, `${name}:${ship.path}`);
    expect(answer).toMatchObject({
      ok: false,
      budgets: [{ spent: 1200, limit: 1000, level: "exceeded", message: "spent 1,200 tokens of 1,000 tokens today; resets 00:00 UTC" }],
    });
    expect(await db.finding.count({ where: { specId: ship.id, type: "budget" } })).toBe(1);
    // specs/pay does not match the glob.
    expect(await canIRun(maintainer, pay.id)).toMatchObject({ ok: true, budgets: [] });
  });

  it("refuses the wrong role, an unknown spec or repository, and malformed budgets; writes nothing then", async () => {
    const { repositoryId, pay, maintainer } = await setup();
    const reviewer = { id: "budget-reviewer", email: "reviewer@budget.test", role: "reviewer" as const };
    await expect(setBudget(reviewer, { repositoryId, specId: pay.id, period: "week", unit: "usd", amount: 40 })).rejects.toMatchObject({ code: "forbidden" });
    await expect(setBudget(maintainer, { repositoryId, specId: "no-such-spec", period: "week", unit: "usd", amount: 40 })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(setBudget(maintainer, { repositoryId: "no-such-repo", specId: pay.id, period: "week", unit: "usd", amount: 40 })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(setBudget(maintainer, { repositoryId, specId: pay.id, period: "fortnight", unit: "usd", amount: 40 } as never)).rejects.toMatchObject({
      code: "unprocessable",
    });
    await expect(setBudget(maintainer, { repositoryId, specId: pay.id, period: "week", unit: "usd", amount: -1 })).rejects.toMatchObject({
      code: "unprocessable",
    });
    await expect(removeBudget(maintainer, { repositoryId, budgetId: "no-such-budget" })).rejects.toMatchObject({ code: "not_found" });
    expect(await db.specBudget.count({ where: { repositoryId } })).toBe(0);
    await expect(canIRun(maintainer, "no-such-spec")).rejects.toMatchObject({ code: "not_found" });
  });

  it("answers over the API: set, list, can-i-run, delete; 404s; a reviewer's token is refused", async () => {
    const { name, repositoryId, pay, run } = await setup();
    const { token } = await userWithToken("maintainer", ["admin"]);
    const set = await callRoute("post", "/repositories/{id}/budgets", {
      params: { id: repositoryId },
      token,
      body: { specId: pay.id, period: "month", unit: "usd", amount: 1 },
    });
    expect(set.status).toBe(200);
    const { id: budgetId } = (await set.json()) as { id: string };
    const list = await callRoute("get", "/repositories/{id}/budgets", { params: { id: repositoryId }, token });
    expect(((await list.json()) as { budgets: { id: string }[] }).budgets.map((b) => b.id)).toEqual([budgetId]);

    await run([pay.path], { costUsd: 1.25 });
    const answer = await callRoute("get", "/specs/{id}/can-i-run", { params: { id: `${name}:${pay.path}` }, token });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      ok: false,
      summary: expect.stringMatching(/^No: .* is over budget \(spent \$1.25 of \$1.00 this month; resets 1 /),
    });
    expect((await callRoute("get", "/specs/{id}/can-i-run", { params: { id: "no-such-spec" }, token })).status).toBe(404);
    expect((await callRoute("get", "/repositories/{id}/budgets", { params: { id: "no-such-repo" }, token })).status).toBe(404);
    const bad = await callRoute("post", "/repositories/{id}/budgets", {
      params: { id: repositoryId },
      token,
      body: { specId: pay.id, period: "year", unit: "usd", amount: 1 },
    });
    expect(bad.status).toBe(422);

    const { token: reviewerToken } = await userWithToken("reviewer", ["admin"]);
    expect(
      (await callRoute("post", "/repositories/{id}/budgets/{budgetId}/delete", { params: { id: repositoryId, budgetId }, token: reviewerToken })).status,
    ).toBe(403);
    expect((await callRoute("post", "/repositories/{id}/budgets/{budgetId}/delete", { params: { id: repositoryId, budgetId }, token })).status).toBe(200);
    expect((await callRoute("post", "/repositories/{id}/budgets/{budgetId}/delete", { params: { id: repositoryId, budgetId }, token })).status).toBe(404);
  });

  it("checks a warning's evidence against the budget schema before it is written", () => {
    const status: BudgetStatus = {
      budgetId: "b1",
      target: "specs/pay/spec.md",
      period: "week",
      unit: "usd",
      limit: 40,
      spent: 33,
      unpriced: 0,
      level: "warning",
      periodStart: "2025-01-06T00:00:00.000Z",
      resetsAt: "2025-01-13T00:00:00.000Z",
      message: "spent $33.00 of $40.00 this week",
    };
    expect(budgetWarningFinding({ id: "s1", repositoryId: "r1" }, status)).toMatchObject({ fingerprint: "budget:b1:s1", evidence: { spent: 33 } });
    // A period or figure the schema does not know is a bug in the caller: nothing is written.
    expect(() => budgetWarningFinding({ id: "s1", repositoryId: "r1" }, { ...status, period: "year" as BudgetStatus["period"] })).toThrow(
      /budget check produced evidence/,
    );
    expect(() => budgetWarningFinding({ id: "s1", repositoryId: "r1" }, { ...status, spent: Number.NaN })).toThrow(/spent/);
  });
});
