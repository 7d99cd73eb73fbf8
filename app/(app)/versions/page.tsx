import Link from "next/link";
import { z } from "zod";
import { positiveIntString, text } from "@/lib/schema";
import { requireUser } from "@/lib/auth/session";
import { plural } from "@/lib/text";
import { listRepositories, listVersions } from "@/lib/specs/queries";
import { KindBadge } from "@/components/status";
import { Badge, Card, EmptyState, FilterSelect, PageHeader, RelativeTime, Table, buttonClass } from "@/components/ui";
import { ListFooter } from "@/components/page-links";

export const metadata = { title: "Versions" };

const filtersSchema = z.object({
  repositoryId: text().max(100).optional().catch(undefined),
  importId: text().max(100).optional().catch(undefined),
  page: positiveIntString(10_000).optional().catch(undefined),
});

/** Every imported version, newest first: the list the dashboard's Versions card counts. */
export default async function VersionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined]));
  const filters = filtersSchema.parse(raw);
  const [result, repositories] = await Promise.all([listVersions(user, filters), listRepositories(user)]);
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const pageLink = (page: number) =>
    `/versions?${new URLSearchParams({
      ...(filters.repositoryId ? { repositoryId: filters.repositoryId } : {}),
      ...(filters.importId ? { importId: filters.importId } : {}),
      page: String(page),
    })}`;
  return (
    <>
      <PageHeader title="Versions" description="Every imported version of every file, deleted files' too, newest first." />
      <Card className="mb-4 p-4">
        <form className="flex flex-wrap items-end gap-3" role="search">
          <FilterSelect
            label="Repository"
            name="repositoryId"
            value={filters.repositoryId ?? ""}
            options={[{ value: "", label: "All" }, ...repositories.map((r) => ({ value: r.id, label: r.name }))]}
          />
          {filters.importId ? <input type="hidden" name="importId" value={filters.importId} /> : null}
          <button type="submit" className={buttonClass}>
            Filter
          </button>
        </form>
        {filters.importId ? (
          <p className="mt-2 text-sm text-slate-600" data-testid="versions-import-filter">
            {result.import ? (
              <>
                Only the versions the import of{" "}
                <Link href={`/repositories/${result.import.repository.id}`} className="text-sky-700 hover:underline">
                  {result.import.repository.name}
                </Link>{" "}
                {result.import.finishedAt ? (
                  <>
                    finished <RelativeTime date={result.import.finishedAt} />{" "}
                  </>
                ) : null}
                added
              </>
            ) : (
              "Only the versions of an import that does not exist"
            )}{" "}
            ·{" "}
            <Link href="/versions" className="text-sky-700 hover:underline">
              all versions
            </Link>
          </p>
        ) : null}
      </Card>
      {result.rows.length === 0 ? (
        <EmptyState title="No versions">Import a repository to see the versions of its files here.</EmptyState>
      ) : (
        <Card>
          <Table columns={["File", "Kind", "Repository", "Commit", "Author", "Committed"]} testId="version-list">
            {result.rows.map((v) => (
              <tr key={v.id} className="hover:bg-slate-50">
                <td className="px-4 py-2">
                  <Link href={`/specs/${v.spec.id}?v=${v.seq}`} className="font-mono text-xs text-sky-700 hover:underline">
                    {v.path}
                  </Link>{" "}
                  <span className="text-xs text-slate-500">v{v.seq}</span> {v.spec.deleted ? <Badge tone="red">deleted</Badge> : null}
                </td>
                <td className="px-4 py-2">
                  <KindBadge kind={v.spec.kind} />
                </td>
                <td className="px-4 py-2">{v.spec.repository.name}</td>
                <td className="px-4 py-2 font-mono text-xs">{v.commitSha.slice(0, 7)}</td>
                <td className="px-4 py-2">{v.authorName}</td>
                <td className="px-4 py-2">
                  <RelativeTime date={v.committedAt} />
                </td>
              </tr>
            ))}
          </Table>
          <ListFooter count={plural(result.total, "version")} testId="version-total" page={result.page} pages={pages} href={pageLink} />
        </Card>
      )}
    </>
  );
}
