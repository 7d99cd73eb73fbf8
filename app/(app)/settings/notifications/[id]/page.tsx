import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getSubscriptionWithDeliveries } from "@/lib/notifications/subscriptions";
import { RedeliverButton } from "@/components/notification-forms";
import { Badge, Card, EmptyState, PageHeader, RelativeTime, Table } from "@/components/ui";

export const metadata = { title: "Delivery log" };

const TONE = { delivered: "green", failed: "red", timeout: "amber", refused: "red" } as const;

export default async function SubscriptionPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("notifications:manage");
  const { id } = await params;
  const found = await getSubscriptionWithDeliveries(user, id).catch((error) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const { subscription, deliveries } = found;
  return (
    <>
      <PageHeader
        title="Delivery log"
        description={
          <>
            <span className="break-all font-mono">{subscription.url}</span> · {subscription.events.join(", ")} ·{" "}
            <Link href="/settings/notifications" className="text-sky-700 underline">
              all subscriptions
            </Link>
          </>
        }
      />
      {deliveries.length === 0 ? (
        <EmptyState title="Nothing sent yet" />
      ) : (
        <Card>
          <Table columns={["Time", "Event", "Attempt", "Status", "Response", "Latency", ""]} testId="deliveries">
            {deliveries.map((d) => (
              <tr key={d.id} className="border-b border-slate-100 last:border-0">
                <td className="px-4 py-2">
                  <RelativeTime date={d.createdAt} />
                </td>
                <td className="px-4 py-2 font-mono text-xs">{d.eventType}</td>
                <td className="px-4 py-2">{d.attempt}</td>
                <td className="px-4 py-2" title={d.error ?? undefined}>
                  <Badge tone={TONE[d.status as keyof typeof TONE] ?? "gray"}>{d.status}</Badge>
                  {d.error ? <span className="ml-2 text-xs text-slate-500">{d.error}</span> : null}
                </td>
                <td className="px-4 py-2">{d.responseCode ?? "—"}</td>
                <td className="px-4 py-2">{d.latencyMs === null ? "—" : `${d.latencyMs} ms`}</td>
                <td className="px-4 py-2 text-right">
                  <RedeliverButton id={subscription.id} eventId={d.eventId} />
                </td>
              </tr>
            ))}
          </Table>
        </Card>
      )}
    </>
  );
}
