import { z } from "zod";
import { idString, positiveIntString, text } from "@/lib/schema";
import type { RunResult } from "@/lib/audit";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db, type Prisma } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { AppError } from "@/lib/errors";

export { deploymentSchema, recordedDeployment, type DeploymentInput, type RecordedDeployment } from "./record";

/** A spec version as JSON, built by PostgreSQL: its review state and whether it is current. */
const VERSION_JSON = (ref: string) => `(
  SELECT json_build_object(
    'id', v.id, 'specId', s.id, 'repository', rp.name, 'path', v.path, 'seq', v.seq, 'commit', v."commitSha",
    'contentHash', v."contentHash",
    'reviewState', coalesce(c.state::text, CASE WHEN s."currentHash" = v."contentHash" THEN 'unreviewed' ELSE 'superseded' END),
    'change', c.number,
    'current', s."currentHash" IS NOT DISTINCT FROM v."contentHash")
  FROM "SpecVersion" v JOIN "Spec" s ON s.id = v."specId" JOIN "Repository" rp ON rp.id = s."repositoryId"
  LEFT JOIN "Change" c ON c."versionId" = v.id
  WHERE v.id = ${ref}."specVersionId")`;

/** A timestamp column as JSON.stringify writes a Date (ISO 8601 in UTC with Z); json_build_object would drop the zone. */
const ISO = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A reference as reported, whether it resolved, and the version it names (run references add their kind). */
const REF_FIELDS = `
    'reference', CASE WHEN refs."contentHash" IS NOT NULL THEN json_build_object('contentHash', refs."contentHash")
                      ELSE json_build_object('repository', refs."repositoryName", 'path', refs.path, 'commit', refs."commitSha") END,
    'resolved', refs."specVersionId" IS NOT NULL,
    'version', versions.j`;

/**
 * The whole tree of one deployment in one query, JSON built by the database: the references
 * (the deployment's own and its runs') are gathered first, and each distinct version is
 * turned into JSON once.
 */
const PROVENANCE_SQL = `
WITH d AS (
  SELECT d.*, e.name AS environment, rp.name AS repository, u.email AS recorded_by
  FROM "Deployment" d JOIN "Environment" e ON e.id = d."environmentId" JOIN "User" u ON u.id = d."recordedById"
  LEFT JOIN "Repository" rp ON rp.id = d."repositoryId"
  WHERE d.id = $1),
run_list AS (SELECT r.* FROM "DeploymentRun" dr JOIN "AgentRun" r ON r.id = dr."runId" WHERE dr."deploymentId" = $1),
refs AS (
  SELECT 'run' AS src, x."runId" AS owner, x.id, x.kind::text AS kind, x."contentHash", x."repositoryName", x.path, x."commitSha", x."specVersionId"
  FROM "RunSpecRef" x WHERE x."runId" IN (SELECT id FROM run_list)
  UNION ALL
  SELECT x.source::text, NULL, x.id, NULL, x."contentHash", x."repositoryName", x.path, x."commitSha", x."specVersionId"
  FROM "DeploymentSpecRef" x WHERE x."deploymentId" = $1 AND x.source <> 'run'),
versions AS (
  SELECT v.id, json_build_object(
    'id', v.id, 'specId', s.id, 'repository', rp.name, 'path', v.path, 'seq', v.seq, 'commit', v."commitSha",
    'contentHash', v."contentHash",
    'reviewState', coalesce(c.state::text, CASE WHEN s."currentHash" = v."contentHash" THEN 'unreviewed' ELSE 'superseded' END),
    'change', c.number,
    'current', s."currentHash" IS NOT DISTINCT FROM v."contentHash") AS j
  FROM "SpecVersion" v JOIN "Spec" s ON s.id = v."specId" JOIN "Repository" rp ON rp.id = s."repositoryId"
  LEFT JOIN "Change" c ON c."versionId" = v.id
  WHERE v.id IN (SELECT "specVersionId" FROM refs)),
ref_json AS (
  SELECT refs.src, refs.owner, refs.id,
         CASE WHEN refs.src = 'run' THEN json_build_object('kind', refs.kind, ${REF_FIELDS}) ELSE json_build_object(${REF_FIELDS}) END AS j
  FROM refs LEFT JOIN versions ON versions.id = refs."specVersionId")
SELECT json_build_object(
  'id', d.id, 'service', d.service, 'environment', d.environment, 'version', d.version, 'commit', d."commitSha",
  'repository', d.repository, 'deployedAt', ${ISO('d."deployedAt"')}, 'undeployedAt', ${ISO('d."undeployedAt"')}, 'live', d."undeployedAt" IS NULL,
  'alongside', d.alongside, 'recordedBy', d.recorded_by,
  'direct', coalesce((SELECT json_agg(j ORDER BY id) FROM ref_json WHERE src = 'direct'), '[]'),
  'baseline', coalesce((SELECT json_agg(j ORDER BY id) FROM ref_json WHERE src = 'baseline'), '[]'),
  'runs', coalesce((
    SELECT json_agg(json_build_object(
      'id', r.id, 'externalId', r."externalId", 'agent', r.agent, 'model', r.model, 'outcome', r.outcome,
      'refs', coalesce((SELECT json_agg(x.j ORDER BY x.id) FROM ref_json x WHERE x.src = 'run' AND x.owner = r.id), '[]')
    ) ORDER BY r."createdAt", r.id)
    FROM run_list r), '[]')
) AS tree
FROM d`;

type VersionJson = {
  id: string;
  specId: string;
  repository: string;
  path: string;
  seq: number;
  commit: string;
  contentHash: string;
  reviewState: string;
  change: number | null;
  current: boolean;
};
type RefJson = { reference: { contentHash?: string; repository?: string; path?: string; commit?: string }; resolved: boolean; version: VersionJson | null };

export interface DeploymentProvenance {
  id: string;
  service: string;
  environment: string;
  version: string;
  commit: string | null;
  repository: string | null;
  deployedAt: Date;
  undeployedAt: Date | null;
  live: boolean;
  alongside: boolean;
  recordedBy: string;
  direct: RefJson[];
  baseline: RefJson[];
  runs: { id: string; externalId: string; agent: string; model: string | null; outcome: string; refs: (RefJson & { kind: string })[] }[];
}

/**
 * Which spec versions shaped a deployment: named directly, used by its runs, and held by its
 * commit (baseline); each with its review state and whether it is still current. One query.
 */
/** The same tree as JSON text straight from the database, for the API (no parse and re-serialise). */
export async function getDeploymentProvenanceJson(viewer: Viewer, id: string): Promise<string> {
  assertCan(viewer, "deployments:read");
  // Named: each connection plans the statement once.
  const { rows } = await pgPool().query<{ tree: string }>({
    name: "deployment-provenance-text",
    text: `SELECT tree::text AS tree FROM (${PROVENANCE_SQL}) t`,
    values: [id],
  });
  if (!rows[0]) throw new AppError("not_found", "Deployment not found");
  return rows[0].tree;
}

export async function getDeploymentProvenance(viewer: Viewer, id: string): Promise<DeploymentProvenance> {
  assertCan(viewer, "deployments:read");
  const { rows } = await pgPool().query<{ tree: DeploymentProvenance & { deployedAt: string; undeployedAt: string | null } }>({
    name: "deployment-provenance",
    text: PROVENANCE_SQL,
    values: [id],
  });
  if (!rows[0]) throw new AppError("not_found", "Deployment not found");
  const tree = rows[0].tree;
  return { ...tree, deployedAt: new Date(tree.deployedAt), undeployedAt: tree.undeployedAt ? new Date(tree.undeployedAt) : null };
}

const IMPACT_SQL = `
WITH version AS (SELECT ${VERSION_JSON("q")} AS v FROM (SELECT $1::text AS "specVersionId") q),
recent_refs AS (SELECT "runId", kind FROM "RunSpecRef" WHERE "specVersionId" = $1 ORDER BY id DESC LIMIT $2 * 2),
runs AS (
  SELECT r.id, r."externalId", r.agent, r.model, r.outcome, r."createdAt", min(x.kind::text) AS used_as
  FROM recent_refs x JOIN "AgentRun" r ON r.id = x."runId"
  GROUP BY r.id ORDER BY r."createdAt" DESC, r.id LIMIT $2),
recent_deployments AS (
  SELECT "deploymentId", min(source::text) AS how, max(id) AS last
  FROM (SELECT "deploymentId", source, id FROM "DeploymentSpecRef" WHERE "specVersionId" = $1 ORDER BY id DESC LIMIT $2 * 3) x
  GROUP BY "deploymentId" ORDER BY last DESC LIMIT $2),
deployments AS (
  SELECT d.id, d.service, d.version, e.name AS environment, d."deployedAt", d."undeployedAt" IS NULL AS live, x.how
  FROM recent_deployments x JOIN "Deployment" d ON d.id = x."deploymentId" JOIN "Environment" e ON e.id = d."environmentId"
  ORDER BY d."deployedAt" DESC, d.id)
SELECT (SELECT v FROM version) AS version,
       (SELECT count(*)::int FROM "RunSpecRef" WHERE "specVersionId" = $1) AS "runCount",
       coalesce((SELECT json_agg(json_build_object('id', id, 'externalId', "externalId", 'agent', agent, 'model', model, 'outcome', outcome, 'createdAt', ${ISO('"createdAt"')}, 'as', used_as)) FROM runs), '[]') AS runs,
       coalesce((SELECT json_agg(json_build_object('id', id, 'service', service, 'version', version, 'environment', environment, 'deployedAt', ${ISO('"deployedAt"')}, 'live', live, 'how', how)) FROM deployments), '[]') AS deployments`;

/** GET /api/v1/deployments query. */
export const deploymentsQuerySchema = z.object({ service: text().max(200).optional(), environment: text().max(200).optional() });

/** GET /api/v1/versions/:id query. */
export const impactQuerySchema = z.object({ limit: positiveIntString(200).optional().describe("How many of the newest runs and deployments (default 50).") });

/**
 * Which runs and deployments a spec version shaped, in one query: how many runs, and the newest
 * `limit` (50, at most 200) runs and deployments (index-only range scans from the newest
 * reference back; never the whole set).
 */
export async function versionImpact(viewer: Viewer, versionId: string, opts: { limit?: number } = {}) {
  assertCan(viewer, "deployments:read");
  const limit = Math.max(1, Math.min(opts.limit ?? 50, 200));
  const { rows } = await pgPool().query<{
    version: VersionJson | null;
    runCount: number;
    runs: { id: string; externalId: string; agent: string; model: string | null; outcome: string; createdAt: string; as: string }[];
    deployments: { id: string; service: string; version: string; environment: string; deployedAt: string; live: boolean; how: string }[];
  }>({ name: "version-impact", text: IMPACT_SQL, values: [versionId, limit] });
  const result = rows[0];
  if (!result.version) throw new AppError("not_found", "Spec version not found");
  return { version: result.version, runCount: result.runCount, runs: result.runs, deployments: result.deployments };
}

/** The same answer as `versionImpact`, as JSON text built by the database (null for an unknown version). */
const IMPACT_TEXT_SQL = `
SELECT CASE WHEN i.version IS NULL THEN NULL
            ELSE json_build_object('version', i.version, 'runCount', i."runCount", 'runs', i.runs, 'deployments', i.deployments)::text END AS impact
FROM (${IMPACT_SQL}) i`;

/**
 * `versionImpact` as JSON text straight from the database, for the API: the driver neither
 * parses the lists nor does the handler serialise them again (as the deployment question does).
 */
export async function versionImpactJson(viewer: Viewer, versionId: string, opts: { limit?: number } = {}): Promise<string> {
  assertCan(viewer, "deployments:read");
  const limit = Math.max(1, Math.min(opts.limit ?? 50, 200));
  const { rows } = await pgPool().query<{ impact: string | null }>({ name: "version-impact-text", text: IMPACT_TEXT_SQL, values: [versionId, limit] });
  if (rows[0].impact === null) throw new AppError("not_found", "Spec version not found");
  return rows[0].impact;
}

/** What is live where: every environment with its live deployments. */
export async function listEnvironments(viewer: Viewer) {
  assertCan(viewer, "deployments:read");
  return db.environment.findMany({
    orderBy: { name: "asc" },
    include: {
      deployments: {
        where: { undeployedAt: null },
        orderBy: [{ service: "asc" }, { deployedAt: "desc" }],
        select: { id: true, service: true, version: true, deployedAt: true, alongside: true, commitSha: true },
      },
    },
  });
}

export async function listDeployments(viewer: Viewer, opts: { service?: string; environment?: string; take?: number } = {}) {
  assertCan(viewer, "deployments:read");
  return db.deployment.findMany({
    where: { ...(opts.service ? { service: opts.service } : {}), ...(opts.environment ? { environment: { name: opts.environment } } : {}) },
    orderBy: { deployedAt: "desc" },
    take: Math.min(opts.take ?? 50, 200),
    include: { environment: { select: { name: true } }, _count: { select: { runs: true, refs: true } } },
  });
}

/** Each spec's newest approved version, to diff what a deployment used against it. */
export async function latestApprovedVersions(viewer: Viewer, specIds: string[]): Promise<Map<string, number>> {
  assertCan(viewer, "specs:read");
  if (specIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ specId: string; seq: number }[]>`
    SELECT DISTINCT ON (v."specId") v."specId", v.seq FROM "SpecVersion" v
    JOIN "Change" c ON c."versionId" = v.id AND c.state = 'approved'
    WHERE v."specId" = ANY(${specIds}::text[]) ORDER BY v."specId", v.seq DESC`;
  return new Map(rows.map((r) => [r.specId, r.seq]));
}

export const environmentPolicyInput = z.object({ environmentId: idString(), allow: z.boolean() }).strict();

/** Whether can-i-deploy lets unreviewed spec versions through to an environment (admins). */
export async function setEnvironmentAllowsUnreviewed(
  tx: Prisma.TransactionClient,
  input: z.output<typeof environmentPolicyInput>,
): Promise<RunResult<{ id: string; name: string; allowUnreviewed: boolean }>> {
  const env = await tx.environment.findUnique({ where: { id: input.environmentId } });
  if (!env) throw new AppError("not_found", "Environment not found");
  if (env.allowUnreviewed === input.allow) return { result: { id: env.id, name: env.name, allowUnreviewed: env.allowUnreviewed } };
  const updated = await tx.environment.update({ where: { id: env.id }, data: { allowUnreviewed: input.allow } });
  return {
    result: { id: updated.id, name: updated.name, allowUnreviewed: updated.allowUnreviewed },
    audit: { action: "environment.policy_changed", subject: `environment:${env.id}`, payload: { name: env.name, allowUnreviewed: input.allow } },
  };
}
