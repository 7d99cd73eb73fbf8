import Link from "next/link";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { loadOr404, pageNumber } from "@/lib/http/page";
import { latestSeq } from "@/lib/inbox";
import { markChangeSeen } from "@/lib/operations/inbox";
import { getChangeOrThrow, getRevisionTextOrThrow } from "@/lib/reviews";
import { changeTicketLink } from "@/lib/reviews/ticket-policy";
import { lastReviewedRevision } from "@/lib/reviews/summary";
import { classifyContractChange } from "@/lib/contracts";
import { diffTexts } from "@/lib/specs/diff";
import { formatBytes } from "@/lib/specs/format";
import { DecisionPanel } from "@/components/decision-panel";
import { ContractChanges } from "@/components/contract-changes";
import { DiffView } from "@/components/diff-view";
import { ReviewStateBadge } from "@/components/status";
import { Badge, Card, PageHeader, formatDate, secondaryButtonClass } from "@/components/ui";
import { AuthorBadge } from "@/components/author-badge";

const DECISION_LABELS: Record<string, string> = {
  approve: "approved",
  request_changes: "requested changes",
  comment: "commented",
  reject: "rejected",
  accept: "policy met: approved",
  override: "overrode the policy and approved",
  carry: "approved: the bytes match an approved proposal",
  supersede: "superseded",
};

// Revision numbers to compare; 0 is the content the change started from.
const revisionParam = z
  .string()
  .regex(/^(0|[1-9]\d{0,5})$/)
  .transform(Number)
  .optional()
  .catch(undefined);
const compareSchema = z.object({ from: revisionParam, to: revisionParam });

export default async function ChangePage({
  params,
  searchParams,
}: {
  params: Promise<{ number: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser("reviews:read");
  const { number } = await params;
  const detail = await loadOr404(getChangeOrThrow(user, pageNumber(number)));
  const { change, evaluation } = detail;
  const current = change.revisions.at(-1)!;
  const ticket = await changeTicketLink(user, change.spec.repository.id, change.title, change.description);
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const query = compareSchema.parse(raw);
  // Default: everything the change does. With from/to: any two revisions (0 = the base).
  const from = query.from !== undefined && query.from <= current.number ? query.from : 0;
  const to = query.to !== undefined && query.to >= 1 && query.to <= current.number ? query.to : current.number;
  const textAt = (n: number) =>
    n === 0 ? detail.baseText : n === current.number ? detail.currentText : loadOr404(getRevisionTextOrThrow(user, change.number, n));
  const [fromText, toText] = await Promise.all([textAt(from), textAt(to)]);
  const diff = diffTexts({ oldText: fromText, newText: toText, oldLabel: change.spec.path, newLabel: change.spec.path });
  // A contract is also compared as an interface: which of the shown changes break its consumers.
  // The whole change was classified for the review policy already; only other ranges are classified here.
  const contract =
    from === 0 && to === current.number && detail.contract !== undefined
      ? detail.contract
      : classifyContractChange({ kind: change.spec.kind, path: change.spec.path, oldText: fromText, newText: toText });
  const comparingRevisions = from !== 0 || to !== current.number;
  const sinceReview = lastReviewedRevision(change.decisions, user.id, current.number);
  const revisionLabel = (n: number) => (n === 0 ? `the ${detail.baseLabel}` : `revision ${n}`);
  const timeline = [
    ...change.revisions.map((r) => ({ type: "revision" as const, seq: r.seq, at: r.createdAt, revision: r })),
    ...change.decisions.map((d) => ({ type: "decision" as const, seq: d.seq, at: d.createdAt, decision: d })),
  ].sort((a, b) => (a.seq < b.seq ? -1 : 1));
  const labelOf = (id: string) => change.decisions.find((d) => d.reviewerId === id)?.reviewerLabel ?? id;
  const overrides = change.decisions.filter((d) => d.kind === "override");
  // Opening their own change clears it from the author's inbox, up to what this page shows.
  const shown = latestSeq(timeline);
  if (change.authorId === user.id && shown !== null) {
    await markChangeSeen(user, { number: change.number, seq: shown.toString() }).catch((error) => console.error("Could not mark the change seen", error));
  }

  return (
    <>
      <PageHeader
        title={
          <span>
            <span className="text-slate-500">#{change.number}</span> {change.title}
          </span>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span data-testid="change-state">
              <ReviewStateBadge state={change.state} />
            </span>
            {ticket ? (
              <a href={ticket.url} className="text-sky-700 hover:underline" data-testid="change-ticket" rel="noreferrer">
                {ticket.key}
              </a>
            ) : null}
            {detail.changeRequests.length > 0 ? (
              <span data-testid="changes-requested" className="rounded-md bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-amber-200">
                changes requested by{" "}
                {detail.changeRequests
                  .map((r) =>
                    r.revisionNumber && r.revisionNumber !== current.number ? `${r.reviewerLabel} (on revision ${r.revisionNumber})` : r.reviewerLabel,
                  )
                  .join(", ")}
              </span>
            ) : null}
            <Badge tone={change.origin === "proposal" ? "violet" : "gray"}>{change.origin}</Badge>
            <Link href={`/specs/${change.spec.id}`} className="font-mono text-sky-700 hover:underline">
              {change.spec.path}
            </Link>
            <span>in {change.spec.repository.name}</span>
            <span>
              ·{" "}
              {change.origin === "proposal"
                ? `proposed by ${change.author?.email ?? "a deleted user"}`
                : `imported from ${change.version?.commitSha.slice(0, 7)} by ${current.authorLabel}`}
            </span>
            {change.origin === "import" ? <AuthorBadge verification={detail.authorVerification} /> : null}
          </span>
        }
        actions={
          <>
            {detail.can.revise ? (
              <Link href={`/changes/${change.number}/revise`} className={secondaryButtonClass}>
                Upload a revision
              </Link>
            ) : null}
            {change.origin === "proposal" ? (
              <a href={`/api/v1/changes/${change.number}/patch`} className={secondaryButtonClass} download>
                Download patch
              </a>
            ) : null}
          </>
        }
      />
      {overrides.map((o) => (
        <p key={o.id} role="note" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="override">
          <strong>Approved by an admin override</strong> ({o.reviewerLabel}, {formatDate(o.createdAt)}): {o.body}
        </p>
      ))}
      {detail.landedAs ? (
        <p className="mb-4 rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
          Landed in git as{" "}
          <Link href={`/specs/${change.spec.id}?v=${detail.landedAs.seq}`} className="underline">
            version {detail.landedAs.seq}
          </Link>{" "}
          ({detail.landedAs.commitSha.slice(0, 7)}), which arrived already approved.
        </p>
      ) : null}
      {detail.carriedFrom.map((p) => (
        <p key={p.id} className="mb-4 rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
          These bytes were approved as proposal{" "}
          <Link href={`/changes/${p.number}`} className="underline">
            #{p.number} {p.title}
          </Link>
          .
        </p>
      ))}
      {change.description ? <p className="mb-4 whitespace-pre-wrap text-sm text-slate-700">{change.description}</p> : null}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[1fr_24rem]">
        <div className="min-w-0 space-y-6">
          <Card className="p-4">
            <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
              <h2 className="font-medium" data-testid="diff-title">
                {comparingRevisions ? `Changes from ${revisionLabel(from)} to ${revisionLabel(to)}` : `Changes against the ${detail.baseLabel}`}
              </h2>
              {sinceReview !== null && !(from === sinceReview && to === current.number) ? (
                <Link href={`/changes/${change.number}?from=${sinceReview}&to=${current.number}`} className="text-sm text-sky-700 hover:underline">
                  Changes since your last review (revision {sinceReview})
                </Link>
              ) : null}
            </div>
            {change.revisions.length > 1 ? (
              <form className="mb-3 flex flex-wrap items-end gap-2 text-sm" aria-label="Compare revisions">
                <label className="flex flex-col">
                  From
                  <select name="from" defaultValue={String(from)} className="mt-1 rounded-md border border-slate-300 px-2 py-1">
                    <option value="0">{detail.baseLabel}</option>
                    {change.revisions.map((r) => (
                      <option key={r.number} value={r.number}>
                        revision {r.number}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="flex flex-col">
                  To
                  <select name="to" defaultValue={String(to)} className="mt-1 rounded-md border border-slate-300 px-2 py-1">
                    {change.revisions.map((r) => (
                      <option key={r.number} value={r.number}>
                        revision {r.number}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" className={secondaryButtonClass}>
                  Compare
                </button>
                {comparingRevisions ? (
                  <Link href={`/changes/${change.number}`} className="py-1.5 text-sky-700 hover:underline">
                    Show the whole change
                  </Link>
                ) : null}
              </form>
            ) : null}
            {contract ? <ContractChanges classification={contract} /> : null}
            <div data-testid="diff">
              <DiffView diff={diff} mode="unified" />
            </div>
          </Card>
          <Card className="p-4">
            <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
              <h2 className="font-medium">Exactly what an approval approves</h2>
              <span className="text-xs text-slate-500">
                revision {current.number} · {formatBytes(detail.currentSize)}
              </span>
            </div>
            <p className="mb-2 break-all font-mono text-xs text-slate-600" data-testid="content-hash">
              sha256:{change.currentHash}
            </p>
            <pre
              tabIndex={0}
              className="max-h-[32rem] overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs whitespace-pre-wrap"
              data-testid="reviewed-content"
            >
              {detail.currentText}
            </pre>
          </Card>
        </div>
        <aside className="space-y-6">
          <Card className="p-4">
            <h2 className="mb-1 font-medium">Policy</h2>
            <p className="mb-3 text-xs text-slate-500">
              {change.spec.ownerRule ? (
                <>
                  From the rule <code className="font-mono">{change.spec.ownerRule.pattern}</code>; owners {detail.owners.join(", ") || "none"}.
                </>
              ) : (
                "No rule owns this file: the default policy applies."
              )}
            </p>
            <ul className="space-y-2 text-sm" data-testid="requirements">
              {evaluation.requirements.map((r) => (
                <li key={r.key} className="flex items-start gap-2">
                  <span aria-hidden className={r.met ? "text-emerald-600" : "text-slate-500"}>
                    {r.met ? "✓" : "○"}
                  </span>
                  <span>
                    {r.label} <span className="text-slate-500">({r.detail})</span>
                    <span className="sr-only">{r.met ? " met" : " not met"}</span>
                  </span>
                </li>
              ))}
            </ul>
            {evaluation.ignored.length > 0 ? (
              <ul className="mt-3 space-y-1 text-xs text-slate-500">
                {evaluation.ignored.map((i) => (
                  <li key={i.reviewerId}>
                    {labelOf(i.reviewerId)}&apos;s approval does not count:{" "}
                    {i.reason === "author"
                      ? "they wrote this revision"
                      : i.reason === "earlier-content"
                        ? "it was for an earlier revision"
                        : "their role may not review"}
                  </li>
                ))}
              </ul>
            ) : null}
          </Card>
          {detail.can.decide || detail.can.comment || detail.approveHint ? (
            <Card className="p-4">
              <h2 className="mb-3 font-medium">Your review</h2>
              {detail.approveHint ? (
                <p className="mb-3 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="approve-hint">
                  {detail.approveHint}
                </p>
              ) : null}
              {detail.can.decide || detail.can.comment ? <DecisionPanel number={change.number} contentHash={change.currentHash} can={detail.can} /> : null}
            </Card>
          ) : null}
          <Card className="p-4">
            <h2 className="mb-3 font-medium">History</h2>
            <ol className="space-y-3 text-sm" data-testid="review-timeline">
              {timeline.map((item) =>
                item.type === "revision" ? (
                  <li key={`r${item.revision.number}`} className="border-l-2 border-slate-200 pl-3">
                    <div>
                      <strong>{item.revision.authorLabel}</strong> {item.revision.number === 1 ? "opened it" : `uploaded revision ${item.revision.number}`}
                    </div>
                    <div className="font-mono text-xs text-slate-500">
                      sha256:{item.revision.contentHash.slice(0, 12)} · {formatDate(item.at)}
                    </div>
                  </li>
                ) : (
                  <li key={item.decision.id} className={`border-l-2 pl-3 ${item.decision.kind === "override" ? "border-amber-400" : "border-slate-200"}`}>
                    <div>
                      <strong>{item.decision.reviewerLabel}</strong> {DECISION_LABELS[item.decision.kind]}
                      {item.decision.revisionNumber
                        ? `${item.decision.kind === "comment" || item.decision.kind === "request_changes" ? " on" : ""} revision ${item.decision.revisionNumber}`
                        : ""}
                      {item.decision.breaking ? (
                        <>
                          {" "}
                          <Badge tone="red">breaking</Badge>
                        </>
                      ) : null}
                    </div>
                    {item.decision.body ? <p className="whitespace-pre-wrap text-slate-700">{item.decision.body}</p> : null}
                    <div className="text-xs text-slate-500">{formatDate(item.at)}</div>
                  </li>
                ),
              )}
            </ol>
          </Card>
        </aside>
      </div>
    </>
  );
}
