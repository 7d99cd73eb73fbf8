"use server";

import { revalidatePath } from "next/cache";
import { field, runAction } from "@/lib/http/action";
import { removeBudget, setBudget } from "@/lib/operations/budgets";

export type BudgetFormState = { error: string | null; saved: boolean };

/** Sets a budget for a path or glob of the repository from the settings form (a path names exactly one spec). */
export async function setBudgetAction(_prev: BudgetFormState, form: FormData): Promise<BudgetFormState> {
  const raw = field(form, "amount");
  // A form sends text: a plain decimal only; the operation checks the range and the unit.
  const amount = /^[0-9]{1,13}(\.[0-9]{1,6})?$/.test(raw) ? Number(raw) : Number.NaN;
  const result = await runAction(setBudget, {
    repositoryId: field(form, "repositoryId"),
    glob: field(form, "glob"),
    period: field(form, "period") as "week",
    unit: field(form, "unit") as "usd",
    amount,
  });
  if (!result.ok) return { error: result.error, saved: false };
  revalidatePath(`/repositories/${result.output.repositoryId}`);
  return { error: null, saved: true };
}

/** Removes a budget from the settings list. */
export async function removeBudgetAction(_prev: BudgetFormState, form: FormData): Promise<BudgetFormState> {
  const repositoryId = field(form, "repositoryId");
  const result = await runAction(removeBudget, { repositoryId, budgetId: field(form, "budgetId") });
  if (!result.ok) return { error: result.error, saved: false };
  revalidatePath(`/repositories/${repositoryId}`);
  return { error: null, saved: true };
}
