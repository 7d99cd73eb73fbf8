import Link from "next/link";
import { Card } from "@/components/ui";
import { formatAmount } from "@/lib/runs/budget";
import type { SpendSummary } from "@/lib/runs/spend";
import { plural } from "@/lib/text";

/** Spend per spec and the top spending agents this month, for the dashboard. */
export function SpendCard({ spend }: { spend: SpendSummary }) {
  return (
    <Card className="p-4">
      <h2 className="font-medium" data-testid="spend-card">
        Agent spend this month
      </h2>
      <p className="text-xs text-slate-500">A run counts toward each spec it used.</p>
      <ul className="mt-3 divide-y divide-slate-100 text-sm">
        {spend.specs.map((s) => (
          <li key={s.id} className="flex justify-between gap-2 py-1.5" data-testid="spec-spend">
            <Link href={`/specs/${s.id}`} className="min-w-0 truncate font-mono text-xs text-sky-700 hover:underline" title={`${s.repository}:${s.path}`}>
              {s.repository}:{s.path}
            </Link>
            <span className="text-right tabular-nums text-slate-700">
              {formatAmount("usd", s.usd)} · {formatAmount("tokens", s.tokens)} in {/* The runs that used the spec this month: the list the figure counts. */}
              <Link
                href={`/runs?spec=${encodeURIComponent(s.id)}&since=${encodeURIComponent(spend.since)}`}
                className="text-sky-700 underline"
                data-testid="spec-spend-runs"
              >
                {plural(s.runs, "run")}
              </Link>
            </span>
          </li>
        ))}
        {spend.specs.length === 0 ? <li className="py-1.5 text-slate-500">No runs used a spec this month.</li> : null}
      </ul>
      <h3 className="mt-4 text-sm font-medium">Top spenders</h3>
      <ul className="mt-2 divide-y divide-slate-100 text-sm" data-testid="top-spenders">
        {spend.agents.map((a) => {
          // The agent's runs this month: the list the figure counts.
          const runs = `/runs?agent=${encodeURIComponent(a.agent)}&since=${encodeURIComponent(spend.since)}`;
          return (
            <li key={a.agent} className="flex justify-between gap-2 py-1.5">
              <Link href={runs} className="min-w-0 break-all text-sky-700 hover:underline">
                {a.agent}
              </Link>
              <span className="text-right tabular-nums text-slate-700">
                {formatAmount("usd", a.usd)} in{" "}
                <Link href={runs} className="text-sky-700 underline" data-testid="spender-runs">
                  {plural(a.runs, "run")}
                </Link>
              </span>
            </li>
          );
        })}
        {spend.agents.length === 0 ? <li className="py-1.5 text-slate-500">No runs this month.</li> : null}
      </ul>
    </Card>
  );
}
