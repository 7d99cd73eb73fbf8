import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { loadOr404 } from "@/lib/http/page";
import { getRunOrThrow, publicRun } from "@/lib/runs";
import { plural } from "@/lib/text";
import { RunOutcomeBadge } from "@/components/runs/outcome-badge";
import { ReviewStateBadge } from "@/components/status";
import { Badge, Card, PageHeader, formatDate } from "@/components/ui";

type RunRef = ReturnType<typeof publicRun>["refs"][number];

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("runs:read");
  const { id } = await params;
  // The page shows exactly what GET /api/v1/runs/{id} answers.
  const run = publicRun(await loadOr404(getRunOrThrow(user, id)));
  const specs = run.refs.filter((r) => r.kind === "spec");
  const instructions = run.refs.filter((r) => r.kind === "instruction");
  const facts: [string, React.ReactNode][] = [
    ["Agent", run.model ? `${run.agent} (${run.model})` : run.agent],
    ["Repository", run.repository ?? "—"],
    ["Commit", run.commit ? <span className="font-mono text-xs">{run.commit.slice(0, 12)}</span> : "—"],
    ["Branch", run.branch ?? "—"],
    ["Started", run.startedAt ? formatDate(run.startedAt) : "—"],
    ["Finished", run.finishedAt ? formatDate(run.finishedAt) : "—"],
    ["Tokens in / out", `${run.inputTokens ?? "—"} / ${run.outputTokens ?? "—"}`],
    ["Cost", run.costUsd === null ? "—" : `$${run.costUsd.toFixed(2)}`],
    ["Reported by", `${run.reportedBy} on ${formatDate(run.createdAt)}`],
  ];
  return (
    <>
      <PageHeader
        title={
          <span>
            Run <span className="font-mono">{run.externalId}</span>
          </span>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <RunOutcomeBadge outcome={run.outcome} />
            <Link href="/runs" className="text-sky-700 hover:underline">
              All runs
            </Link>
          </span>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-6">
          <Card className="p-4">
            <h2 className="mb-3 font-medium">Spec versions it loaded ({specs.length})</h2>
            <RefList refs={specs} testId="run-specs" />
          </Card>
          <Card className="p-4">
            <h2 className="mb-3 font-medium">Instruction files it loaded ({instructions.length})</h2>
            <RefList refs={instructions} testId="run-instructions" />
          </Card>
        </div>
        <aside className="space-y-6">
          <Card className="p-4">
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm" data-testid="run-facts">
              {facts.map(([label, value]) => (
                <div key={label} className="contents">
                  <dt className="text-slate-500">{label}</dt>
                  <dd className="min-w-0 break-words">{value}</dd>
                </div>
              ))}
            </dl>
            {Array.isArray(run.links) && run.links.length > 0 ? (
              <ul className="mt-3 space-y-1 text-sm">
                {(run.links as { label: string; url: string }[]).map((l) => (
                  <li key={l.url}>
                    <a href={l.url} rel="noopener noreferrer nofollow" target="_blank" className="text-sky-700 hover:underline">
                      {l.label}
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
          </Card>
          <Card className="p-4">
            <h2 className="mb-2 font-medium">Deployments ({run.deployments.length})</h2>
            {run.deployments.length === 0 ? (
              <p className="text-sm text-slate-500">No deployment names this run.</p>
            ) : (
              <ul className="space-y-1 text-sm" data-testid="run-deployments">
                {run.deployments.map((d) => (
                  <li key={d.id} className="flex items-center justify-between gap-2">
                    {can(user.role, "deployments:read") ? (
                      <Link href={`/deployments/${d.id}`} className="text-sky-700 hover:underline">
                        {d.service} {d.version} in {d.environment}
                      </Link>
                    ) : (
                      <span>
                        {d.service} {d.version} in {d.environment}
                      </span>
                    )}
                    {d.live ? <Badge tone="green">live</Badge> : <Badge>replaced</Badge>}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </aside>
      </div>
    </>
  );
}

function RefList({ refs, testId }: { refs: RunRef[]; testId: string }) {
  if (refs.length === 0) return <p className="text-sm text-slate-500">None reported.</p>;
  const unresolved = refs.filter((r) => !r.version).length;
  return (
    <>
      {unresolved > 0 ? <p className="mb-2 text-xs text-amber-700">{plural(unresolved, "reference")} did not match any imported version.</p> : null}
      <ul className="space-y-1.5 text-sm" data-testid={testId}>
        {refs.map((r, i) => {
          if (!r.version) {
            const ref = r.reference as { contentHash?: string; repository?: string | null; path?: string | null; commit?: string | null };
            return (
              <li key={i} className="flex items-center gap-2">
                <Badge tone="red">unresolved</Badge>
                <span className="font-mono text-xs break-all">
                  {ref.contentHash ? `sha256:${ref.contentHash.slice(0, 12)}` : `${ref.repository ?? "?"}:${ref.path ?? "?"}@${ref.commit?.slice(0, 7) ?? "?"}`}
                </span>
              </li>
            );
          }
          const v = r.version;
          return (
            <li key={i} className="flex flex-wrap items-center gap-2">
              <Link href={`/specs/${v.specId}?v=${v.seq}`} className="font-mono text-xs text-sky-700 hover:underline">
                {v.repository}:{v.path} v{v.seq}
              </Link>
              <ReviewStateBadge state={v.reviewState} />
              {v.current ? <Badge tone="blue">current</Badge> : <span className="text-xs text-slate-500">not current</span>}
            </li>
          );
        })}
      </ul>
    </>
  );
}
