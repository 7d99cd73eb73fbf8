import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { getInbox } from "@/lib/inbox";
import { SeverityBadge } from "@/components/finding-badges";
import { ReviewStateBadge } from "@/components/status";
import { Badge, Card, EmptyState, PageHeader, RelativeTime, Table } from "@/components/ui";

export const metadata = { title: "Inbox" };

const KIND_LABELS: Record<string, string> = {
  approve: "approved",
  request_changes: "requested changes",
  comment: "commented",
  reject: "rejected",
  accept: "policy met: approved",
  override: "overrode the policy",
  carry: "approved (matching proposal)",
};

function Section({ title, count, testId, children }: { title: string; count: number; testId: string; children: React.ReactNode }) {
  return (
    <section className="mb-8" data-testid={testId} aria-label={title}>
      <h2 className="mb-3 text-lg font-semibold">
        {title}{" "}
        <span className="ml-1 rounded-full bg-slate-100 px-2 text-sm tabular-nums text-slate-600" data-testid={`${testId}-count`}>
          {count}
        </span>
      </h2>
      {children}
    </section>
  );
}

export default async function InboxPage() {
  const user = await requireUser("reviews:read");
  const inbox = await getInbox(user);
  return (
    <>
      <PageHeader title="Inbox" description="What waits for you: changes to review, news on your changes, and open findings on specs you own." />
      <Section title="Waiting for your review" count={inbox.counts.review} testId="inbox-review">
        {inbox.review.length === 0 ? (
          <EmptyState title="Nothing is waiting for your review.">Open changes to specs you or your teams own appear here.</EmptyState>
        ) : (
          <Card>
            <Table columns={["#", "Change", "Spec", "State", "Opened"]}>
              {inbox.review.map((c) => (
                <tr key={c.number} className="border-b border-slate-100 last:border-0">
                  <td className="px-4 py-2 tabular-nums text-slate-500">{c.number}</td>
                  <td className="px-4 py-2">
                    <Link href={`/changes/${c.number}`} className="font-medium text-sky-700 hover:underline">
                      {c.title}
                    </Link>{" "}
                    <Badge tone={c.origin === "proposal" ? "violet" : "gray"}>{c.origin}</Badge>
                  </td>
                  <td className="px-4 py-2">
                    <span className="font-mono text-xs">{c.spec.path}</span>
                    <div className="text-xs text-slate-500">{c.repository}</div>
                  </td>
                  <td className="px-4 py-2">
                    <ReviewStateBadge state={c.state} />
                  </td>
                  <td className="px-4 py-2 text-slate-600">
                    <RelativeTime date={c.createdAt} />
                  </td>
                </tr>
              ))}
            </Table>
          </Card>
        )}
      </Section>
      <Section title="News on your changes" count={inbox.counts.updates} testId="inbox-updates">
        {inbox.updates.length === 0 ? (
          <EmptyState title="No news on your changes.">Comments and decisions on changes you opened appear here until you open the change.</EmptyState>
        ) : (
          <Card>
            <Table columns={["#", "Change", "Spec", "State", "Latest"]}>
              {inbox.updates.map((c) => (
                <tr key={c.number} className="border-b border-slate-100 last:border-0">
                  <td className="px-4 py-2 tabular-nums text-slate-500">{c.number}</td>
                  <td className="px-4 py-2">
                    <Link href={`/changes/${c.number}`} className="font-medium text-sky-700 hover:underline">
                      {c.title}
                    </Link>{" "}
                    <Badge tone="blue">{c.newDecisions} new</Badge>
                  </td>
                  <td className="px-4 py-2">
                    <span className="font-mono text-xs">{c.spec.path}</span>
                    <div className="text-xs text-slate-500">{c.repository}</div>
                  </td>
                  <td className="px-4 py-2">
                    <ReviewStateBadge state={c.state} />
                  </td>
                  <td className="px-4 py-2 text-slate-600">
                    {c.latestBy} {KIND_LABELS[c.latestKind] ?? c.latestKind} <RelativeTime date={c.latestAt} />
                  </td>
                </tr>
              ))}
            </Table>
          </Card>
        )}
      </Section>
      <Section title="Open findings on specs you own" count={inbox.counts.findings} testId="inbox-findings">
        {inbox.findings.length === 0 ? (
          <EmptyState title="No open findings on specs you own." />
        ) : (
          <Card>
            <Table columns={["Severity", "Finding", "Spec", "Since"]}>
              {inbox.findings.map((f) => (
                <tr key={f.id} className="border-b border-slate-100 last:border-0">
                  <td className="px-4 py-2">
                    <SeverityBadge severity={f.severity} />
                  </td>
                  <td className="px-4 py-2">
                    <Link href={`/findings/${f.id}`} className="text-sky-700 hover:underline">
                      {f.message}
                    </Link>
                    <div className="text-xs text-slate-500">
                      {f.type} · {f.rule}
                    </div>
                  </td>
                  <td className="px-4 py-2">
                    <Link href={`/specs/${f.spec.id}`} className="font-mono text-xs hover:underline">
                      {f.spec.path}
                    </Link>
                    <div className="text-xs text-slate-500">{f.repository}</div>
                  </td>
                  <td className="px-4 py-2 text-slate-600">
                    <RelativeTime date={f.firstSeenAt} />
                  </td>
                </tr>
              ))}
            </Table>
          </Card>
        )}
      </Section>
    </>
  );
}
