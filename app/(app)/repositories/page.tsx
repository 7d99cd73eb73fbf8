import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listRepositories } from "@/lib/specs/queries";
import { AddRepositoryForm } from "@/components/add-repository-form";
import { Card, EmptyState, PageHeader, RelativeTime, Table } from "@/components/ui";
import { RepositoryStatusBadge } from "@/components/status";

export const metadata = { title: "Repositories" };

export default async function RepositoriesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("repositories:read");
  const params = await searchParams;
  const showArchived = params.archived === "only";
  const [repositories, archived] = await Promise.all([
    listRepositories(user, { archived: showArchived ? "only" : "exclude" }),
    showArchived ? Promise.resolve([]) : listRepositories(user, { archived: "only" }),
  ]);
  return (
    <>
      <PageHeader
        title={showArchived ? "Archived repositories" : "Repositories"}
        description="Each import reads the default branch's whole history; re-imports read only new commits."
        actions={
          showArchived ? (
            <Link href="/repositories" className="text-sm text-sky-700 hover:underline">
              Active repositories
            </Link>
          ) : archived.length > 0 ? (
            <Link href="/repositories?archived=only" className="text-sm text-sky-700 hover:underline" data-testid="archived-link">
              Archived ({archived.length})
            </Link>
          ) : null
        }
      />
      {typeof params.deleted === "string" ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Deleted {params.deleted}.
        </p>
      ) : null}
      {can(user.role, "repositories:write") && !showArchived ? (
        <Card className="mb-6 p-4">
          <AddRepositoryForm />
        </Card>
      ) : null}
      {repositories.length === 0 ? (
        <EmptyState title="No repositories yet">Add one by its path on the server or a git URL the server can reach.</EmptyState>
      ) : (
        <Card>
          <Table
            columns={["Name", "Source", { label: "Files", align: "right" }, { label: "Versions", align: "right" }, "Last import", "Status"]}
            testId="repositories"
          >
            {repositories.map((r) => (
              <tr key={r.id} className="hover:bg-slate-50">
                <td className="px-4 py-2 font-medium">
                  <Link href={`/repositories/${r.id}`} className="text-sky-700 hover:underline">
                    {r.name}
                  </Link>
                </td>
                <td className="max-w-xs truncate px-4 py-2 font-mono text-xs text-slate-600" title={r.source}>
                  {r.source}
                </td>
                <td className="px-4 py-2 text-right tabular-nums">{r.liveSpecs}</td>
                <td className="px-4 py-2 text-right tabular-nums">{r.versions}</td>
                <td className="px-4 py-2 text-slate-600">
                  <RelativeTime date={r.lastImportAt} />
                </td>
                <td className="px-4 py-2">
                  <RepositoryStatusBadge status={r.status} />
                </td>
              </tr>
            ))}
          </Table>
        </Card>
      )}
    </>
  );
}
