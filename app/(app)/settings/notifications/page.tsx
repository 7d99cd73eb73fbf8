import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { listSubscriptions, subscriptionFormOptions } from "@/lib/notifications/subscriptions";
import { CreateSubscriptionForm, SubscriptionControls } from "@/components/notification-forms";
import { Badge, Card, EmptyState, PageHeader, RelativeTime, Table } from "@/components/ui";

export const metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const user = await requireUser("notifications:manage");
  const [subscriptions, options] = await Promise.all([listSubscriptions(user), subscriptionFormOptions(user)]);
  const canCreate = options.workspace || options.ownTeams.length > 0;
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Webhooks for changes, findings, deployments, refused deployments and failed imports, signed as Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). Failed deliveries are retried with backoff for about a day."
      />
      <Card className="mb-6 p-4">
        {canCreate ? (
          <CreateSubscriptionForm
            workspace={options.workspace}
            ownTeams={options.ownTeams.map((t) => ({ id: t.id, label: t.slug }))}
            teams={options.teams.map((t) => ({ id: t.id, label: t.slug }))}
            repositories={options.repositories.map((r) => ({ id: r.id, label: r.name }))}
          />
        ) : (
          <p className="text-sm text-slate-600">Maintainers manage their teams&apos; subscriptions; you are in no team yet.</p>
        )}
      </Card>
      {subscriptions.length === 0 ? (
        <EmptyState title="No subscriptions yet" />
      ) : (
        <Card>
          <Table columns={["URL", "Events", "Owner", "Filters", "Created", ""]} testId="subscriptions">
            {subscriptions.map((s) => (
              <tr key={s.id} className="border-b border-slate-100 last:border-0">
                <td className="px-4 py-2">
                  <Link href={`/settings/notifications/${s.id}`} className="break-all text-sky-700 hover:underline">
                    {s.url}
                  </Link>{" "}
                  {s.format === "slack" ? <Badge>slack</Badge> : null} {s.enabled ? null : <Badge tone="red">disabled</Badge>}
                </td>
                <td className="px-4 py-2 font-mono text-xs">{s.events.join(" ")}</td>
                <td className="px-4 py-2">{s.team?.slug ?? "workspace"}</td>
                <td className="px-4 py-2 text-xs">
                  {[
                    s.filters.repositoryId
                      ? `repository ${options.repositories.find((r) => r.id === s.filters.repositoryId)?.name ?? s.filters.repositoryId}`
                      : null,
                    s.filters.pathGlob ? `path ${s.filters.pathGlob}` : null,
                    s.filters.teamId ? `team ${options.teams.find((t) => t.id === s.filters.teamId)?.slug ?? s.filters.teamId}` : null,
                  ]
                    .filter(Boolean)
                    .join(", ") || "none"}
                </td>
                <td className="px-4 py-2">
                  <RelativeTime date={s.createdAt} />
                </td>
                <td className="px-4 py-2 text-right">
                  <SubscriptionControls id={s.id} enabled={s.enabled} url={s.url} />
                </td>
              </tr>
            ))}
          </Table>
        </Card>
      )}
    </>
  );
}
