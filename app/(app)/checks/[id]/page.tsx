import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { getCheckPage } from "@/lib/checks/queries";
import type { CheckFileResult, CheckItem } from "@/lib/checks/schema";
import { loadOr404 } from "@/lib/http/page";
import { plural } from "@/lib/text";
import { KindBadge } from "@/components/status";
import { Badge, Card, PageHeader, RelativeTime, type Tone } from "@/components/ui";

const STATUS_TONES: Record<CheckFileResult["status"], Tone> = { added: "green", modified: "blue", deleted: "red", unchanged: "gray" };

/** One pull-request check as `specledger check` printed it: the verdict, and per file its approval and items. */
export default async function CheckPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("repositories:read");
  const { id } = await params;
  // The page shows exactly what GET /api/v1/checks/{id} answers.
  const { check, specAt } = await loadOr404(getCheckPage(user, id));
  const changed = check.files.filter((f) => f.status !== "unchanged");
  const affected = check.files.filter((f) => f.status === "unchanged");
  const { summary } = check;
  return (
    <>
      <PageHeader
        title={
          <span>
            Check of {check.repository.name}
            {check.pullRequest ? ` PR #${check.pullRequest}` : ""}
          </span>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={check.verdict === "pass" ? "green" : "red"}>{check.verdict === "pass" ? "passed" : "failed"}</Badge>
            <span className="font-mono text-xs">
              {check.base.slice(0, 12)}...{check.head.slice(0, 12)}
            </span>
            <RelativeTime date={check.createdAt} />
            {check.ticket ? (
              <span data-testid="check-ticket">
                ticket{" "}
                <a href={check.ticket.url} rel="noopener noreferrer nofollow" className="text-sky-700 underline">
                  {check.ticket.key}
                </a>{" "}
                (in its {check.ticket.where === "commit" ? "commits" : check.ticket.where})
              </span>
            ) : null}
            <Link href={`/repositories/${check.repository.id}#checks`} className="text-sky-700 underline">
              All checks of {check.repository.name}
            </Link>
            <a href={`/api/v1/checks/${check.id}`} className="text-sky-700 underline">
              JSON
            </a>
          </span>
        }
      />
      <p className="mb-4 text-sm text-slate-700" data-testid="check-summary">
        {plural(summary.files, "governed file")} changed{affected.length ? `, ${plural(affected.length, "unchanged file")} affected` : ""}:{" "}
        {summary.blocking > 0 ? <strong className="text-red-700">{plural(summary.blocking, "blocking item")}</strong> : "nothing blocking"},{" "}
        {plural(summary.errors, "error")}, {plural(summary.warnings, "warning")}, {plural(summary.notes, "note")}.{" "}
        {check.verdict === "fail"
          ? "The repository's check policy fails the pull request on the blocking items below."
          : "The repository's check policy lets the pull request pass."}
      </p>
      <div className="space-y-4">
        {check.files.length === 0 ? <Card className="p-4 text-sm text-slate-500">The pull request changed no governed file and affected none.</Card> : null}
        {changed.length > 0 ? <FileList title="Changed in the pull request" files={changed} specAt={specAt} /> : null}
        {affected.length > 0 ? (
          <FileList
            title="Not changed, but affected"
            note="Governed files the pull request leaves as they are while it changes the code they govern or deletes what they name."
            files={affected}
            specAt={specAt}
          />
        ) : null}
      </div>
    </>
  );
}

function FileList({ title, note, files, specAt }: { title: string; note?: string; files: CheckFileResult[]; specAt: Record<string, string> }) {
  return (
    <Card>
      <div className="border-b border-slate-100 px-4 py-3">
        <h2 className="font-medium">
          {title} ({files.length})
        </h2>
        {note ? <p className="text-sm text-slate-600">{note}</p> : null}
      </div>
      <ul className="divide-y divide-slate-100" data-testid="check-files">
        {files.map((file) => (
          <li key={file.path} className="px-4 py-3" data-path={file.path}>
            <div className="flex flex-wrap items-center gap-2 text-sm">
              {specAt[file.path] ? (
                <Link href={`/specs/${specAt[file.path]}`} className="font-mono text-xs break-all text-sky-700 underline">
                  {file.path}
                </Link>
              ) : (
                <span className="font-mono text-xs break-all">{file.path}</span>
              )}
              <KindBadge kind={file.kind} />
              <Badge tone={STATUS_TONES[file.status]}>{file.status}</Badge>
              <span className="text-slate-600">{approvalText(file)}</span>
              {file.owners.length ? <span className="text-xs text-slate-500">owned by {file.owners.join(", ")}</span> : null}
            </div>
            {file.items.length > 0 ? (
              <ul className="mt-2 space-y-1.5 text-sm">
                {file.items.map((item, i) => (
                  <Item key={i} item={item} />
                ))}
              </ul>
            ) : (
              <p className="mt-1 text-sm text-slate-500">Nothing to report.</p>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function approvalText(file: CheckFileResult): React.ReactNode {
  const { approval } = file;
  switch (approval.state) {
    case "approved":
      return (
        <>
          approved in{" "}
          <Link href={`/changes/${approval.change}`} className="text-sky-700 underline">
            change #{approval.change}
          </Link>
          {approval.via === "copy" ? " (an identical copy)" : ""}
        </>
      );
    case "pending":
      return (
        <>
          awaiting review in{" "}
          <Link href={`/changes/${approval.change}`} className="text-sky-700 underline">
            change #{approval.change}
          </Link>
        </>
      );
    case "unapproved":
      return "not approved in Specledger";
    case "deleted":
      return "deleted";
    case "unchanged":
      return "not changed by the pull request";
    default:
      return approval.state;
  }
}

function Item({ item }: { item: CheckItem }) {
  const tone: Tone = item.blocking ? "red" : item.level === "warning" ? "amber" : "gray";
  const label = item.blocking ? "blocking" : item.level === "error" ? "error" : item.level;
  return (
    <li className="flex flex-wrap items-baseline gap-2" data-rule={item.rule}>
      <Badge tone={tone}>{label}</Badge>
      <span className="min-w-0 flex-1 break-words">
        {item.line ? <span className="text-slate-500">line {item.line}: </span> : null}
        {item.message}
        {item.link ? (
          <>
            {" "}
            <Link href={item.link} className="text-sky-700 underline">
              open
            </Link>
          </>
        ) : null}
      </span>
      <code className="font-mono text-xs text-slate-500">{item.rule}</code>
    </li>
  );
}
