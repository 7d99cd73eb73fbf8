import Link from "next/link";
import type { Viewer } from "@/lib/auth/permissions";
import { fleetRequirementFigures } from "@/lib/requirements/fleet";
import type { specRequirements } from "@/lib/requirements/queries";
import type { LinkStatus } from "@/lib/requirements/test-scan";
import { Badge, Card, type Tone } from "@/components/ui";

const STATUS: Record<LinkStatus, { label: string; tone: Tone; title: string }> = {
  verified: { label: "tested", tone: "green", title: "A test names this requirement and changed after it" },
  unverified: { label: "unverified", tone: "gray", title: "No test names this requirement" },
  suspect: { label: "suspect link", tone: "amber", title: "The requirement changed after its tests last changed" },
};

export function RequirementStatusBadge({ status }: { status: LinkStatus }) {
  const s = STATUS[status];
  return (
    <Badge tone={s.tone} title={s.title}>
      {s.label}
    </Badge>
  );
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** A spec's requirements with their test status (the first 100), on the spec page. */
export function RequirementsSection({ data }: { data: Awaited<ReturnType<typeof specRequirements>> }) {
  const { summary, requirements } = data;
  return (
    <Card className="p-4">
      <h2 className="mb-1 font-medium">Requirements</h2>
      <p className="mb-2 text-xs text-slate-600" data-testid="requirement-figures">
        {summary.count} requirements · {percent(summary.shareWithTest)} with a test · {percent(summary.shareSuspect)} suspect
      </p>
      <ul className="space-y-1.5 text-sm" data-testid="spec-requirements">
        {requirements.slice(0, 100).map((r) => (
          <li key={r.id} className="flex items-start justify-between gap-2">
            <Link href={`/requirements/${r.id}`} className="min-w-0 truncate text-sky-700 hover:underline" title={r.text}>
              {r.key ? <span className="font-mono">{r.key}</span> : <span className="text-slate-500">line {r.line}</span>} {r.text}
            </Link>
            <span className="flex shrink-0 gap-1">
              {r.missingTests > 0 ? (
                <Badge tone="red" title="A [@test path] link names a path that did not exist at that version">
                  test path not found
                </Badge>
              ) : null}
              <RequirementStatusBadge status={r.status} />
            </span>
          </li>
        ))}
        {requirements.length === 0 ? <li className="text-slate-500">None found.</li> : null}
      </ul>
      {requirements.length > 100 ? <p className="mt-2 text-xs text-slate-500">The first 100 of {requirements.length}; the API lists all.</p> : null}
    </Card>
  );
}

/** The dashboard's card: requirements across every repository, how many have a test, how many are suspect. */
export async function FleetRequirementsCard({ viewer }: { viewer: Viewer }) {
  const f = await fleetRequirementFigures(viewer);
  return (
    <Card className="p-4">
      <h2 className="font-medium">Requirements</h2>
      <p className="text-xs text-slate-500">Live requirements of live specs, and the tests that name them.</p>
      <dl className="mt-3 grid grid-cols-3 gap-2 text-sm" data-testid="fleet-requirements">
        <div>
          <dt className="text-slate-500">Requirements</dt>
          <dd className="text-2xl font-semibold tabular-nums">{f.count}</dd>
        </div>
        <div>
          <dt className="text-slate-500">With a test</dt>
          <dd className="text-2xl font-semibold tabular-nums">{percent(f.shareWithTest)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Suspect</dt>
          <dd className="text-2xl font-semibold tabular-nums">{percent(f.shareSuspect)}</dd>
        </div>
      </dl>
      <p className="mt-2 text-xs text-slate-500">In {f.specs} specs.</p>
    </Card>
  );
}
