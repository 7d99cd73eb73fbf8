import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listRepositories } from "@/lib/specs/queries";
import { AddRepositoryForm } from "@/components/add-repository-form";
import { Card, EmptyState, PageHeader, RelativeTime, Table } from "@/components/ui";
import { RepositoryStatusBadge } from "@/components/status";

export const metadata = { title: "Repositories" };

export default async function RepositoriesPage() {
  const user = await requireUser("repositories:read");
  const repositories = await listRepositories(user);
  return (
    <>
      <PageHeader title="Repositories" description="Each import reads the default branch's whole history; re-imports read only new commits." />
      {can(user.role, "repositories:write") ? (
        <Card className="mb-6 p-4">
          <AddRepositoryForm />
        </Card>
      ) : null}
      {repositories.length === 0 ? (
        <EmptyState title="No repositories yet">Add one by its path on the server or a git URL the server can reach.</EmptyState>
      ) : (
        <Card>
          <Table columns={["Name", "Source", { label: "Files", align: "right" }, { label: "Versions", align: "right" }, "Last import", "Status"]}>
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
