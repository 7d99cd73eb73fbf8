"use client";

import { useActionState } from "react";
import { removeBudgetAction, setBudgetAction, type BudgetFormState } from "@/lib/actions/budgets";
import { inputClass, secondaryButtonClass } from "@/components/ui";
import { useKeptForm } from "../use-kept-form";

const initial: BudgetFormState = { error: null, saved: false };

function Outcome({ state }: { state: BudgetFormState }) {
  if (state.error)
    return (
      <span role="alert" className="text-red-700">
        {state.error}
      </span>
    );
  return state.saved ? <span role="status">Saved.</span> : null;
}

/** Maintainers: a budget for a spec path or a glob, per UTC day, week or month. */
export function BudgetForm({ repositoryId }: { repositoryId: string }) {
  const [state, action, pending] = useActionState(setBudgetAction, initial);
  const form = useKeptForm(state, action, pending);
  return (
    <form {...form} aria-label="Set a budget" className="flex flex-wrap items-end gap-2 text-sm">
      <input type="hidden" name="repositoryId" value={repositoryId} />
      <label className="flex flex-col">
        Spec path or glob
        <input name="glob" required maxLength={500} placeholder="specs/**/spec.md" className={inputClass} />
      </label>
      <label className="flex flex-col">
        Amount
        <input name="amount" required inputMode="decimal" placeholder="40" className={`w-28 ${inputClass}`} />
      </label>
      <label className="flex flex-col">
        Unit
        <select name="unit" defaultValue="usd" className={`w-auto ${inputClass}`}>
          <option value="usd">USD</option>
          <option value="tokens">tokens</option>
        </select>
      </label>
      <label className="flex flex-col">
        Per
        <select name="period" defaultValue="week" className={`w-auto ${inputClass}`}>
          <option value="day">day (UTC)</option>
          <option value="week">week (from Monday, UTC)</option>
          <option value="month">month (UTC)</option>
        </select>
      </label>
      <button type="submit" disabled={pending} className={secondaryButtonClass}>
        Set budget
      </button>
      <Outcome state={state} />
    </form>
  );
}

export function RemoveBudgetButton({ repositoryId, budgetId }: { repositoryId: string; budgetId: string }) {
  const [state, action, pending] = useActionState(removeBudgetAction, initial);
  const form = useKeptForm(state, action, pending);
  return (
    <form {...form} className="inline-flex items-center gap-2">
      <input type="hidden" name="repositoryId" value={repositoryId} />
      <input type="hidden" name="budgetId" value={budgetId} />
      <button type="submit" disabled={pending} className={secondaryButtonClass}>
        Remove
      </button>
      {state.error ? <Outcome state={state} /> : null}
    </form>
  );
}
