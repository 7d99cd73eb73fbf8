import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { setAllowUnreviewedAction } from "@/lib/actions/deployments";
import { listDeployments, listEnvironments } from "@/lib/deployments";
import { Badge, Card, EmptyState, PageHeader, RelativeTime, Table } from "@/components/ui";

export const metadata = { title: "Deployments" };

export default async function DeploymentsPage() {
  const user = await requireUser("deployments:read");
  const [environments, recent] = await Promise.all([listEnvironments(user), listDeployments(user, { take: 50 })]);
  return (
    <>
      <PageHeader title="Deployments" description="What is live where, and the spec versions behind each deployment. Record deployments with specledger deploy record or POST /api/v1/deployments." />
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
