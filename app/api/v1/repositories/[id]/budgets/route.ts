import { handle, withUser } from "@/lib/http/route";
import { setBudget } from "@/lib/operations/budgets";
import { listBudgets } from "@/lib/runs/budgets";

/** The repository's budgets. */
export const GET = withUser<{ id: string }>("runs:read", async ({ user, params }) => ({ budgets: await listBudgets(user, params.id) }));

/** Sets a budget for a spec ({ specId }) or a path glob ({ glob }); the same target, period and unit replaces the amount. */
export const POST = handle<{ id: string }>(setBudget, {
  input: async ({ params, body }) => {
    const raw = await body();
    return raw && typeof raw === "object" && !Array.isArray(raw) ? { ...raw, repositoryId: params.id } : raw;
  },
});
