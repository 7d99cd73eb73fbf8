import type { ContractClassification } from "@/lib/contracts";
import { Badge } from "@/components/ui";

const TONE = { breaking: "red", "non-breaking": "green", annotation: "gray", unclassified: "amber" } as const;
const ORDER = ["breaking", "unclassified", "non-breaking", "annotation"] as const;

/** A contract's changes as an interface, above its text diff: what breaks first, in a sentence. */
export function ContractChanges({ classification }: { classification: ContractClassification }) {
  const { changes, summary, problem } = classification;
  const sorted = [...changes].sort((a, b) => ORDER.indexOf(a.class) - ORDER.indexOf(b.class));
  return (
    <section data-testid="contract-changes" aria-label="Contract changes" className="mb-4 rounded-md border border-slate-200 p-3 text-sm">
      <p className={summary ? "font-medium text-red-800" : "text-slate-700"}>
        {summary ?? (problem ? "Not classified." : changes.length === 0 ? "No interface changes." : "No breaking changes.")}
      </p>
      {problem ? <p className="mt-1 text-amber-800">{problem}</p> : null}
      {sorted.length > 0 ? (
        <details className="mt-2" open={sorted.length <= 8}>
          <summary className="cursor-pointer text-slate-600">
            {sorted.length} interface change{sorted.length === 1 ? "" : "s"}
          </summary>
          <ul className="mt-2 space-y-1">
            {sorted.map((c, i) => (
              <li key={i} className="flex flex-wrap items-baseline gap-2">
                <Badge tone={TONE[c.class]} title={c.rule}>
                  {c.class}
                </Badge>
                <span>{c.message}</span>
                <span className="font-mono text-xs text-slate-500">{c.location}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
