import type pg from "pg";
import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit";
import { assertCan } from "@/lib/auth/permissions";
import { db, type Role } from "@/lib/db";
import { pgPool, withPgTransaction } from "@/lib/db/pg";
import { AppError } from "@/lib/errors";
import { git } from "@/lib/git/git";
import { idempotent, type IdempotentResult } from "@/lib/http/idempotency";
import { text } from "@/lib/http/schema";

import { resolveRefs, specRefSchema } from "@/lib/specs/refs";

type Viewer = { id: string; email: string; role: Role; scopes?: readonly string[] };

const name = z.string().min(1).max(200).regex(/^[\w.@/:+-]+$/, "Letters, digits and . _ - @ / : + only.");

export const deploymentSchema = z
  .object({
    service: name.describe("The service deployed."),
    environment: name.describe("Where: production, staging, … (created on first use)."),
    version: text().min(1).max(200).describe("The service's version, as your release names it."),
    commit: z.string().regex(/^[0-9a-f]{7,64}$/, "commit is a git commit id in lowercase hex.").optional(),
    repository: text().min(1).max(200).optional().describe("The imported repository the commit belongs to: its specs at that commit become the baseline."),
    deployedAt: z.iso.datetime({ offset: true }).optional(),
    alongside: z.boolean().default(false).describe("Stays live side by side with the current deployments instead of replacing them."),
    runs: z.array(text().min(1).max(200)).max(1000).default([]).describe("Runs behind this version, by id or externalId."),
    specs: z.array(specRefSchema).max(500).default([]).describe("Spec versions named directly."),
  })
  .strict();
export type DeploymentInput = z.output<typeof deploymentSchema>;

/**
 * Records a deployment: replaces what was live for the service in that environment (unless
 * it goes alongside), links the runs and spec versions it names, and, when its commit is in
 * an imported repository, the spec versions that commit holds (its baseline). One
 * transaction; idempotent with an Idempotency-Key.
 */
export async function recordDeployment(opts: { viewer: Viewer; input: DeploymentInput; idempotencyKey: string | null; fingerprint: string }): Promise<IdempotentResult> {
  assertCan(opts.viewer, "deployments:write");
  const input = opts.input;
  return withPgTransaction((client) =>
    idempotent(client, { userId: opts.viewer.id, key: opts.idempotencyKey, fingerprint: opts.fingerprint }, async () => {
      const env = await client.query<{ id: string }>(
        `INSERT INTO "Environment" (id, name) VALUES (gen_random_uuid()::text, $1)
         ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
        [input.environment],
      );
      const environmentId = env.rows[0].id;
      const repo = input.repository
        ? (await client.query<{ id: string; gitDir: string | null }>(`SELECT id, "gitDir" FROM "Repository" WHERE name = $1`, [input.repository])).rows[0]
        : undefined;
      if (input.repository && !repo) throw new AppError("unprocessable", `No imported repository is named ${input.repository}.`);
      const runIds = input.runs.length
        ? (await client.query<{ id: string; externalId: string }>(`SELECT id, "externalId" FROM "AgentRun" WHERE id = ANY($1::text[]) OR "externalId" = ANY($1::text[])`, [input.runs])).rows
        : [];
      const missing = input.runs.filter((r) => !runIds.some((x) => x.id === r || x.externalId === r));
      if (missing.length > 0) throw new AppError("unprocessable", `Unknown runs: ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", …" : ""}.`);

      const deployedAt = input.deployedAt ? new Date(input.deployedAt) : new Date();
      // Lock what is live there, so two deployments to one environment take turns.
      const live = await client.query<{ id: string; version: string }>(
        `SELECT id, version FROM "Deployment" WHERE service = $1 AND "environmentId" = $2 AND "undeployedAt" IS NULL ORDER BY id FOR UPDATE`,
        [input.service, environmentId],
      );
      const replaced = input.alongside ? [] : live.rows;
      if (replaced.length > 0) {
        await client.query(`UPDATE "Deployment" SET "undeployedAt" = $2 WHERE id = ANY($1::text[])`, [replaced.map((d) => d.id), deployedAt]);
      }
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO "Deployment" (id, service, "environmentId", version, "commitSha", "repositoryId", "deployedAt", alongside, "recordedById")
         VALUES (gen_random_uuid()::text, $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [input.service, environmentId, input.version, input.commit ?? null, repo?.id ?? null, deployedAt, input.alongside, opts.viewer.id],
      );
      const deploymentId = inserted.rows[0].id;
      if (runIds.length > 0) {
        const ids = [...new Set(runIds.map((r) => r.id))];
        await client.query(`INSERT INTO "DeploymentRun" ("deploymentId", "runId") SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [deploymentId, ids]);
        // The versions the runs used, once each, for the reverse question.
        await client.query(
          `INSERT INTO "DeploymentSpecRef" ("deploymentId", source, "specVersionId")
           SELECT DISTINCT $1, 'run'::"DeploymentRefSource", x."specVersionId" FROM "RunSpecRef" x
           WHERE x."runId" = ANY($2::text[]) AND x."specVersionId" IS NOT NULL`,
          [deploymentId, ids],
        );
      }
      const direct = await resolveRefs(client, input.specs.map((ref) => ({ ref, repositoryId: repo?.id ?? null })));
      const baseline = repo && input.commit ? await baselineOf(client, { repositoryId: repo.id, gitDir: repo.gitDir, commit: input.commit }) : null;
      const rows = [
        ...direct.map((r) => ({ source: "direct", ...r })),
        ...(baseline?.versions ?? []).map((v) => ({ source: "baseline", contentHash: null, repositoryName: input.repository!, path: v.path, commitSha: input.commit!, specVersionId: v.id })),
      ];
      if (rows.length > 0) {
        await client.query(
          `INSERT INTO "DeploymentSpecRef" ("deploymentId", source, "contentHash", "repositoryName", path, "commitSha", "specVersionId")
           SELECT $1, * FROM unnest($2::"DeploymentRefSource"[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
          [deploymentId, rows.map((r) => r.source), rows.map((r) => r.contentHash), rows.map((r) => r.repositoryName), rows.map((r) => r.path), rows.map((r) => r.commitSha), rows.map((r) => r.specVersionId)],
        );
      }
      await appendAuditEvent({
        client,
        actor: { id: opts.viewer.id, label: opts.viewer.email },
        action: "deployment.recorded",
        subject: `deployment:${deploymentId}`,
        payload: { service: input.service, environment: input.environment, version: input.version, replaced: replaced.map((d) => d.version) },
      });
      return {
        status: 201,
        body: {
          id: deploymentId,
          service: input.service,
          environment: input.environment,
          version: input.version,
          replaced: replaced.map((d) => ({ id: d.id, version: d.version })),
          runs: runIds.length,
          specs: { direct: direct.length, unresolved: direct.filter((r) => !r.specVersionId).length, baseline: baseline?.versions.length ?? 0 },
          ...(baseline?.warning ? { warning: baseline.warning } : {}),
        },
      };
    }),
  );
}

/** The spec versions an imported repository holds at a commit: git's tree matched to versions by path and blob. */
async function baselineOf(client: pg.PoolClient, opts: { repositoryId: string; gitDir: string | null; commit: string }) {
  if (!opts.gitDir) return { versions: [], warning: "The repository has no local copy to read the commit from; no baseline recorded." };
  let tree: string;
  try {
    tree = await git([`--git-dir=${opts.gitDir}`, "ls-tree", "-r", "--full-tree", `${opts.commit}^{commit}`], { timeoutMs: 30_000 });
  } catch {
    return { versions: [], warning: `Commit ${opts.commit} is not in the imported repository (import it first); no baseline recorded.` };
  }
  const entries = tree
    .split("\n")
    .map((line) => /^\d+ blob ([0-9a-f]+)\t(.+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null);
  if (entries.length === 0) return { versions: [], warning: null };
  const { rows } = await client.query<{ id: string; path: string }>(
    `SELECT DISTINCT ON (t.path) v.id, t.path
     FROM unnest($2::text[], $3::text[]) AS t(path, blob)
     JOIN "SpecVersion" v ON v.path = t.path AND v."blobId" = t.blob
     JOIN "Spec" s ON s.id = v."specId" AND s."repositoryId" = $1
     ORDER BY t.path, v.seq`,
    [opts.repositoryId, entries.map((m) => m[2]), entries.map((m) => m[1])],
  );
  return { versions: rows, warning: null };
}

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
  'repository', d.repository, 'deployedAt', d."deployedAt", 'undeployedAt', d."undeployedAt", 'live', d."undeployedAt" IS NULL,
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
  const { rows } = await pgPool().query<{ tree: string }>({ name: "deployment-provenance-text", text: `SELECT tree::text AS tree FROM (${PROVENANCE_SQL}) t`, values: [id] });
  if (!rows[0]) throw new AppError("not_found", "Deployment not found");
  return rows[0].tree;
}

export async function getDeploymentProvenance(viewer: Viewer, id: string): Promise<DeploymentProvenance> {
  assertCan(viewer, "deployments:read");
  const { rows } = await pgPool().query<{ tree: DeploymentProvenance & { deployedAt: string; undeployedAt: string | null } }>({ name: "deployment-provenance", text: PROVENANCE_SQL, values: [id] });
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
       coalesce((SELECT json_agg(json_build_object('id', id, 'externalId', "externalId", 'agent', agent, 'model', model, 'outcome', outcome, 'createdAt', "createdAt", 'as', used_as)) FROM runs), '[]') AS runs,
       coalesce((SELECT json_agg(json_build_object('id', id, 'service', service, 'version', version, 'environment', environment, 'deployedAt', "deployedAt", 'live', live, 'how', how)) FROM deployments), '[]') AS deployments`;

/** GET /api/v1/versions/:id query. */
export const impactQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).optional().describe("How many of the newest runs and deployments (default 50).") });

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

/** Whether can-i-deploy lets unreviewed spec versions through to an environment (admins). */
export async function setEnvironmentAllowsUnreviewed(opts: { viewer: Viewer; environmentId: string; allow: boolean }) {
  assertCan(opts.viewer, "policies:manage");
  return db.$transaction(async (tx) => {
    const env = await tx.environment.findUnique({ where: { id: opts.environmentId } });
    if (!env) throw new AppError("not_found", "Environment not found");
    if (env.allowUnreviewed === opts.allow) return env;
    const updated = await tx.environment.update({ where: { id: env.id }, data: { allowUnreviewed: opts.allow } });
    await appendAuditEvent({
      tx,
      actor: { id: opts.viewer.id, label: opts.viewer.email },
      action: "environment.policy_changed",
      subject: `environment:${env.id}`,
      payload: { name: env.name, allowUnreviewed: opts.allow },
    });
    return updated;
  });
}
