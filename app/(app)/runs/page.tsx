import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { listRunAgents, listRuns } from "@/lib/runs";
import { RUN_OUTCOME_VALUES, runsQuerySchema, runsSearch, type RunsQuery } from "@/lib/runs/query";
import { listRepositories } from "@/lib/specs/queries";
import { plural } from "@/lib/text";
import { RunOutcomeBadge } from "@/components/runs/outcome-badge";
import { Card, EmptyState, FilterSelect, PageHeader, RelativeTime, Table, buttonClass, inputClass } from "@/components/ui";
import { ListFooter } from "@/components/page-links";

export const metadata = { title: "Runs" };

type Params = Record<string, string | string[] | undefined>;

export default async function RunsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const user = await requireUser("runs:read");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, (Array.isArray(v) ? v[0] : v) || undefined]));
  const parsed = runsQuerySchema.safeParse(raw);
  // A malformed filter is shown as such rather than silently widening the list.
  const query: RunsQuery = parsed.success ? parsed.data : { page: 1 };
  const [{ runs, total, page, pageSize, spec }, agents, repositories] = await Promise.all([listRuns(user, query), listRunAgents(user), listRepositories(user)]);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <>
      <PageHeader
        title="Runs"
        description="Agent runs as CI or the agent's harness reported them (specledger run report or POST /api/v1/runs), with the spec versions and instruction files each one loaded."
      />
      {!parsed.success ? (
        <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          These filters could not be read ({parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}); showing all runs.
        </p>
      ) : null}
      <Card className="mb-4 p-4">
        <form className="grid gap-3 md:grid-cols-[1fr_1fr_1fr_1fr_1fr_auto] md:items-end" role="search" aria-label="Filter runs">
          <FilterSelect label="Agent" name="agent" value={query.agent ?? ""} options={[{ value: "", label: "All" }, ...agents]} />
          <FilterSelect
            label="Repository"
            name="repository"
            value={query.repository ?? ""}
            options={[{ value: "", label: "All" }, ...new Set([...repositories.map((r) => r.name), ...(query.repository ? [query.repository] : [])])]}
          />
          <FilterSelect label="Outcome" name="outcome" value={query.outcome ?? ""} options={[{ value: "", label: "All" }, ...RUN_OUTCOME_VALUES]} />
          <label className="text-sm font-medium">
            From (UTC)
            <input type="date" name="since" defaultValue={query.since?.slice(0, 10)} className={`mt-1 ${inputClass}`} />
          </label>
          <label className="text-sm font-medium">
            To (UTC)
            <input type="date" name="until" defaultValue={query.until?.slice(0, 10)} className={`mt-1 ${inputClass}`} />
          </label>
          {query.spec ? <input type="hidden" name="spec" value={query.spec} /> : null}
          {query.version ? <input type="hidden" name="version" value={query.version} /> : null}
          <button type="submit" className={buttonClass}>
            Filter
          </button>
        </form>
        {query.spec || query.version ? (
          <p className="mt-2 text-sm text-slate-600" data-testid="runs-reference-filter">
            Only runs that used{" "}
            {spec ? (
              <Link href={`/specs/${spec.id}`} className="break-all font-mono text-xs text-sky-700 hover:underline">
                {spec.name}
              </Link>
            ) : query.spec ? (
              "one spec"
            ) : (
              "one spec version"
            )}
            {spec && query.version ? " (one version)" : null} ·{" "}
            <Link href={`/runs${runsSearch(query, { spec: undefined, version: undefined, page: undefined })}`} className="text-sky-700 hover:underline">
              any spec
            </Link>
          </p>
        ) : null}
      </Card>
      {runs.length === 0 ? (
        <EmptyState title="No runs match">Report runs with specledger run report, or try other filters.</EmptyState>
      ) : (
        <Card>
          <Table columns={["Run", "Agent", "Repository", "Commit", "Outcome", "Files loaded", "Reported"]} testId="runs">
            {runs.map((r) => (
              <tr key={r.id} className="hover:bg-slate-50">
                <td className="max-w-xs truncate px-4 py-2">
                  <Link href={`/runs/${r.id}`} className="text-sky-700 hover:underline">
                    {r.externalId}
                  </Link>
                </td>
                <td className="px-4 py-2">
                  {r.agent}
                  {r.model ? <span className="block text-xs text-slate-500">{r.model}</span> : null}
                </td>
                <td className="px-4 py-2">
                  {r.repository ? (
                    <Link href={`/repositories/${r.repository.id}`} className="text-sky-700 hover:underline">
                      {r.repository.name}
                    </Link>
                  ) : (
                    (r.repositoryName ?? "—")
                  )}
                </td>
                <td className="px-4 py-2 font-mono text-xs">{r.commitSha?.slice(0, 7) ?? "—"}</td>
                <td className="px-4 py-2">
                  <RunOutcomeBadge outcome={r.outcome} />
                </td>
                <td className="px-4 py-2 tabular-nums">{r._count.refs}</td>
                <td className="px-4 py-2 text-xs text-slate-600">
                  <RelativeTime date={r.createdAt} />
                </td>
              </tr>
            ))}
          </Table>
          <ListFooter
            count={plural(total, "run")}
            testId="runs-total"
            page={page}
            pages={pages}
            href={(n) => `/runs${runsSearch(query, { page: String(n) })}`}
          />
        </Card>
      )}
    </>
  );
}
