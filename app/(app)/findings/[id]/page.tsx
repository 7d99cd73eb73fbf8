import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { loadOr404 } from "@/lib/http/page";
import { getFindingOrThrow } from "@/lib/findings/store";
import { FindingStatusBadge, FindingTypeLabel, SeverityBadge } from "@/components/finding-badges";
import { Card, RelativeTime, secondaryButtonClass } from "@/components/ui";
import { EvidenceView } from "@/components/findings/evidence-view";
import { SilenceCard, WhyCard } from "@/components/findings/explain-cards";
import { previewFindingFix, type FixPreview } from "@/lib/findings/propose-fix";
import { acceptDriftAction, proposeFindingFixAction, setFindingStatusAction } from "@/lib/actions/findings";

export const metadata = { title: "Finding" };

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
