import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { FINDING_SEVERITIES, FINDING_STATUSES, FINDING_TYPES, findingsQuerySchema, listFindings, PAGE_SIZE, type FindingsQuery } from "@/lib/findings/store";
import { TYPE_LABELS } from "@/lib/findings/types";
import { listOwners, listRepositories } from "@/lib/specs/queries";
import { plural } from "@/lib/text";
import { FindingStatusBadge, FindingTypeLabel, SeverityBadge } from "@/components/finding-badges";
import { Age, Card, EmptyState, FilterSelect, PageHeader, Table, buttonClass, ownerOptions, secondaryButtonClass } from "@/components/ui";
import { BulkActions } from "@/components/bulk-actions";
import { recomputeFindingsAction, setFindingStatusAction } from "@/lib/actions/findings";
import { ListFooter } from "@/components/page-links";

export const metadata = { title: "Findings" };

type Params = Record<string, string | string[] | undefined>;

function queryOf(params: Params): FindingsQuery {
  const raw = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v || undefined]));
  const parsed = findingsQuerySchema.safeParse(raw);
  return parsed.success ? parsed.data : findingsQuerySchema.parse({});
}

function hrefOf(query: FindingsQuery, change: Partial<Record<keyof FindingsQuery, string | undefined>>): string {
  const merged: Record<string, string | undefined> = {
    status: query.status?.join(","),
    severity: query.severity?.join(","),
    type: query.type?.join(","),
    repository: query.repository,
    owner: query.owner,
    rule: query.rule,
    spec: query.spec,
    sort: query.sort === "severity" ? undefined : query.sort,
    page: query.page > 1 ? String(query.page) : undefined,
    ...change,
  };
  const params = new URLSearchParams(Object.entries(merged).filter(([, v]) => v) as [string, string][]);
  return `/findings${params.size ? `?${params}` : ""}`;
}

const DONE: Record<string, string> = { acknowledge: "acknowledged", dismiss: "dismissed", reopen: "reopened" };

export default async function FindingsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const user = await requireUser("specs:read");
  const params = await searchParams;
  const query = queryOf(params);
  const [{ findings, total }, repositories, owners] = await Promise.all([listFindings(user, query), listRepositories(user), listOwners(user)]);
  const triage = can(user.role, "reviews:decide");
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const [doneAction, doneCount] = String(params.done ?? "").split(":");
  const here = hrefOf(query, {});
  return (
    <>
      <PageHeader
        title="Findings"
        description="Drift, lint and duplicates across every repository, kept current after each import, review decision and deployment. A finding resolves itself when its cause is gone."
        actions={
          can(user.role, "policies:manage") ? (
            <span className="flex items-center gap-3 text-sm">
              <Link href="/settings/findings" className="text-sky-700 hover:underline">
                Rules and thresholds
              </Link>
              <form action={recomputeFindingsAction}>
                <button type="submit" className={secondaryButtonClass}>
                  Recompute now
                </button>
              </form>
            </span>
          ) : null
        }
      />
      {typeof params.error === "string" ? (
        <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {params.error}
        </p>
      ) : null}
      {doneAction ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {doneAction === "recompute"
            ? "Recomputation queued; the list updates when it finishes."
            : `${doneCount} finding${doneCount === "1" ? "" : "s"} ${DONE[doneAction] ?? doneAction}.`}
        </p>
      ) : null}
      <Card className="mb-4 p-4">
        <form className="grid gap-3 md:grid-cols-[1fr_1fr_1fr_1fr_1fr_1fr_auto] md:items-end" role="search">
          <FilterSelect
            label="Status"
            name="status"
            value={query.status?.join(",") ?? ""}
            options={[{ value: "", label: "Open and acknowledged" }, ...FINDING_STATUSES.map((s) => ({ value: s, label: s[0].toUpperCase() + s.slice(1) }))]}
          />
          <FilterSelect
            label="Type"
            name="type"
            value={query.type?.join(",") ?? ""}
            options={[{ value: "", label: "All" }, ...FINDING_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))]}
          />
          <FilterSelect
            label="Severity"
            name="severity"
            value={query.severity?.join(",") ?? ""}
            options={[{ value: "", label: "All" }, ...FINDING_SEVERITIES]}
          />
          <FilterSelect
            label="Repository"
            name="repository"
            value={query.repository ?? ""}
            options={[{ value: "", label: "All" }, ...repositories.map((r) => r.name)]}
          />
          <FilterSelect label="Owner" name="owner" value={query.owner ?? ""} options={ownerOptions(owners)} />
          <FilterSelect
            label="Sort by"
            name="sort"
            value={query.sort}
            options={[
              { value: "severity", label: "Severity" },
              { value: "age", label: "Age (oldest first)" },
              { value: "type", label: "Type" },
              { value: "repository", label: "Repository" },
            ]}
          />
          <button type="submit" className={buttonClass}>
            Filter
          </button>
        </form>
      </Card>
      {findings.length === 0 ? (
        <EmptyState title="No findings match">Nothing to fix here, or try other filters.</EmptyState>
      ) : (
        <Card>
          <form action={setFindingStatusAction}>
            <input type="hidden" name="back" value={here} />
            {triage ? (
              <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-2 text-sm">
                <BulkActions
                  name="id"
                  noun="finding"
                  actions={[
                    { value: "acknowledge", label: "Acknowledge" },
                    { value: "dismiss", label: "Dismiss" },
                    { value: "reopen", label: "Reopen" },
                  ]}
                />
              </div>
            ) : null}
            <Table columns={[...(triage ? [""] : []), "Finding", "Type", "Severity", "Repository", "Owner", "Age", "Status"]} testId="findings">
              {findings.map((f) => (
                <tr key={f.id} className="align-top hover:bg-slate-50">
                  {triage ? (
                    <td className="px-4 py-2">
                      <input type="checkbox" name="id" value={f.id} aria-label={`Select finding ${f.message}`} />
                    </td>
                  ) : null}
                  <td className="max-w-xl px-4 py-2">
                    <Link href={`/findings/${f.id}`} className="text-sky-700 hover:underline">
                      {f.message}
                    </Link>
                    {f.spec ? (
                      <span className="block font-mono text-xs text-slate-500">
                        {f.spec.path}
                        {f.line ? `:${f.line}` : ""}
                      </span>
                    ) : null}
                  </td>
                  <td className="px-4 py-2">
                    <FindingTypeLabel type={f.type} rule={f.rule} />
                  </td>
                  <td className="px-4 py-2">
                    <SeverityBadge severity={f.severity} />
                  </td>
                  <td className="px-4 py-2">{f.repository?.name ?? "—"}</td>
                  <td className="px-4 py-2 text-xs">{f.spec?.owners.length ? f.spec.owners.join(", ") : <span className="text-amber-700">unowned</span>}</td>
                  <td className="px-4 py-2 text-xs text-slate-600">
                    <Age date={f.introducedAt ?? f.firstSeenAt} />
                  </td>
                  <td className="px-4 py-2">
                    <FindingStatusBadge status={f.status} />
                  </td>
                </tr>
              ))}
            </Table>
          </form>
          <ListFooter
            count={plural(total, "finding")}
            testId="findings-total"
            page={query.page}
            pages={pages}
            href={(n) => hrefOf(query, { page: String(n) })}
          />
        </Card>
      )}
    </>
  );
}
