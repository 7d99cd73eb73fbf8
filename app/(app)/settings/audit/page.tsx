import { requireUser } from "@/lib/auth/session";
import { checkAuditLog, listAuditEvents } from "@/lib/audit";
import { Badge, Card, PageHeader, formatDate, Table } from "@/components/ui";

export const metadata = { title: "Audit log" };

// A render checks only what was appended since the last verified point; ?full=1 checks the
// whole chain again from its first event.
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("audit:read");
  const full = (await searchParams).full === "1";
  const status = await checkAuditLog(user, { full });
  const { check } = status;
  const events = await listAuditEvents(user, { take: 200 });
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every state change, appended to a SHA-256 hash chain that the database will not let anyone edit."
        actions={
          <a href="/api/v1/audit/checkpoint" download="specledger-audit-checkpoint.json" className="text-sm text-sky-700 hover:underline">
            Export signed checkpoint
          </a>
        }
      />
      <Card className="mb-6 p-4">
        <div data-testid="audit-verification" data-ok={check.ok ? "true" : "false"} data-mode={status.mode}>
          {check.ok ? (
            <p className="flex items-center gap-2 text-sm">
              <Badge tone="green">chain verified</Badge> {check.length.toLocaleString("en")} events; head{" "}
              <code className="font-mono text-xs">{check.head.slice(0, 16)}…</code>
            </p>
          ) : (
            <p role="alert" className="text-sm text-red-700">
              <Badge tone="red">chain broken</Badge> at event {check.brokenAt}: {check.reason}. Events before it ({check.length}) verify.
            </p>
          )}
          <p className="mt-2 text-xs text-slate-500" data-testid="audit-last-full-check">
            {status.mode === "full" ? "Checked from the first event just now. " : "Checked from the last verified point. "}
            {status.fullCheckAt ? `Last fully verified ${formatDate(status.fullCheckAt)}.` : "Never fully verified yet."}{" "}
            <a href="/settings/audit?full=1" className="text-sky-700 hover:underline">
              Verify the whole chain
            </a>
          </p>
        </div>
      </Card>
      <Card>
        <Table columns={["#", "When (UTC)", "Actor", "Action", "Subject", "Hash"]}>
          {events.map((e) => (
            <tr key={e.seq} className={!check.ok && e.seq === check.brokenAt ? "bg-red-50" : undefined}>
              <td className="px-4 py-2 tabular-nums">{e.seq}</td>
              <td className="px-4 py-2 whitespace-nowrap">{formatDate(e.occurredAt)}</td>
              <td className="px-4 py-2">{e.actorLabel}</td>
              <td className="px-4 py-2 font-mono text-xs">{e.action}</td>
              <td className="px-4 py-2 font-mono text-xs">{e.subject}</td>
              <td className="px-4 py-2 font-mono text-xs text-slate-500" title={e.hash}>
                {e.hash.slice(0, 12)}
              </td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}
