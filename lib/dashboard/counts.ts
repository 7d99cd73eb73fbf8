// The dashboard's counts two ways: from the deltas the write triggers keep (decision 037), which
// the page reads, and from the rows themselves (the brute force the tests and the benchmark check
// the deltas against). Both take a query function so a test can run them in one snapshot.
import { APPROVED_AT_CURRENT_HASH } from "@/lib/specs/approved";
import { AGENT_KINDS, type SpecKind } from "@/lib/specs/kinds";

export type Query = <T>(sql: string) => Promise<T[]>;

export interface Counts {
  totals: { repositories: number; live: number; specs: number; agents: number; versions: number; owned: number; approved: number };
  byKind: Partial<Record<SpecKind, number>>;
  findings: { type: string; severity: string; count: number }[];
  trend: { week: Date; specs: number; openFindings: number }[];
}

// A constant list of known identifiers, so inlining it into the SQL text is safe.
const AGENT_KIND_LIST = AGENT_KINDS.map((k) => `'${k}'`).join(", ");
const UNRESOLVED = `status IN ('open', 'acknowledged')`;
/** Weeks of history the trend shows at most. */
export const TREND_WEEKS = 26;
const REPOSITORIES = `(SELECT count(*)::int FROM "Repository" WHERE "archivedAt" IS NULL)`;

/** The counts from the maintained deltas: a few hundred rows however many specs there are. */
export async function readCounts(query: Query): Promise<Counts> {
  const [totals, byKind, findings, trend] = await Promise.all([
    query<Counts["totals"]>(`
      SELECT ${REPOSITORIES} AS repositories,
             coalesce(sum(n) FILTER (WHERE metric = 'live'), 0)::int AS live,
             coalesce(sum(n) FILTER (WHERE metric = 'live' AND key NOT IN (${AGENT_KIND_LIST})), 0)::int AS specs,
             coalesce(sum(n) FILTER (WHERE metric = 'live' AND key IN (${AGENT_KIND_LIST})), 0)::int AS agents,
             coalesce(sum(n) FILTER (WHERE metric = 'versions'), 0)::int AS versions,
             coalesce(sum(n) FILTER (WHERE metric = 'owned'), 0)::int AS owned,
             coalesce(sum(n) FILTER (WHERE metric = 'approved'), 0)::int AS approved
      FROM "DashboardCount" WHERE week IS NULL`),
    query<{ kind: SpecKind; count: number }>(
      `SELECT key AS kind, sum(n)::int AS count FROM "DashboardCount" WHERE metric = 'live' GROUP BY key HAVING sum(n) <> 0 ORDER BY key`,
    ),
    query<{ type: string; severity: string; count: number }>(`
      SELECT split_part(key, E'\\t', 1) AS type, split_part(key, E'\\t', 2) AS severity, sum(n)::int AS count
      FROM "DashboardCount" WHERE metric = 'unresolved' GROUP BY key HAVING sum(n) <> 0
      ORDER BY 1, 2`),
    query<Counts["trend"][number]>(`
      WITH d AS (
        SELECT metric, week, sum(n) AS n FROM "DashboardCount"
        WHERE metric IN ('opened', 'closed') OR (metric IN ('born', 'gone') AND key NOT IN (${AGENT_KIND_LIST}))
        GROUP BY 1, 2
      ), bounds AS (
        -- The first week with a first version of anything, as the rows' trend starts.
        SELECT greatest(coalesce((SELECT min(week) FROM (SELECT week FROM "DashboardCount" WHERE metric = 'born' GROUP BY week HAVING sum(n) > 0) b),
                                 date_trunc('week', now())), date_trunc('week', now()) - interval '${TREND_WEEKS - 1} weeks') AS first
      ), weeks AS (
        SELECT generate_series((SELECT first FROM bounds), date_trunc('week', now()), interval '1 week') AS week
      ), moves AS (
        -- Commit times in the future count in the current week, as the rows' trend counts them.
        SELECT CASE WHEN metric IN ('born', 'gone') THEN least(week, date_trunc('week', now())) ELSE week END AS week,
               CASE metric WHEN 'born' THEN n WHEN 'gone' THEN -n ELSE 0 END AS specs,
               CASE metric WHEN 'opened' THEN n WHEN 'closed' THEN -n ELSE 0 END AS open
        FROM d
      )
      SELECT w.week, (SELECT coalesce(sum(specs), 0) FROM moves m WHERE m.week <= w.week)::int AS specs,
             greatest((SELECT coalesce(sum(open), 0) FROM moves m WHERE m.week <= w.week), 0)::int AS "openFindings"
      FROM weeks w ORDER BY w.week`),
  ]);
  return { totals: totals[0], byKind: Object.fromEntries(byKind.map((k) => [k.kind, k.count])), findings, trend };
}

/** The same counts from the rows (every spec, first version and finding read): the brute force. */
export async function scanCounts(query: Query): Promise<Counts> {
  const [totals, byKind, findings, trend] = await Promise.all([
    query<Counts["totals"]>(`
      SELECT ${REPOSITORIES} AS repositories,
             (count(*) FILTER (WHERE NOT deleted))::int AS live,
             (count(*) FILTER (WHERE NOT deleted AND kind NOT IN (${AGENT_KIND_LIST})))::int AS specs,
             (count(*) FILTER (WHERE NOT deleted AND kind IN (${AGENT_KIND_LIST})))::int AS agents,
             coalesce(sum("versionCount"), 0)::int AS versions,
             (count(*) FILTER (WHERE NOT deleted AND cardinality(owners) > 0))::int AS owned,
             -- A spec counts as approved when an approved change names its current content.
             (SELECT count(*)::int FROM "Spec" s WHERE NOT s.deleted AND ${APPROVED_AT_CURRENT_HASH}) AS approved
      FROM "Spec"`),
    query<{ kind: SpecKind; count: number }>(`SELECT kind, count(*)::int AS count FROM "Spec" WHERE NOT deleted GROUP BY kind ORDER BY kind`),
    query<{ type: string; severity: string; count: number }>(
      `SELECT type, severity::text, count(*)::int AS count FROM "Finding" WHERE ${UNRESOLVED} GROUP BY type, severity ORDER BY type, severity`,
    ),
    query<Counts["trend"][number]>(`
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
  ]);
  return { totals: totals[0], byKind: Object.fromEntries(byKind.map((k) => [k.kind, k.count])), findings, trend };
}

/**
 * Folds the deltas into one row per (metric, key, week), in one statement so a reader sees the
 * deltas either all before or all after; the worker runs it so the dashboard keeps reading few rows.
 * Returns how many rows it folded.
 */
export async function compactCounts(query: Query): Promise<number> {
  const [row] = await query<{ folded: number }>(`
    WITH gone AS (DELETE FROM "DashboardCount" RETURNING metric, key, week, n),
    kept AS (
      INSERT INTO "DashboardCount" (metric, key, week, n)
      SELECT metric, key, week, sum(n) FROM gone GROUP BY 1, 2, 3 HAVING sum(n) <> 0 RETURNING 1
    )
    SELECT ((SELECT count(*) FROM gone) - (SELECT count(*) FROM kept))::int AS folded`);
  return row.folded;
}
