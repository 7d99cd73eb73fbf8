import { Card } from "@/components/ui";
import { formatAmount, type BudgetUnit } from "@/lib/runs/budget";
import { BudgetForm, RemoveBudgetButton } from "./budget-forms";

type Budget = { id: string; specId: string | null; glob: string | null; period: string; unit: BudgetUnit; amount: number };

/** The repository's agent spend budgets; maintainers set and remove them here. */
export function BudgetsSection({ repositoryId, budgets, canManage }: { repositoryId: string; budgets: Budget[]; canManage: boolean }) {
  if (!canManage && budgets.length === 0) return null;
  return (
    <Card className="mb-6 p-4">
      <h2 className="mb-1 font-medium">Budgets</h2>
      <p className="text-sm text-slate-600">
        Agent spend per spec per UTC period; at 80% a budget warning, at 100% <code>specledger can-i-run</code> says no. A glob applies to each matching spec on
        its own.
      </p>
      <ul className="mt-2 divide-y divide-slate-100 text-sm" data-testid="budgets">
        {budgets.map((b) => (
          <li key={b.id} className="flex items-center justify-between gap-2 py-1.5">
            <span>
              <code className="font-mono text-xs">{b.glob ?? `spec ${b.specId}`}</code>: {formatAmount(b.unit, b.amount)} per {b.period}
            </span>
            {canManage ? <RemoveBudgetButton repositoryId={repositoryId} budgetId={b.id} /> : null}
          </li>
        ))}
        {budgets.length === 0 ? <li className="py-1.5 text-slate-500">No budgets.</li> : null}
      </ul>
      {canManage ? (
        <div className="mt-3">
          <BudgetForm repositoryId={repositoryId} />
        </div>
      ) : null}
    </Card>
  );
}
