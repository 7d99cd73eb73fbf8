import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { getDashboardTotals } from "@/lib/specs/queries";
import { KIND_LABELS, SPEC_KINDS } from "@/lib/specs/kinds";
import { Card, EmptyState, PageHeader, RelativeTime, Stat } from "@/components/ui";
import { ImportStatusBadge } from "@/components/status";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requireUser();
  const totals = await getDashboardTotals(user);
  return (
    <>
      <PageHeader title="Dashboard" description="Every spec and agent instruction file across your repositories." />
      <div className="grid grid-cols-2 gap-4 md:grid-cols-5">
        <Stat label="Repositories" value={totals.repositories} href="/repositories" />
        <Stat label="Specs" value={totals.specs} href="/specs" />
        <Stat label="Agent files" value={totals.agents} href="/specs?kind=agent" />
        <Stat label="Versions" value={totals.versions} href="/specs" />
        <Stat
          label="Owned"
          value={totals.live > 0 ? `${Math.round((totals.owned / totals.live) * 100)}%` : "—"}
          href="/specs?owner=unowned"
        />
      </div>
      {totals.repositories === 0 ? (
        <div className="mt-8">
          <EmptyState title="No repositories yet">
            <Link href="/repositories" className="text-sky-700 underline">
              Add a repository
            </Link>{" "}
            to import its specs and agent files with their full history.
          </EmptyState>
        </div>
      ) : (
        <div className="mt-8 grid gap-6 md:grid-cols-2">
          <Card className="p-4">
            <h2 className="font-medium">Files by kind</h2>
            <ul className="mt-3 divide-y divide-slate-100 text-sm">
              {SPEC_KINDS.map((kind) => (
                <li key={kind} className="flex justify-between py-1.5">
                  <Link href={`/specs?kind=${kind}`} className="text-sky-700 hover:underline">
                    {KIND_LABELS[kind]}
                  </Link>
                  <span className="tabular-nums">{totals.byKind[kind] ?? 0}</span>
                </li>
              ))}
            </ul>
          </Card>
          <Card className="p-4">
            <h2 className="font-medium">Recent imports</h2>
            <ul className="mt-3 divide-y divide-slate-100 text-sm">
              {totals.recentImports.map((i) => (
                <li key={i.id} className="flex items-center justify-between gap-2 py-1.5">
                  <Link href={`/repositories/${i.repository.id}`} className="text-sky-700 hover:underline">
                    {i.repository.name}
                  </Link>
                  <span className="flex items-center gap-2 text-slate-500">
                    {i.status === "succeeded" ? `+${i.versionsAdded} versions` : null}
                    <ImportStatusBadge status={i.status} />
                    <RelativeTime date={i.createdAt} />
                  </span>
                </li>
              ))}
            </ul>
          </Card>
        </div>
      )}
    </>
  );
}
