import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { loadOr404 } from "@/lib/http/page";
import type { EvidenceOf } from "@/lib/findings/evidence";
import { LINT_RULES } from "@/lib/findings/lint";
import { REPO_CONFIG_PATH, silenceHints } from "@/lib/findings/suppress";
import { getFindingOrThrow, type FindingView } from "@/lib/findings/store";
import { plural } from "@/lib/text";
import { FindingStatusBadge, FindingTypeLabel, SeverityBadge } from "@/components/finding-badges";
import { Card, RelativeTime, secondaryButtonClass } from "@/components/ui";
import { previewFindingFix, type FixPreview } from "@/lib/findings/propose-fix";
import { acceptDriftAction, proposeFindingFixAction, setFindingStatusAction } from "@/lib/actions/findings";

export const metadata = { title: "Finding" };

type Instruction = EvidenceOf<"competing-instructions">["onlyInA"][number];

export default async function FindingPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser("specs:read");
  const { id } = await params;
  const { error } = await searchParams;
  const finding = await loadOr404(getFindingOrThrow(user, id));
  const triage = can(user.role, "reviews:decide");
  // Dismissing or reopening a duplicate finding decides its cluster: only for those who may.
  const decides = finding.type !== "duplicate" || can(user.role, "duplicates:decide");
  const fix = await previewFindingFix(user, finding.id);
  return (
    <>
      {/* Not PageHeader: a finding's message is a sentence, and must wrap rather than be cut. */}
      <div className="mb-6">
        <h1 className="text-xl font-semibold tracking-tight">{finding.message}</h1>
        <div className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <FindingTypeLabel type={finding.type} rule={finding.rule} />
          <SeverityBadge severity={finding.severity} />
          <FindingStatusBadge status={finding.status} />
        </div>
      </div>
      {typeof error === "string" ? (
        <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-6 md:grid-cols-[2fr_1fr]">
        <div className="min-w-0 space-y-6">
          {finding.suggestion ? (
            <Card className="p-4">
              <h2 className="font-medium">Suggested fix</h2>
              <p className="mt-2 text-sm text-slate-700">{finding.suggestion}</p>
            </Card>
          ) : null}
          {fix ? <FixCard findingId={finding.id} fix={fix} proposes={can(user.role, "reviews:propose")} /> : null}
          <WhyCard finding={finding} />
          <Card className="p-4">
            <h2 className="font-medium">Evidence</h2>
            <div className="mt-3 text-sm" data-testid="finding-evidence">
              <EvidenceView finding={finding} />
            </div>
          </Card>
          <SilenceCard finding={finding} />
        </div>
        <aside className="space-y-4">
          <Card className="p-4 text-sm">
            <dl className="space-y-2">
              {finding.repository ? (
                <Row label="Repository">
                  <Link href={`/repositories/${finding.repository.id}`} className="text-sky-700 hover:underline">
                    {finding.repository.name}
                  </Link>
                </Row>
              ) : null}
              {finding.spec ? (
                <Row label="File">
                  <Link href={`/specs/${finding.spec.id}`} className="break-all font-mono text-xs text-sky-700 hover:underline">
                    {finding.spec.path}
                    {finding.line ? `:${finding.line}` : ""}
                  </Link>
                </Row>
              ) : null}
              <Row label="Owners">{finding.spec?.owners.length ? finding.spec.owners.join(", ") : <span className="text-amber-700">unowned</span>}</Row>
              <Row label="Introduced">
                <RelativeTime date={finding.introducedAt} />
              </Row>
              <Row label="First seen">
                <RelativeTime date={finding.firstSeenAt} />
              </Row>
              <Row label="Last seen">
                <RelativeTime date={finding.lastSeenAt} />
              </Row>
              {finding.resolvedAt ? (
                <Row label="Resolved">
                  <RelativeTime date={finding.resolvedAt} />
                </Row>
              ) : null}
            </dl>
          </Card>
          {triage && finding.status !== "resolved" ? (
            <Card className="space-y-3 p-4">
              <form action={setFindingStatusAction} className="flex flex-wrap gap-2">
                <input type="hidden" name="id" value={finding.id} />
                <input type="hidden" name="back" value={`/findings/${finding.id}`} />
                {finding.status === "open" ? (
                  <button type="submit" name="action" value="acknowledge" className={secondaryButtonClass}>
                    Acknowledge
                  </button>
                ) : null}
                {!decides ? null : finding.status !== "dismissed" ? (
                  <button type="submit" name="action" value="dismiss" className={secondaryButtonClass}>
                    Dismiss
                  </button>
                ) : (
                  <button type="submit" name="action" value="reopen" className={secondaryButtonClass}>
                    Reopen
                  </button>
                )}
              </form>
              {finding.type === "stale" ? (
                <form action={acceptDriftAction}>
                  <input type="hidden" name="id" value={finding.id} />
                  <button type="submit" className={secondaryButtonClass}>
                    Accept drift (re-baseline at the head commit)
                  </button>
                </form>
              ) : null}
            </Card>
          ) : null}
        </aside>
      </div>
    </>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex justify-between gap-3">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-right">{children}</dd>
    </div>
  );
}

function EvidenceView({ finding }: { finding: FindingView }) {
  const typed = finding.typed;
  if (!typed) {
    return <p className="text-slate-500">This finding&apos;s evidence is in an older format; it is refreshed the next time its check runs.</p>;
  }
  switch (typed.type) {
    case "stale": {
      const evidence = typed.evidence;
      return (
        <>
          <p>
            Governs ({evidence.governedBy}): <span className="font-mono text-xs">{evidence.governs.join(", ")}</span>
          </p>
          <p className="mt-1">
            Baseline: <span className="font-mono text-xs">{evidence.baseline.slice(0, 12)}</span> ({evidence.baselineSource}).{" "}
            {plural(evidence.commitCount, "commit")} since
            {evidence.commitCount > evidence.commits.length ? `; the newest ${evidence.commits.length}` : ""}:{" "}
            <span className="text-emerald-700">+{evidence.added}</span> <span className="text-red-700">−{evidence.deleted}</span> lines.
          </p>
          {evidence.commitCount > evidence.commits.length ? (
            <p className="mt-1 text-xs text-slate-600">
              All of them, in a clone:{" "}
              <code className="font-mono">
                git log --oneline {evidence.baseline.slice(0, 12)}..{evidence.head.slice(0, 12)}
              </code>{" "}
              with the paths above.
            </p>
          ) : null}
          <ul className="mt-3 divide-y divide-slate-100" data-testid="stale-commits">
            {evidence.commits.map((c) => (
              <li key={c.sha} className="flex flex-wrap justify-between gap-2 py-1.5">
                <span>
                  <span className="font-mono text-xs">{c.sha.slice(0, 10)}</span> {c.subject}
                </span>
                <span className="text-xs text-slate-500">
                  {c.author} · {c.date.slice(0, 10)} · {plural(c.files, "file")} <span className="text-emerald-700">+{c.added}</span>{" "}
                  <span className="text-red-700">−{c.deleted}</span>
                </span>
              </li>
            ))}
          </ul>
        </>
      );
    }
    case "competing-instructions": {
      const { a, b, conflicts, onlyInA, onlyInB } = typed.evidence;
      const side = (title: string, items: Instruction[]) => (
        <div>
          <h3 className="font-medium">{title}</h3>
          <ul className="mt-1 list-disc space-y-1 pl-5">
            {items.slice(0, 30).map((i) => (
              <li key={`${i.line}:${i.text}`}>
                {i.text} <span className="text-xs text-slate-500">line {i.line}</span>
              </li>
            ))}
            {items.length > 30 ? <li className="text-slate-500">and {items.length - 30} more</li> : null}
            {items.length === 0 ? <li className="list-none text-slate-500">nothing</li> : null}
          </ul>
        </div>
      );
      return (
        <>
          {conflicts.length > 0 ? (
            <table className="w-full text-left" data-testid="conflicts">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-1 pr-3">
                    <Link href={`/specs/${a.specId}`} className="text-sky-700 hover:underline">
                      {a.path}
                    </Link>{" "}
                    says
                  </th>
                  <th className="py-1">
                    <Link href={`/specs/${b.specId}`} className="text-sky-700 hover:underline">
                      {b.path}
                    </Link>{" "}
                    says
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 align-top">
                {conflicts.map((c) => (
                  <tr key={`${c.a.line}:${c.b.line}`}>
                    <td className="py-1.5 pr-3">
                      {c.a.text} <span className="text-xs text-slate-500">line {c.a.line}</span>
                    </td>
                    <td className="py-1.5">
                      {c.b.text} <span className="text-xs text-slate-500">line {c.b.line}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <div className="mt-4 grid gap-4 md:grid-cols-2">
            {side(`Only in ${a.path}`, onlyInA)}
            {side(`Only in ${b.path}`, onlyInB)}
          </div>
        </>
      );
    }
    case "duplicate": {
      const { members, compareHref } = typed.evidence;
      return (
        <>
          <ul className="divide-y divide-slate-100">
            {members.map((m) => (
              <li key={m.specId} className="flex justify-between gap-2 py-1.5">
                <Link href={`/specs/${m.specId}`} className="font-mono text-xs text-sky-700 hover:underline">
                  {m.repository}:{m.path}
                </Link>
                <span className="text-xs text-slate-500">{m.owners.join(", ") || "unowned"}</span>
              </li>
            ))}
          </ul>
          <p className="mt-3 flex gap-4">
            <Link href={compareHref} className="text-sky-700 hover:underline">
              Compare side by side
            </Link>
            <Link href="/duplicates" className="text-sky-700 hover:underline">
              All duplicate clusters
            </Link>
          </p>
        </>
      );
    }
    case "unreviewed": {
      const evidence = typed.evidence;
      return (
        <p>
          Approved: version {evidence.approvedSeq}. Current: version {evidence.currentSeq}.{" "}
          <Link href={evidence.diffHref} className="text-sky-700 hover:underline">
            See what changed since the approval
          </Link>
        </p>
      );
    }
    case "deployed-stale": {
      const evidence = typed.evidence;
      return (
        <p>
          <Link href={evidence.deploymentHref} className="text-sky-700 hover:underline">
            {evidence.service} {evidence.version} in {evidence.environment}
          </Link>{" "}
          was built from version {evidence.deployedSeq} of {evidence.repository}:{evidence.path}; version {evidence.approvedSeq} is approved now.{" "}
          <Link href={evidence.diffHref} className="text-sky-700 hover:underline">
            See the difference
          </Link>
        </p>
      );
    }
    case "broken-reference":
      return <Details entries={Object.entries(typed.evidence)} />;
    case "requirement-oracle": {
      const evidence = typed.evidence;
      return (
        <p>
          <Link href={`/requirements/${evidence.requirementId}`} className="text-sky-700 hover:underline">
            {evidence.key ?? "The requirement"}
          </Link>{" "}
          {evidence.text}
          {evidence.missingTests.length > 0 ? <span className="block text-red-700">[@test] path not found: {evidence.missingTests.join(", ")}</span> : null}
        </p>
      );
    }
    case "lint": {
      const { text, ...rest } = typed.evidence;
      return (
        <>
          {typeof text === "string" ? (
            <pre tabIndex={0} className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs">
              {finding.line ? <span className="mr-3 select-none text-slate-500">{finding.line}</span> : null}
              {text}
            </pre>
          ) : null}
          <Details entries={Object.entries(rest)} />
        </>
      );
    }
  }
}

/** What `lint --fix` would change in this file, and the button that proposes it for review. */
function FixCard({ findingId, fix, proposes }: { findingId: string; fix: FixPreview; proposes: boolean }) {
  return (
    <Card className="p-4">
      <h2 className="font-medium">Safe fix</h2>
      {"reason" in fix ? (
        <p className="mt-2 text-sm text-slate-600">{fix.reason}</p>
      ) : (
        <>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700" data-testid="fix-changes">
            {fix.changes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <p className="mt-2 text-sm text-slate-500">
            The same fix as <code className="font-mono text-xs">specledger lint --fix</code>, made on the version this finding was computed on.
          </p>
          {proposes ? (
            <form action={proposeFindingFixAction} className="mt-3">
              <input type="hidden" name="id" value={findingId} />
              <input type="hidden" name="contentHash" value={fix.contentHash} />
              <button type="submit" className={secondaryButtonClass}>
                Propose fix
              </button>
            </form>
          ) : (
            <p className="mt-2 text-sm text-slate-500">Proposing it needs a role that may propose changes.</p>
          )}
        </>
      )}
    </Card>
  );
}

const BROKEN_REFERENCE_REASON = "The file names a path that is not in the repository at the head commit; agents that follow it find nothing.";

/** Why a rule fired: the text it matched and the rule's reason (lint rules and broken references). */
function WhyCard({ finding }: { finding: FindingView }) {
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
function SilenceCard({ finding }: { finding: FindingView }) {
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

/** A check's own figures as a list of name and value (the file and line are shown beside). */
function Details({ entries }: { entries: [string, unknown][] }) {
  const details = entries.filter(([k]) => k !== "path" && k !== "line");
  if (details.length === 0) return null;
  return (
    <dl className="mt-3 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1">
      {details.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-500">{k}</dt>
          <dd className="break-all font-mono text-xs">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
        </div>
      ))}
    </dl>
  );
}
