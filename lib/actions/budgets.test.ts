// The budget settings server actions, called directly with a session cookie store.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";

let sessionUserId: string | null = null;
vi.mock("next/headers", async () => ({ cookies: (await import("@/lib/testing/session")).cookiesFor(() => sessionUserId) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("react", async (original) => ({ ...(await original<typeof import("react")>()), cache: <T>(fn: T) => fn }));

const { removeBudgetAction, setBudgetAction } = await import("./budgets");

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const initial = { error: null, saved: false };

describe("budget settings actions", () => {
  it("let maintainers set and remove a glob budget; refuse bad amounts, periods and globs, and reviewers", async () => {
    const repo = await db.repository.create({
      data: { name: randomName("budget-ui"), source: `https://${randomName("h")}.example.com/a.git`, sourceKey: randomName("k") },
    });
    const maintainer = await db.user.create({ data: { email: `${randomName("m")}@budget-ui.test`, name: "m", role: "maintainer" } });
    const reviewer = await db.user.create({ data: { email: `${randomName("r")}@budget-ui.test`, name: "r", role: "reviewer" } });
    const good = { repositoryId: repo.id, glob: "specs/**", amount: "40.5", unit: "usd", period: "week" };

    sessionUserId = reviewer.id;
    expect(await setBudgetAction(initial, form(good))).toMatchObject({ saved: false, error: expect.any(String) });

    sessionUserId = maintainer.id;
    for (const bad of [{ amount: "-1" }, { amount: "1e3" }, { amount: "" }, { period: "year" }, { unit: "eur" }, { glob: "*a*a*a*a*b" }]) {
      const answer = await setBudgetAction(initial, form({ ...good, ...bad }));
      expect(answer.saved, JSON.stringify(bad)).toBe(false);
      expect(answer.error).toBeTruthy();
    }
    expect(await db.specBudget.count({ where: { repositoryId: repo.id } })).toBe(0);

    expect(await setBudgetAction(initial, form(good))).toEqual({ error: null, saved: true });
    const [budget] = await db.specBudget.findMany({ where: { repositoryId: repo.id } });
    expect([budget.pathGlob, budget.amount.toNumber(), budget.unit, budget.period]).toEqual(["specs/**", 40.5, "usd", "week"]);

    sessionUserId = reviewer.id;
    expect(await removeBudgetAction(initial, form({ repositoryId: repo.id, budgetId: budget.id }))).toMatchObject({ saved: false });
    sessionUserId = maintainer.id;
    expect(await removeBudgetAction(initial, form({ repositoryId: repo.id, budgetId: budget.id }))).toEqual({ error: null, saved: true });
    expect(await db.specBudget.count({ where: { repositoryId: repo.id } })).toBe(0);
  });
});
