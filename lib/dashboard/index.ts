// The engineering manager's landing page: fleet totals, review and ownership coverage,
// findings, the largest agent files and the trend. The counts are kept on write (decision 037),
// the lists are short index reads, so the page stays fast with 100,000 specs
// (`npm run bench -- dashboard` measures it against brute force).
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import type { SpecKind } from "@/lib/specs/kinds";
import { readCounts, type Query } from "./counts";

export { compactCounts, readCounts, scanCounts, TREND_WEEKS, type Counts, type Query } from "./counts";

export interface Dashboard {
  totals: { repositories: number; live: number; specs: number; agents: number; versions: number; owned: number; approved: number };
  byKind: Partial<Record<SpecKind, number>>;
  findings: { open: number; byTypeAndSeverity: { type: string; severity: string; count: number }[] };
  topRepositories: { id: string; name: string; findings: number; errors: number }[];
  largestAgentFiles: { specId: string; repository: string; path: string; size: number; lines: number }[];
  duplicateClusters: { id: string; message: string }[];
  /** The most severe open finding of each type (the oldest cause first): one click from the dashboard to its evidence. */
  attention: { id: string; type: string; severity: string; message: string; repository: string | null; path: string | null }[];
  duplicateClusterCount: number;
  trend: { week: string; specs: number; openFindings: number }[];
  recentImports: { id: string; status: string; versionsAdded: number; createdAt: Date; repository: { id: string; name: string } }[];
}

const UNRESOLVED = `status IN ('open', 'acknowledged')`;
const query: Query = (sql) => db.$queryRawUnsafe(sql);

export async function getDashboard(viewer: Actor): Promise<Dashboard> {
  assertCan(viewer, "specs:read");
  const [counts, topRepositories, largest, duplicates, attention, recentImports] = await Promise.all([
    // Totals, kinds, findings by type and the trend: from the counts kept on write (decision 037).
    readCounts(query),
    // Per-repository counts are kept on write too: a few rows per repository, not every finding.
    db.$queryRawUnsafe<{ id: string; name: string; findings: number; errors: number }[]>(`
      SELECT r.id, r.name, f.findings, f.errors
      FROM (SELECT key AS "repositoryId", (sum(n) FILTER (WHERE metric = 'repository'))::int AS findings,
                   coalesce(sum(n) FILTER (WHERE metric = 'repository-errors'), 0)::int AS errors
            FROM "DashboardCount" WHERE metric IN ('repository', 'repository-errors')
              AND key IN (SELECT id FROM "Repository" WHERE "archivedAt" IS NULL)
            GROUP BY key HAVING sum(n) FILTER (WHERE metric = 'repository') > 0
            ORDER BY 2 DESC LIMIT 5) f
      JOIN "Repository" r ON r.id = f."repositoryId" ORDER BY f.findings DESC, r.name`),
    db.$queryRawUnsafe<{ specId: string; repository: string; path: string; size: number; lines: number }[]>(`
      SELECT s.id AS "specId", r.name AS repository, s.path, c.size,
             -- Lines as the diff and the agent-too-long finding count them: a final newline ends a line, it does not start one.
             (length(c.text) - length(replace(c.text, E'\\n', '')) + CASE WHEN c.text = '' OR right(c.text, 1) = E'\\n' THEN 0 ELSE 1 END)::int AS lines
      FROM (SELECT s.id, s."repositoryId", s.path, s."currentHash" FROM "DashboardAgentFile" a JOIN "Spec" s ON s.id = a."specId"
            ORDER BY a.size DESC, a."specId" LIMIT 5) s
      JOIN "Content" c ON c.hash = s."currentHash" JOIN "Repository" r ON r.id = s."repositoryId"
      ORDER BY c.size DESC, s.id`),
    db.$queryRawUnsafe<{ id: string; message: string }[]>(`
      SELECT id, message FROM "Finding" WHERE ${UNRESOLVED} AND type = 'duplicate' ORDER BY severity, "firstSeenAt" LIMIT 3`),
    db.$queryRawUnsafe<Dashboard["attention"]>(`
      SELECT a.id, a.type, a.severity::text, a.message, r.name AS repository, s.path
      FROM (SELECT DISTINCT split_part(key, E'\\t', 1) AS type FROM "DashboardCount" WHERE metric = 'unresolved' GROUP BY key HAVING sum(n) > 0) t
      -- One index probe per type (Finding_attention_idx), not a sort of every open finding.
      CROSS JOIN LATERAL (SELECT id, type, severity, message, "repositoryId", "specId" FROM "Finding" f
            WHERE f.status = 'open' AND f.type = t.type ORDER BY severity, coalesce("introducedAt", "firstSeenAt"), id LIMIT 1) a
      LEFT JOIN "Repository" r ON r.id = a."repositoryId" LEFT JOIN "Spec" s ON s.id = a."specId"
      ORDER BY a.severity, a.type`),
    db.import.findMany({
      where: { repository: { archivedAt: null } },
      orderBy: { createdAt: "desc" },
      take: 6,
      select: { id: true, status: true, versionsAdded: true, createdAt: true, repository: { select: { id: true, name: true } } },
    }),
  ]);
  return {
    totals: counts.totals,
    byKind: counts.byKind,
    findings: { open: counts.findings.reduce((n, f) => n + f.count, 0), byTypeAndSeverity: counts.findings },
    topRepositories,
    largestAgentFiles: largest,
    duplicateClusters: duplicates,
    duplicateClusterCount: counts.findings.filter((f) => f.type === "duplicate").reduce((n, f) => n + f.count, 0),
    attention,
    trend: counts.trend.map((t) => ({ week: t.week.toISOString().slice(0, 10), specs: t.specs, openFindings: t.openFindings })),
    recentImports,
  };
}
