import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { getDeploymentProvenance, latestApprovedVersions, type DeploymentProvenance } from "@/lib/deployments";
import { canIDeploy, WAIVER_HINT } from "@/lib/deployments/gate";
import { loadOr404 } from "@/lib/http/page";
import { ReviewStateBadge } from "@/components/status";
import { Badge, Card, EmptyState, PageHeader, formatDate } from "@/components/ui";

type Ref = DeploymentProvenance["direct"][number];

export default async function DeploymentPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("deployments:read");
  const { id } = await params;
  const tree = await loadOr404(getDeploymentProvenance(user, id));
  const all = [...tree.direct, ...tree.baseline, ...tree.runs.flatMap((r) => r.refs)];
  const approved = await latestApprovedVersions(user, [...new Set(all.filter((r) => r.version).map((r) => r.version!.specId))]);
  const gate = await canIDeploy(user, { service: tree.service, version: tree.version, environment: tree.environment });
  const refList = (refs: Ref[], testId: string) =>
    refs.length === 0 ? (
      <p className="text-sm text-slate-500">None.</p>
    ) : (
      <ul className="space-y-1.5 text-sm" data-testid={testId}>
        {refs.map((r, i) => (
          <RefRow key={i} item={r} approvedSeq={r.version ? approved.get(r.version.specId) : undefined} />
        ))}
      </ul>
    );
  return (
    <>
      <PageHeader
        title={
          <span>
            {tree.service} <span className="font-mono">{tree.version}</span> <span className="text-slate-500">in</span> {tree.environment}
          </span>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            {tree.live ? <Badge tone="green">live</Badge> : <Badge>replaced {tree.undeployedAt ? formatDate(tree.undeployedAt) : ""}</Badge>}
            {tree.alongside ? <Badge tone="violet">alongside</Badge> : null}
            <span>
              deployed {formatDate(tree.deployedAt)} by {tree.recordedBy}
            </span>
            {tree.commit ? (
              <span>
                · commit <span className="font-mono">{tree.commit.slice(0, 10)}</span>
                {tree.repository ? ` of ${tree.repository}` : ""}
              </span>
            ) : null}
          </span>
        }
      />
      <Card className={`mb-6 p-4 ${gate.waivedBy ? "border-amber-300" : gate.ok ? "border-emerald-300" : "border-red-300"}`}>
        <div data-testid="gate" data-ok={gate.ok ? "true" : "false"} data-waived={gate.waivedBy ? "true" : "false"}>
          <h2 className="font-medium">
            can-i-deploy {tree.service} {tree.version} to {tree.environment}: {gate.summary}
          </h2>
          {gate.reasons.length > 0 ? (
            <>
              {gate.waivedBy ? <p className="mt-1 text-sm text-amber-800">The waiver lets these through:</p> : null}
              <ul className={`mt-2 list-disc pl-5 text-sm ${gate.waivedBy ? "text-amber-900" : "text-red-800"}`}>
                {gate.reasons.map((r, i) => (
                  <li key={i}>{r.message}</li>
                ))}
              </ul>
              {gate.ok ? null : <p className="mt-2 text-xs text-slate-600">{WAIVER_HINT}</p>}
            </>
          ) : (
            <p className="mt-1 text-sm text-slate-600">Every spec version behind this version ({gate.checked}) passes review.</p>
          )}
          {gate.recordedIn.length > 1 ? (
            <p className="mt-2 text-xs text-slate-500">
              Checked: what every record of {tree.version} names ({gate.recordedIn.join(", ")}), under {tree.environment}&apos;s policy.
            </p>
          ) : null}
        </div>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="p-4">
          <h2 className="mb-3 font-medium">Agent runs behind it ({tree.runs.length})</h2>
          {tree.runs.length === 0 ? (
            <EmptyState title="No runs linked" />
          ) : (
            <ol className="space-y-4" data-testid="deployment-runs">
              {tree.runs.map((run) => (
                <li key={run.id}>
                  <div className="mb-1 text-sm">
                    <span className="font-medium">{run.agent}</span> {run.model ? <span className="text-slate-500">({run.model})</span> : null} ·{" "}
                    <span className="font-mono text-xs">{run.externalId}</span> · {run.outcome}
                  </div>
                  <div className="border-l-2 border-slate-200 pl-3">{refList(run.refs, "run-refs")}</div>
                </li>
              ))}
            </ol>
          )}
        </Card>
        <div className="space-y-6">
          <Card className="p-4">
            <h2 className="mb-3 font-medium">Spec versions named directly</h2>
            {refList(tree.direct, "direct-refs")}
          </Card>
          <Card className="p-4">
            <h2 className="mb-1 font-medium">Baseline: what the deployed commit holds</h2>
            <p className="mb-3 text-xs text-slate-500">
              {tree.commit ? "Every spec and agent file at that commit of the imported repository." : "No commit of an imported repository was recorded."}
            </p>
            {refList(tree.baseline, "baseline-refs")}
          </Card>
        </div>
      </div>
    </>
  );
}

function RefRow({ item, approvedSeq }: { item: Ref & { kind?: string }; approvedSeq?: number }) {
  if (!item.version) {
    const ref = item.reference as { contentHash?: string; repository?: string; path?: string; commit?: string };
    return (
      <li className="flex items-center gap-2">
        <Badge tone="red">unresolved</Badge>
        <span className="font-mono text-xs">
          {ref.contentHash ? `sha256:${ref.contentHash.slice(0, 12)}` : `${ref.repository}:${ref.path}@${ref.commit?.slice(0, 7)}`}
        </span>
      </li>
    );
  }
  const v = item.version;
  return (
    <li className="flex flex-wrap items-center gap-2">
      {item.kind === "instruction" ? <Badge tone="green">instructions</Badge> : null}
      <Link href={`/specs/${v.specId}?v=${v.seq}`} className="font-mono text-xs text-sky-700 hover:underline">
        {v.repository}:{v.path} v{v.seq}
      </Link>
      <ReviewStateBadge state={v.reviewState} />
      {v.current ? (
        <Badge tone="blue">current</Badge>
      ) : approvedSeq && approvedSeq !== v.seq ? (
        <Link href={`/specs/${v.specId}?from=${v.seq}&to=${approvedSeq}`} className="text-xs text-sky-700 hover:underline">
          diff to approved v{approvedSeq}
        </Link>
      ) : (
        <span className="text-xs text-slate-500">not current</span>
      )}
    </li>
  );
}
