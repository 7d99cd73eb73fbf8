import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { loadOr404 } from "@/lib/http/page";
import { getRequirement } from "@/lib/requirements/queries";
import { RequirementStatusBadge } from "@/components/requirements";
import { Badge, Card, PageHeader, formatDate } from "@/components/ui";

export default async function RequirementPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const r = await loadOr404(getRequirement(user, id));
  return (
    <div className="space-y-4">
      <PageHeader
        title={r.key ?? `Requirement at line ${r.line}`}
        description={
          <>
            In{" "}
            <Link href={`/specs/${r.spec.id}`} className="text-sky-700 hover:underline">
              {r.spec.path}
            </Link>{" "}
            ({r.spec.repository.name})
          </>
        }
        actions={
          <span className="flex gap-2">
            {r.removed ? <Badge tone="red">removed in version {r.removedSeq}</Badge> : null}
            <RequirementStatusBadge status={r.status} />
          </span>
        }
      />
      <Card className="p-4">
        <p className="whitespace-pre-wrap text-sm">{r.text}</p>
        <p className="mt-2 text-xs text-slate-500">
          Added in version {r.addedSeq}; text last changed in version {r.changedSeq} ({formatDate(r.changedAt)}); identity confidence {r.confidence}.
        </p>
      </Card>
      <Card className="p-4">
        <h2 className="mb-2 font-medium">Tests</h2>
        <ul className="space-y-1 text-sm" data-testid="requirement-links">
          {r.links.map((l) => (
            <li key={`${l.how}:${l.path}:${l.line}`} className="flex items-center justify-between gap-2">
              <span className="min-w-0 truncate font-mono">
                {l.path}
                {l.line === null ? null : `:${l.line}`}
              </span>
              <span className="flex shrink-0 items-center gap-2 text-xs text-slate-500">
                {l.how === "explicit" ? <Badge tone="blue">explicit</Badge> : l.how}
                {l.testCommit && l.testChangedAt ? ` · ${l.testCommit.slice(0, 8)} · ${formatDate(l.testChangedAt)}` : null}
                {l.missing ? <Badge tone="red">path not found</Badge> : null}
                {l.suspect ? <Badge tone="amber">suspect</Badge> : null}
              </span>
            </li>
          ))}
          {r.links.length === 0 ? <li className="text-slate-500">No test names this requirement.</li> : null}
        </ul>
      </Card>
      <Card className="p-4">
        <h2 className="mb-2 font-medium">History</h2>
        <ol className="space-y-2 text-sm" data-testid="requirement-history">
          {r.history.map((h) => (
            <li key={h.seq}>
              <div className="flex flex-wrap items-center gap-2">
                <Link href={`/specs/${r.spec.id}?v=${h.seq}`} className="text-sky-700 hover:underline">
                  Version {h.seq}
                </Link>
                <Badge tone={h.event === "added" ? "green" : h.event === "removed" ? "red" : "blue"}>{h.event}</Badge>
                <span className="text-xs text-slate-500">
                  {h.commitSha.slice(0, 8)} · {formatDate(h.committedAt)} · line {h.line}
                  {h.event === "changed" ? ` · confidence ${h.confidence}` : ""}
                </span>
              </div>
              {h.event !== "removed" ? <p className="mt-1 text-slate-700">{h.text}</p> : null}
            </li>
          ))}
        </ol>
      </Card>
    </div>
  );
}
