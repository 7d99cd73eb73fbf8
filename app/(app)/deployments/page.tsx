import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { revokeWaiverAction, setAllowUnreviewedAction } from "@/lib/actions/deployments";
import { listDeployments, listEnvironments } from "@/lib/deployments";
import { listWaivers } from "@/lib/deployments/waivers";
import { WaiverForm } from "@/components/waiver-form";
import { Badge, Card, EmptyState, PageHeader, RelativeTime, Table, formatDate } from "@/components/ui";

export const metadata = { title: "Deployments" };

export default async function DeploymentsPage() {
  const user = await requireUser("deployments:read");
  const [environments, recent, waivers] = await Promise.all([listEnvironments(user), listDeployments(user, { take: 50 }), listWaivers(user)]);
  const mayWaive = can(user.role, "gate:waive");
  return (
    <>
      <PageHeader
        title="Deployments"
        description="What is live where, and the spec versions behind each deployment. Record deployments with specledger deploy record or POST /api/v1/deployments."
      />
      {environments.length === 0 ? (
        <EmptyState title="No deployments recorded yet" />
      ) : (
        <div className="mb-8 grid gap-4 md:grid-cols-2 xl:grid-cols-3" data-testid="environments">
          {environments.map((env) => (
            <Card key={env.id} className="p-4">
              <h2 className="mb-2 flex items-center justify-between font-medium">
                {env.name}
                {env.allowUnreviewed ? <Badge tone="amber">lets unreviewed specs through</Badge> : null}
              </h2>
              {can(user.role, "policies:manage") ? (
                <form action={setAllowUnreviewedAction} className="mb-2">
                  <input type="hidden" name="environmentId" value={env.id} />
                  <input type="hidden" name="allow" value={env.allowUnreviewed ? "false" : "true"} />
                  <button type="submit" className="text-xs text-sky-700 hover:underline">
                    {env.allowUnreviewed ? "Require reviewed specs here" : "Let unreviewed specs through here"}
                  </button>
                </form>
              ) : null}
              {env.deployments.length === 0 ? (
                <p className="text-sm text-slate-500">Nothing live.</p>
              ) : (
                <ul className="space-y-1 text-sm">
                  {env.deployments.map((d) => (
                    <li key={d.id} className="flex items-center justify-between gap-2">
                      <Link href={`/deployments/${d.id}`} className="text-sky-700 hover:underline">
                        {d.service} <span className="font-mono">{d.version}</span>
                      </Link>
                      <span className="text-xs text-slate-500">
                        {d.alongside ? "alongside · " : ""}
                        <RelativeTime date={d.deployedAt} />
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          ))}
        </div>
      )}
      <Card className="mb-8 p-4">
        <h2 className="font-medium">Active waivers</h2>
        <p className="mb-3 text-sm text-slate-600">
          Break-glass: a waiver lets one version of a service through can-i-deploy for one environment until it expires, and every answer it changes says so.
        </p>
        {waivers.length === 0 ? (
          <p className="mb-3 text-sm text-slate-500">None.</p>
        ) : (
          <ul className="mb-4 space-y-2 text-sm" data-testid="waivers">
            {waivers.map((w) => (
              <li key={w.id} className="flex flex-wrap items-center gap-2">
                <span>
                  {w.service} <span className="font-mono">{w.version}</span> to {w.environment}, by {w.createdBy} until {formatDate(new Date(w.expiresAt))}:{" "}
                  {w.reason}
                </span>
                {mayWaive ? (
                  <form action={revokeWaiverAction}>
                    <input type="hidden" name="id" value={w.id} />
                    <button type="submit" className="text-xs text-sky-700 hover:underline" aria-label={`Revoke waiver ${w.id}`}>
                      Revoke
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {mayWaive ? <WaiverForm /> : null}
      </Card>
      {recent.length > 0 ? (
        <Card>
          <h2 className="px-4 pt-4 font-medium">Recent deployments</h2>
          <Table columns={["Service", "Version", "Environment", "Deployed", "Runs", "Spec links", "State"]} className="mt-2" testId="deployments">
            {recent.map((d) => (
              <tr key={d.id} className="border-b border-slate-100 last:border-0">
                <td className="px-4 py-2">
                  <Link href={`/deployments/${d.id}`} className="text-sky-700 hover:underline">
                    {d.service}
                  </Link>
                </td>
                <td className="px-4 py-2 font-mono text-xs">{d.version}</td>
                <td className="px-4 py-2">{d.environment.name}</td>
                <td className="px-4 py-2">
                  <RelativeTime date={d.deployedAt} />
                </td>
                <td className="px-4 py-2 tabular-nums">{d._count.runs}</td>
                <td className="px-4 py-2 tabular-nums">{d._count.refs}</td>
                <td className="px-4 py-2">{d.undeployedAt ? <Badge>replaced</Badge> : <Badge tone="green">live</Badge>}</td>
              </tr>
            ))}
          </Table>
        </Card>
      ) : null}
    </>
  );
}
