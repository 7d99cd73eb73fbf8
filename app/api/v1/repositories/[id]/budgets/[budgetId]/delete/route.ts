import { handle } from "@/lib/http/route";
import { removeBudget } from "@/lib/operations/budgets";

/** Removes one of the repository's budgets. */
export const POST = handle<{ id: string; budgetId: string }>(removeBudget, { input: ({ params }) => ({ repositoryId: params.id, budgetId: params.budgetId }) });
