import { z } from "zod";
import { removeBudgetInput, setBudgetInput } from "@/lib/runs/budget";
import { removeBudget as remove, setBudget as set } from "@/lib/runs/budgets";
import { operation } from "./operation";

export const budgetView = z.object({
  id: z.string(),
  repositoryId: z.string(),
  specId: z.string().nullable(),
  glob: z.string().nullable(),
  period: z.enum(["day", "week", "month"]),
  unit: z.enum(["usd", "tokens"]),
  amount: z.number(),
  createdAt: z.string(),
});

/** Sets a spend budget for a spec or a path glob of a repository, per UTC day, week or month, in USD or tokens (repository maintainers). */
export const setBudget = operation({
  name: "budgets.set",
  summary: "Set a spec's (or a glob's) budget per day, week or month",
  input: setBudgetInput,
  output: budgetView,
  permission: "repositories:write",
  run: ({ tx, viewer, input }) => set(tx, viewer, input),
});

/** Removes a budget of a repository. */
export const removeBudget = operation({
  name: "budgets.remove",
  summary: "Remove a budget",
  input: removeBudgetInput,
  output: z.object({ id: z.string(), removed: z.literal(true) }),
  permission: "repositories:write",
  run: ({ tx, input }) => remove(tx, input),
});
