import type pg from "pg";
import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit";
import { assertCan } from "@/lib/auth/permissions";
import { db, type Role } from "@/lib/db";
import { withPgTransaction } from "@/lib/db/pg";
import { AppError } from "@/lib/errors";
import { git } from "@/lib/git/git";
import { idempotent, type IdempotentResult } from "@/lib/http/idempotency";
import { publicVersion, VERSION_INCLUDE } from "@/lib/runs";
import { resolveRefs, specRefSchema } from "@/lib/specs/refs";

type Viewer = { id: string; email: string; role: Role; scopes?: readonly string[] };

const name = z.string().min(1).max(200).regex(/^[\w.@/:+-]+$/, "Letters, digits and . _ - @ / : + only.");

export const deploymentSchema = z
  .object({
    service: name.describe("The service deployed."),
    environment: name.describe("Where: production, staging, … (created on first use)."),
    version: z.string().min(1).max(200).describe("The service's version, as your release names it."),
    commit: z.string().regex(/^[0-9a-f]{7,64}$/, "commit is a git commit id in lowercase hex.").optional(),
    repository: z.string().min(1).max(200).optional().describe("The imported repository the commit belongs to: its specs at that commit become the baseline."),
    deployedAt: z.iso.datetime({ offset: true }).optional(),
    alongside: z.boolean().default(false).describe("Stays live side by side with the current deployments instead of replacing them."),
    runs: z.array(z.string().min(1).max(200)).max(1000).default([]).describe("Runs behind this version, by id or externalId."),
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
        await client.query(`INSERT INTO "DeploymentRun" ("deploymentId", "runId") SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [
          deploymentId,
          [...new Set(runIds.map((r) => r.id))],
        ]);
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

const DEPLOYMENT_INCLUDE = {
  environment: true,
  repository: { select: { id: true, name: true } },
  recordedBy: { select: { email: true } },
  refs: { orderBy: { id: "asc" }, include: { specVersion: { include: VERSION_INCLUDE } } },
  runs: {
    include: {
      run: { include: { refs: { orderBy: { id: "asc" }, include: { specVersion: { include: VERSION_INCLUDE } } } } },
    },
  },
} as const;

/**
 * Which spec versions shaped a deployment: named directly, used by its runs, and held by its
 * commit (baseline); each with its review state and whether it is still current.
 */
export async function getDeploymentOrThrow(viewer: Viewer, id: string) {
  assertCan(viewer, "deployments:read");
  const deployment = await db.deployment.findUnique({ where: { id }, include: DEPLOYMENT_INCLUDE });
  if (!deployment) throw new AppError("not_found", "Deployment not found");
  return deployment;
}

export function deploymentProvenance(deployment: Awaited<ReturnType<typeof getDeploymentOrThrow>>) {
  const refOf = (r: { kind?: string; contentHash: string | null; repositoryName: string | null; path: string | null; commitSha: string | null; specVersion: Parameters<typeof publicVersion>[0] | null }) => ({
    reference: r.contentHash ? { contentHash: r.contentHash } : { repository: r.repositoryName, path: r.path, commit: r.commitSha },
    resolved: r.specVersion !== null,
    version: r.specVersion ? publicVersion(r.specVersion) : null,
  });
  return {
    id: deployment.id,
    service: deployment.service,
    environment: deployment.environment.name,
    version: deployment.version,
    commit: deployment.commitSha,
    repository: deployment.repository?.name ?? null,
    deployedAt: deployment.deployedAt,
    undeployedAt: deployment.undeployedAt,
    live: deployment.undeployedAt === null,
    alongside: deployment.alongside,
    recordedBy: deployment.recordedBy.email,
    direct: deployment.refs.filter((r) => r.source === "direct").map(refOf),
    baseline: deployment.refs.filter((r) => r.source === "baseline").map(refOf),
    runs: deployment.runs.map(({ run }) => ({
      id: run.id,
      externalId: run.externalId,
      agent: run.agent,
      model: run.model,
      outcome: run.outcome,
      refs: run.refs.map((r) => ({ kind: r.kind, ...refOf(r) })),
    })),
  };
}
export type DeploymentProvenance = ReturnType<typeof deploymentProvenance>;

/** Which runs and deployments a spec version shaped: used by runs, named or held by deployments. */
export async function versionImpact(viewer: Viewer, versionId: string) {
  assertCan(viewer, "deployments:read");
  const version = await db.specVersion.findUnique({ where: { id: versionId }, include: VERSION_INCLUDE });
  if (!version) throw new AppError("not_found", "Spec version not found");
  const [runs, deployments] = await Promise.all([
    db.agentRun.findMany({
      where: { refs: { some: { specVersionId: versionId } } },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: { id: true, externalId: true, agent: true, model: true, outcome: true, createdAt: true, refs: { where: { specVersionId: versionId }, select: { kind: true } } },
    }),
    db.deployment.findMany({
      where: { OR: [{ refs: { some: { specVersionId: versionId } } }, { runs: { some: { run: { refs: { some: { specVersionId: versionId } } } } } }] },
      orderBy: { deployedAt: "desc" },
      take: 200,
      select: {
        id: true,
        service: true,
        version: true,
        deployedAt: true,
        undeployedAt: true,
        environment: { select: { name: true } },
        refs: { where: { specVersionId: versionId }, select: { source: true } },
      },
    }),
  ]);
  return {
    version: publicVersion(version),
    runs: runs.map((r) => ({ id: r.id, externalId: r.externalId, agent: r.agent, model: r.model, outcome: r.outcome, createdAt: r.createdAt, as: r.refs[0]?.kind ?? "spec" })),
    deployments: deployments.map((d) => ({
      id: d.id,
      service: d.service,
      version: d.version,
      environment: d.environment.name,
      deployedAt: d.deployedAt,
      live: d.undeployedAt === null,
      how: d.refs[0]?.source ?? "run",
    })),
  };
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
