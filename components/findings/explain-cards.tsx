// Why a lint or broken-reference finding fired, and how to silence it when it is wrong here.
import { LINT_RULES } from "@/lib/findings/lint";
import type { FindingView } from "@/lib/findings/store";
import { REPO_CONFIG_PATH, silenceHints } from "@/lib/findings/suppress";
import { Card } from "@/components/ui";

const BROKEN_REFERENCE_REASON = "The file names a path that is not in the repository at the head commit; agents that follow it find nothing.";

/** Why a rule fired: the text it matched and the rule's reason (lint rules and broken references). */
export function WhyCard({ finding }: { finding: FindingView }) {
  const typed = finding.typed;
  if (typed?.type !== "lint" && typed?.type !== "broken-reference") return null;
  const matched = typed.type === "lint" ? typed.evidence.matched : typed.evidence.reference;
  const reason =
    typed.type === "lint"
      ? (typed.evidence.reason ?? LINT_RULES.find((r) => r.id === finding.rule)?.description)
      : [BROKEN_REFERENCE_REASON, typed.evidence.reason].filter(Boolean).join(" ");
  return (
    <Card className="p-4">
      <h2 className="font-medium">Why it fired</h2>
      <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm" data-testid="finding-why">
        {matched ? (
          <>
            <dt className="text-slate-500">Matched</dt>
            <dd className="break-all font-mono text-xs">{matched}</dd>
          </>
        ) : null}
        {reason ? (
          <>
            <dt className="text-slate-500">Rule</dt>
            <dd className="text-slate-700 [overflow-wrap:anywhere]">{reason}</dd>
          </>
        ) : null}
      </dl>
    </Card>
  );
}

/** How to silence a lint or broken-reference finding judged wrong: one line, the file, or the repository. */
export function SilenceCard({ finding }: { finding: FindingView }) {
  const typed = finding.typed;
  if (typed?.type !== "lint" && typed?.type !== "broken-reference") return null;
  const hints = silenceHints(finding.rule, typed.evidence.path, finding.line);
  const snippet = (text: string) => (
    <pre tabIndex={0} className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs">
      {text}
    </pre>
  );
  return (
    <Card className="p-4">
      <h2 className="font-medium">Not a problem here? Silence it</h2>
      <div className="mt-2 space-y-3 text-sm text-slate-700" data-testid="finding-silence">
        {hints.line ? (
          <div>
            For this line, put this comment on the line above it in {typed.evidence.path}:{snippet(hints.line)}
          </div>
        ) : null}
        <div>For the whole file, anywhere in it:{snippet(hints.file)}</div>
        <div>
          For the whole repository, commit a <code className="font-mono text-xs">{REPO_CONFIG_PATH}</code> at its root (read at each import), turning the rule
          off:{snippet(hints.repositoryRule)}
          or leaving this file out of every lint rule:{snippet(hints.repositoryFile)}
        </div>
        <p className="text-slate-500">The finding resolves at the next recomputation after the change is imported.</p>
      </div>
    </Card>
  );
}
