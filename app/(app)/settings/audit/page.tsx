import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { checkAuditLog } from "@/lib/audit";
import { auditFilterChoices, listAuditPage } from "@/lib/audit/browse";
import { auditQuerySchema, auditSearch, type AuditQuery } from "@/lib/audit/browse-query";
import { Badge, Card, FilterSelect, PageHeader, buttonClass, formatDate, inputClass, Table } from "@/components/ui";

export const metadata = { title: "Audit log" };

// A render checks only what was appended since the last verified point; ?full=1 checks the
// whole chain again from its first event.
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("audit:read");
  const params = await searchParams;
  const full = params.full === "1";
  const raw = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, (Array.isArray(v) ? v[0] : v) || undefined]));
  const parsed = auditQuerySchema.safeParse(raw);
  // A malformed filter is reported, and the log shown unfiltered, rather than guessed at.
  const query: AuditQuery = parsed.success ? parsed.data : {};
  const status = await checkAuditLog(user, { full });
  const { check } = status;
  const [{ events, filtered, nextBefore }, choices] = await Promise.all([listAuditPage(user, query), auditFilterChoices(user)]);
  const exportHref = `/api/v1/audit/export${auditSearch(query, { before: undefined })}`;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every state change, appended to a SHA-256 hash chain that the database will not let anyone edit."
        actions={
          <span className="flex gap-4">
            <a href={exportHref} download className="text-sm text-sky-700 hover:underline" data-testid="audit-export">
              Export {filtered ? "these events" : "all events"} (JSON Lines)
            </a>
            <a href="/api/v1/audit/checkpoint" download="specledger-audit-checkpoint.json" className="text-sm text-sky-700 hover:underline">
              Export signed checkpoint
            </a>
          </span>
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
            <a href="/settings/audit?full=1" className="text-sky-700 underline">
              Verify the whole chain
            </a>
          </p>
        </div>
      </Card>
      {!parsed.success ? (
        <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          These filters could not be read ({parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}); showing every event.
        </p>
      ) : null}
      <Card className="mb-4 p-4">
        <form className="grid gap-3 md:grid-cols-[1fr_1fr_1fr_1fr_1fr_auto] md:items-end" role="search" aria-label="Filter the audit log">
          <FilterSelect label="Actor" name="actor" value={query.actor ?? ""} options={[{ value: "", label: "Anyone" }, ...choices.actors]} />
          <FilterSelect label="Event type" name="action" value={query.action ?? ""} options={[{ value: "", label: "All" }, ...choices.actions]} />
          <label className="text-sm font-medium">
            Target
            <input name="target" defaultValue={query.target} placeholder="repository or repository:id" maxLength={200} className={`mt-1 ${inputClass}`} />
          </label>
          <label className="text-sm font-medium">
            From (UTC)
            <input type="date" name="since" defaultValue={query.since} className={`mt-1 ${inputClass}`} />
          </label>
          <label className="text-sm font-medium">
            To (UTC)
            <input type="date" name="until" defaultValue={query.until} className={`mt-1 ${inputClass}`} />
          </label>
          <button type="submit" className={buttonClass}>
            Filter
          </button>
        </form>
      </Card>
      <Card>
        <Table columns={["#", "When (UTC)", "Actor", "Action", "Target", "Hash"]} testId="audit-events">
          {events.map((e) => (
            <AuditRow key={e.seq} event={e} broken={!check.ok && e.seq === check.brokenAt} />
          ))}
        </Table>
        {events.length === 0 ? <p className="px-4 py-3 text-sm text-slate-500">No events match.</p> : null}
        <div className="flex items-center justify-between border-t border-slate-200 px-4 py-2 text-sm text-slate-600">
          <span>
            {events.length > 0 ? `Events #${events[0].seq} to #${events[events.length - 1].seq}, newest first.` : ""} Numbers that are not listed are explained
            where they fall.
          </span>
          <span className="flex gap-3">
            {query.before ? (
              <Link href={`/settings/audit${auditSearch(query, { before: undefined })}`} className="text-sky-700 hover:underline">
                Newest
              </Link>
            ) : null}
            {nextBefore ? (
              <Link href={`/settings/audit${auditSearch(query, { before: String(nextBefore) })}`} className="text-sky-700 hover:underline">
                Older →
              </Link>
            ) : null}
          </span>
        </div>
      </Card>
    </>
  );
}

type AuditRowEvent = Awaited<ReturnType<typeof listAuditPage>>["events"][number];

function AuditRow({ event: e, broken }: { event: AuditRowEvent; broken: boolean }) {
  return (
    <>
      <tr className={broken ? "bg-red-50" : undefined} data-seq={e.seq}>
        <td className="px-4 py-2 tabular-nums">{e.seq}</td>
        <td className="px-4 py-2 whitespace-nowrap">{formatDate(e.occurredAt)}</td>
        <td className="px-4 py-2">
          {e.actorName ? (
            <>
              {e.actorName} <span className="block text-xs text-slate-500">{e.actorLabel}</span>
            </>
          ) : (
            e.actorLabel
          )}
        </td>
        <td className="px-4 py-2 font-mono text-xs">{e.action}</td>
        <td className="px-4 py-2">
          {e.subjectHref ? (
            <Link href={e.subjectHref} className="text-sky-700 hover:underline">
              {e.subjectName ?? e.subject}
            </Link>
          ) : (
            (e.subjectName ?? <span className="font-mono text-xs">{e.subject}</span>)
          )}
          {e.subjectName ? <span className="block font-mono text-xs text-slate-500">{e.subject}</span> : null}
        </td>
        <td className="px-4 py-2 font-mono text-xs text-slate-500" title={e.hash}>
          {e.hash.slice(0, 12)}
        </td>
      </tr>
      {e.gapBelow ? (
        <tr data-testid="audit-gap">
          <td colSpan={6} className="bg-slate-50 px-4 py-1 text-xs text-slate-500">
            Not listed: {e.gapBelow}
          </td>
        </tr>
      ) : null}
    </>
  );
}
