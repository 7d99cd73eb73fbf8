import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { getDashboard } from "@/lib/dashboard";
import { FINDING_SEVERITIES } from "@/lib/findings/store";
import { TYPE_LABELS, type FindingType } from "@/lib/findings/types";
import { KIND_LABELS, SPEC_KINDS } from "@/lib/specs/kinds";
import { plural } from "@/lib/text";
import { Card, EmptyState, PageHeader, RelativeTime, Stat } from "@/components/ui";
import { ImportStatusBadge } from "@/components/status";
import { SeverityBadge } from "@/components/finding-badges";
import { TrendChart } from "@/components/trend-chart";
import { FleetRequirementsCard } from "@/components/requirements";
import { SpendCard } from "@/components/runs/spend-card";
import { can } from "@/lib/auth/permissions";
import { getMonthSpend } from "@/lib/runs/spend";

export const metadata = { title: "Dashboard" };

const percent = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : "—");
const ofFiles = (part: number, whole: number) => `${part.toLocaleString("en")} of ${whole.toLocaleString("en")} files`;

export default async function DashboardPage() {
  const user = await requireUser();
  const d = await getDashboard(user);
  const spend = can(user.role, "runs:read") ? await getMonthSpend(user) : null;
  const types = [...new Set(d.findings.byTypeAndSeverity.map((f) => f.type))].sort();
  const cell = (type: string, severity: string) => d.findings.byTypeAndSeverity.find((f) => f.type === type && f.severity === severity)?.count ?? 0;
  return (
    <>
      <PageHeader title="Dashboard" description="Every spec and agent instruction file across your repositories, and what needs attention." />
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4 lg:grid-cols-7" data-testid="fleet-totals">
        <Stat label="Repositories" value={d.totals.repositories} href="/repositories" />
        <Stat label="Specs" value={d.totals.specs.toLocaleString("en")} href="/specs?kind=not-agent" />
        <Stat label="Agent files" value={d.totals.agents.toLocaleString("en")} href="/specs?kind=agents" />
        <Stat label="Versions" value={d.totals.versions.toLocaleString("en")} href="/versions" />
        <Stat label="Owned" value={percent(d.totals.owned, d.totals.live)} detail={ofFiles(d.totals.owned, d.totals.live)} href="/specs?owner=owned" />
        <Stat
          label="Approved"
          value={percent(d.totals.approved, d.totals.live)}
          detail={ofFiles(d.totals.approved, d.totals.live)}
          href="/specs?review=approved"
        />
        <Stat label="Open findings" value={d.findings.open.toLocaleString("en")} href="/findings?status=open,acknowledged" />
      </div>
      {d.totals.repositories === 0 ? (
        <div className="mt-8">
          <EmptyState title="No repositories yet">
            <Link href="/repositories" className="text-sky-700 underline">
              Add a repository
            </Link>{" "}
            to import its specs and agent files with their full history.
          </EmptyState>
        </div>
      ) : (
        <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-2">
          <Card className="p-4 lg:col-span-2">
            <h2 className="font-medium">Needs attention</h2>
            <p className="text-xs text-slate-500">The most severe open finding of each type, the oldest first.</p>
            <ul className="mt-2 divide-y divide-slate-100 text-sm" data-testid="attention">
              {d.attention.map((f) => (
                <li key={f.id} data-type={f.type} className="flex flex-wrap items-center gap-2 py-1.5">
                  <SeverityBadge severity={f.severity} />
                  <span className="text-slate-600 sm:w-44 sm:shrink-0">{TYPE_LABELS[f.type as FindingType] ?? f.type}</span>
                  <Link href={`/findings/${f.id}`} className="min-w-0 basis-full break-words text-sky-700 hover:underline sm:basis-0 sm:flex-1">
                    {f.message}
                  </Link>
                  {f.repository ? <span className="font-mono text-xs text-slate-500">{f.repository}</span> : null}
                </li>
              ))}
              {d.attention.length === 0 ? <li className="py-1.5 text-slate-500">Nothing open.</li> : null}
            </ul>
          </Card>
          <Card className="p-4">
            <h2 className="font-medium">Open findings by type and severity</h2>
            {types.length === 0 ? (
              <p className="mt-3 text-sm text-slate-500">No open findings.</p>
            ) : (
              <table className="mt-3 w-full text-sm" data-testid="findings-by-type">
                <thead className="text-xs uppercase text-slate-500">
                  <tr>
                    <th className="py-1 text-left">Type</th>
                    {FINDING_SEVERITIES.map((s) => (
                      <th key={s} className="py-1 text-right">
                        <SeverityBadge severity={s} />
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {types.map((type) => (
                    <tr key={type}>
                      <td className="py-1.5">
                        <Link href={`/findings?type=${type}`} className="text-sky-700 hover:underline">
                          {TYPE_LABELS[type as FindingType] ?? type}
                        </Link>
                      </td>
                      {FINDING_SEVERITIES.map((s) => (
                        <td key={s} className="py-1.5 text-right tabular-nums">
                          {cell(type, s) ? (
                            <Link href={`/findings?type=${type}&severity=${s}&status=open,acknowledged`} className="text-sky-700 hover:underline">
                              {cell(type, s)}
                            </Link>
                          ) : (
                            <span className="text-slate-500">0</span>
                          )}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
          <Card className="p-4">
            <h2 className="font-medium">Trend</h2>
            <p className="text-xs text-slate-500">Specs and open findings at the end of each week (findings from when their cause entered the history).</p>
            <TrendChart points={d.trend} />
          </Card>
          <FleetRequirementsCard viewer={user} />
          <Card className="p-4">
            <h2 className="font-medium">Repositories with the most findings</h2>
            <ul className="mt-3 divide-y divide-slate-100 text-sm" data-testid="top-repositories">
              {d.topRepositories.map((r) => (
                <li key={r.id} className="flex justify-between py-1.5">
                  <Link href={`/findings?repository=${encodeURIComponent(r.name)}`} className="text-sky-700 hover:underline">
                    {r.name}
                  </Link>
                  <span className="tabular-nums">
                    <Link href={`/findings?repository=${encodeURIComponent(r.name)}&status=open,acknowledged`} className="text-sky-700 hover:underline">
                      {r.findings}
                    </Link>
                    {r.errors ? <span className="ml-2 text-xs text-red-700">{plural(r.errors, "error")}</span> : null}
                  </span>
                </li>
              ))}
              {d.topRepositories.length === 0 ? <li className="py-1.5 text-slate-500">None.</li> : null}
            </ul>
          </Card>
          <Card className="p-4">
            <h2 className="font-medium">Largest agent files</h2>
            <ul className="mt-3 divide-y divide-slate-100 text-sm" data-testid="largest-agent-files">
              {d.largestAgentFiles.map((f) => (
                <li key={f.specId} className="flex justify-between gap-2 py-1.5">
                  <Link href={`/specs/${f.specId}`} className="min-w-0 break-all font-mono text-xs text-sky-700 hover:underline">
                    {f.repository}:{f.path}
                  </Link>
                  <span className="flex gap-3 text-xs text-slate-600 tabular-nums">
                    <span>{f.lines.toLocaleString("en")} lines</span>
                    <span>{(f.size / 1024).toFixed(1)} KB</span>
                    <Link href={`/findings?type=lint&spec=${f.specId}`} className="text-sky-700 hover:underline">
                      lint
                    </Link>
                  </span>
                </li>
              ))}
            </ul>
          </Card>
          <Card className="p-4">
            <h2 className="font-medium">
              <Link href="/duplicates" className="hover:underline">
                Duplicate clusters
              </Link>{" "}
              <Link href="/findings?type=duplicate&status=open,acknowledged" className="tabular-nums text-sky-700 hover:underline">
                {d.duplicateClusterCount}
              </Link>
            </h2>
            <ul className="mt-3 divide-y divide-slate-100 text-sm" data-testid="duplicate-summary">
              {d.duplicateClusters.map((c) => (
                <li key={c.id} className="py-1.5">
                  <Link href={`/findings/${c.id}`} className="text-sky-700 hover:underline">
                    {c.message}
                  </Link>
                </li>
              ))}
              {d.duplicateClusters.length === 0 ? <li className="py-1.5 text-slate-500">None open.</li> : null}
            </ul>
          </Card>
          <Card className="p-4">
            <h2 className="font-medium">Files by kind</h2>
            <ul className="mt-3 grid grid-cols-2 gap-x-6 text-sm">
              {SPEC_KINDS.map((kind) => (
                <li key={kind} className="flex justify-between border-b border-slate-100 py-1.5">
                  <Link href={`/specs?kind=${kind}`} className="text-sky-700 hover:underline">
                    {KIND_LABELS[kind]}
                  </Link>
                  <Link href={`/specs?kind=${kind}`} className="tabular-nums text-sky-700 hover:underline">
                    {d.byKind[kind] ?? 0}
                  </Link>
                </li>
              ))}
            </ul>
            <h2 className="mt-4 font-medium">Recent imports</h2>
            <ul className="mt-2 divide-y divide-slate-100 text-sm" data-testid="recent-imports">
              {d.recentImports.map((i) => (
                <li key={i.id} className="flex items-center justify-between gap-2 py-1.5">
                  <Link href={`/repositories/${i.repository.id}`} className="text-sky-700 hover:underline">
                    {i.repository.name}
                  </Link>
                  <span className="flex items-center gap-2 text-slate-500">
                    {i.status === "succeeded" ? (
                      <Link href={`/versions?importId=${i.id}`} className="tabular-nums text-sky-700 hover:underline" data-testid="import-versions">
                        +{plural(i.versionsAdded, "version")}
                      </Link>
                    ) : null}
                    <ImportStatusBadge status={i.status} />
                    <RelativeTime date={i.createdAt} />
                  </span>
                </li>
              ))}
            </ul>
          </Card>
          {spend ? <SpendCard spend={spend} /> : null}
        </div>
      )}
    </>
  );
}
