import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { periodBounds } from "./budget";

export interface SpendSummary {
  since: string;
  specs: { id: string; path: string; repository: string; usd: number; tokens: number; runs: number }[];
  agents: { agent: string; usd: number; tokens: number; runs: number }[];
}

/**
 * Spend in the UTC month of `now`: the specs runs spent most on (a run counts toward each spec it used,
 * also one named by repository and path at a commit not imported, as budgets count it) and the agents that spent most (each run once). Two grouped queries.
 */
export async function getMonthSpend(viewer: Viewer, now = new Date(), limit = 8): Promise<SpendSummary> {
  assertCan(viewer, "runs:read");
  const { start, end } = periodBounds("month", now);
  const since = start.toISOString();
  const until = end.toISOString();
  const [specs, agents] = await Promise.all([
    db.$queryRaw<SpendSummary["specs"]>`
      WITH used AS (
        -- One pass over the month's references: a resolved one names its version's spec; an
        -- unresolved one naming a repository and path at a commit not imported names that live
        -- spec (budgets count it too, decision 036).
        SELECT DISTINCT coalesce(v."specId", ps.id) AS "specId", r.id, r."costUsd", coalesce(r."inputTokens", 0) + coalesce(r."outputTokens", 0) AS tokens
        FROM "AgentRun" r
        JOIN "RunSpecRef" x ON x."runId" = r.id AND x.kind = 'spec'
        LEFT JOIN "SpecVersion" v ON v.id = x."specVersionId"
        LEFT JOIN "Repository" rp ON x."specVersionId" IS NULL AND rp.name = x."repositoryName"
        LEFT JOIN "Spec" ps ON ps."repositoryId" = rp.id AND ps.path = x.path AND NOT ps.deleted
        WHERE r."createdAt" >= ${since}::timestamp AND r."createdAt" < ${until}::timestamp AND coalesce(v."specId", ps.id) IS NOT NULL)
      SELECT s.id, s.path, repo.name AS repository, coalesce(sum(u."costUsd"), 0)::float8 AS usd, sum(u.tokens)::float8 AS tokens, count(*)::int AS runs
      FROM used u JOIN "Spec" s ON s.id = u."specId" JOIN "Repository" repo ON repo.id = s."repositoryId"
      GROUP BY s.id, s.path, repo.name
      ORDER BY usd DESC, tokens DESC, s.id
      LIMIT ${limit}`,
    db.$queryRaw<SpendSummary["agents"]>`
      SELECT agent, coalesce(sum("costUsd"), 0)::float8 AS usd, coalesce(sum(coalesce("inputTokens", 0) + coalesce("outputTokens", 0)), 0)::float8 AS tokens, count(*)::int AS runs
      FROM "AgentRun" WHERE "createdAt" >= ${since}::timestamp AND "createdAt" < ${until}::timestamp
      GROUP BY agent ORDER BY usd DESC, tokens DESC, agent
      LIMIT ${limit}`,
  ]);
  return { since, specs, agents };
}
