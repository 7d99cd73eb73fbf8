// The engineering manager's landing page: fleet totals, review and ownership coverage,
// findings, the largest agent files and the trend, each from one aggregate query so the
// page stays fast with 100,000 specs (`npm run bench -- dashboard` measures it).
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AGENT_KINDS, type SpecKind } from "@/lib/specs/kinds";

// A constant list of known identifiers, so inlining it into the SQL text is safe.
const AGENT_KIND_LIST = AGENT_KINDS.map((k) => `'${k}'`).join(", ");

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
/** Weeks of history the trend shows at most. */
const TREND_WEEKS = 26;

export async function getDashboard(viewer: Actor): Promise<Dashboard> {
  assertCan(viewer, "specs:read");
  const [totals, byKind, findings, topRepositories, largest, duplicates, attention, trend, recentImports] = await Promise.all([
    db.$queryRawUnsafe<{ repositories: number; live: number; specs: number; agents: number; versions: number; owned: number; approved: number }[]>(`
      SELECT (SELECT count(*)::int FROM "Repository" WHERE "archivedAt" IS NULL) AS repositories,
             (count(*) FILTER (WHERE NOT deleted))::int AS live,
             (count(*) FILTER (WHERE NOT deleted AND kind NOT IN (${AGENT_KIND_LIST})))::int AS specs,
             (count(*) FILTER (WHERE NOT deleted AND kind IN (${AGENT_KIND_LIST})))::int AS agents,
             coalesce(sum("versionCount"), 0)::int AS versions,
             (count(*) FILTER (WHERE NOT deleted AND cardinality(owners) > 0))::int AS owned,
             -- A spec counts as approved when an approved change names its current content.
             (SELECT count(*)::int FROM "Spec" s WHERE NOT s.deleted AND EXISTS (
                SELECT 1 FROM "Change" c WHERE c."specId" = s.id AND c.state = 'approved' AND c."currentHash" = s."currentHash")) AS approved
      FROM "Spec"`),
    db.$queryRawUnsafe<{ kind: SpecKind; count: number }[]>(`SELECT kind, count(*)::int AS count FROM "Spec" WHERE NOT deleted GROUP BY kind`),
    db.$queryRawUnsafe<{ type: string; severity: string; count: number }[]>(
      `SELECT type, severity::text, count(*)::int AS count FROM "Finding" WHERE ${UNRESOLVED} GROUP BY type, severity ORDER BY type, severity`,
    ),
    db.$queryRawUnsafe<{ id: string; name: string; findings: number; errors: number }[]>(`
      SELECT r.id, r.name, f.findings, f.errors
      FROM (SELECT "repositoryId", count(*)::int AS findings, (count(*) FILTER (WHERE severity = 'error'))::int AS errors
            FROM "Finding" WHERE ${UNRESOLVED} AND "repositoryId" IN (SELECT id FROM "Repository" WHERE "archivedAt" IS NULL) GROUP BY "repositoryId"
            ORDER BY count(*) DESC LIMIT 5) f
      JOIN "Repository" r ON r.id = f."repositoryId" ORDER BY f.findings DESC, r.name`),
    db.$queryRawUnsafe<{ specId: string; repository: string; path: string; size: number; lines: number }[]>(`
      SELECT s.id AS "specId", r.name AS repository, s.path, c.size,
             -- Lines as the diff and the agent-too-long finding count them: a final newline ends a line, it does not start one.
             (length(c.text) - length(replace(c.text, E'\\n', '')) + CASE WHEN c.text = '' OR right(c.text, 1) = E'\\n' THEN 0 ELSE 1 END)::int AS lines
      FROM (SELECT s.id, s."repositoryId", s.path, s."currentHash" FROM "Spec" s JOIN "Content" c ON c.hash = s."currentHash"
            WHERE NOT s.deleted AND s.kind = 'agent' ORDER BY c.size DESC LIMIT 5) s
      JOIN "Content" c ON c.hash = s."currentHash" JOIN "Repository" r ON r.id = s."repositoryId"
      ORDER BY c.size DESC`),
    db.$queryRawUnsafe<{ id: string; message: string; total: number }[]>(`
      SELECT id, message, count(*) OVER ()::int AS total FROM "Finding"
      WHERE ${UNRESOLVED} AND type = 'duplicate' ORDER BY severity, "firstSeenAt" LIMIT 3`),
    db.$queryRawUnsafe<Dashboard["attention"]>(`
      SELECT a.id, a.type, a.severity::text, a.message, r.name AS repository, s.path
      FROM (SELECT DISTINCT ON (type) id, type, severity, message, "repositoryId", "specId" FROM "Finding"
            WHERE status = 'open' ORDER BY type, severity, coalesce("introducedAt", "firstSeenAt"), id) a
      LEFT JOIN "Repository" r ON r.id = a."repositoryId" LEFT JOIN "Spec" s ON s.id = a."specId"
      ORDER BY a.severity, a.type`),
    db.$queryRawUnsafe<{ week: Date; specs: number; openFindings: number }[]>(`
      WITH bounds AS (
        SELECT greatest(date_trunc('week', coalesce(min("committedAt"), now())), date_trunc('week', now()) - interval '${TREND_WEEKS - 1} weeks') AS first
        FROM "SpecVersion" WHERE seq = 1
      ), weeks AS (
        SELECT generate_series((SELECT first FROM bounds), date_trunc('week', now()), interval '1 week') AS week
      ), born AS MATERIALIZED (
        -- Specs as the Specs card counts them (agent instruction files apart), so the last week equals the card;
        -- commit times in the future count in the current week.
        SELECT date_trunc('week', least(v."committedAt", now())) AS week, count(*) AS n FROM "SpecVersion" v JOIN "Spec" s ON s.id = v."specId"
        WHERE v.seq = 1 AND s.kind NOT IN (${AGENT_KIND_LIST}) GROUP BY 1
      ), gone AS MATERIALIZED (
        SELECT date_trunc('week', least(coalesce("deletedAt", "updatedAt"), now())) AS week, count(*) AS n FROM "Spec" WHERE deleted AND kind NOT IN (${AGENT_KIND_LIST}) GROUP BY 1
      ), opened AS MATERIALIZED (
        SELECT date_trunc('week', coalesce("introducedAt", "firstSeenAt")) AS week, count(*) AS n FROM "Finding" GROUP BY 1
      ), closed AS MATERIALIZED (
        SELECT date_trunc('week', coalesce("resolvedAt", "statusChangedAt")) AS week, count(*) AS n FROM "Finding"
        WHERE status IN ('resolved', 'dismissed') GROUP BY 1
      ), series AS (
        SELECT w.week,
          (SELECT coalesce(sum(n), 0) FROM born b WHERE b.week <= w.week) - (SELECT coalesce(sum(n), 0) FROM gone g WHERE g.week <= w.week) AS specs,
          (SELECT coalesce(sum(n), 0) FROM opened o WHERE o.week <= w.week) - (SELECT coalesce(sum(n), 0) FROM closed c WHERE c.week <= w.week) AS open
        FROM weeks w
      )
      SELECT week, specs::int AS specs, greatest(open, 0)::int AS "openFindings" FROM series ORDER BY week`),
    db.import.findMany({
      where: { repository: { archivedAt: null } },
      orderBy: { createdAt: "desc" },
      take: 6,
      select: { id: true, status: true, versionsAdded: true, createdAt: true, repository: { select: { id: true, name: true } } },
    }),
  ]);
  return {
    totals: totals[0],
    byKind: Object.fromEntries(byKind.map((k) => [k.kind, k.count])),
    findings: { open: findings.reduce((n, f) => n + f.count, 0), byTypeAndSeverity: findings },
    topRepositories,
    largestAgentFiles: largest,
    duplicateClusters: duplicates.map(({ id, message }) => ({ id, message })),
    duplicateClusterCount: duplicates[0]?.total ?? 0,
    attention,
    trend: trend.map((t) => ({ week: t.week.toISOString().slice(0, 10), specs: t.specs, openFindings: t.openFindings })),
    recentImports,
  };
}
