import { z } from "zod";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import type pg from "pg";
import { AppError } from "@/lib/errors";
import { storable, text, timestamp as time } from "@/lib/schema";
import { resolveRefs, specRefSchema, type ResolvedRef } from "@/lib/specs/refs";

export const MAX_BATCH = 1000;
export const RUN_OUTCOMES = ["succeeded", "failed", "cancelled", "unknown"] as const;

const timestamp = time();
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const runSchema = z
  .object({
    externalId: text().min(1).max(200).describe("The reporter's id for the run; a retry with the same id creates nothing new."),
    agent: text().min(1).max(100).describe("codex, claude-code, kiro, copilot, …"),
    model: text().min(1).max(200).optional(),
    repository: text().min(1).max(200).optional().describe("The repository's name in Specledger (kept as given when not imported)."),
    commit: z.string().regex(/^[0-9a-f]{7,64}$/, "commit is a git commit id in lowercase hex.").optional(),
    branch: text().min(1).max(500).optional(),
    startedAt: timestamp.optional(),
    finishedAt: timestamp.optional(),
    inputTokens: count.optional(),
    outputTokens: count.optional(),
    costUsd: z.number().min(0).max(99_999_999, "costUsd is at most 99,999,999.").optional(),
    outcome: z.enum(RUN_OUTCOMES).default("unknown"),
    links: z
      .array(z.object({ label: text().min(1).max(100), url: storable(z.url({ protocol: /^https?$/, message: "A link is an http(s) URL." }).max(2000)) }).strict())
      .max(20)
      .default([]),
    specs: z.array(specRefSchema).max(500).default([]).describe("Spec versions the run used."),
    instructions: z.array(specRefSchema).max(500).default([]).describe("Instruction files (AGENTS.md, CLAUDE.md, …) the run loaded."),
  })
  .strict()
  .refine((r) => !r.startedAt || !r.finishedAt || Date.parse(r.startedAt) <= Date.parse(r.finishedAt), {
    message: "finishedAt is before startedAt.",
    path: ["finishedAt"],
  });
export type RunInput = z.output<typeof runSchema>;

/** GET /api/v1/runs query. */
export const runsQuerySchema = z.object({ repositoryId: text().max(100).optional() });

export const batchSchema = z.object({ runs: z.array(runSchema).min(1).max(MAX_BATCH, `At most ${MAX_BATCH} runs per batch.`) }).strict();

export interface ReportedRun {
  id: string;
  externalId: string;
  created: boolean;
  refs: (ResolvedRef & { kind: "spec" | "instruction" })[];
  unresolved: number;
}

export const reportedRun = z.object({
  id: z.string(),
  externalId: z.string(),
  created: z.boolean(),
  refs: z.array(
    z.object({
      kind: z.enum(["spec", "instruction"]),
      contentHash: z.string().nullable(),
      repositoryName: z.string().nullable(),
      path: z.string().nullable(),
      commitSha: z.string().nullable(),
      specVersionId: z.string().nullable(),
    }),
  ),
  unresolved: z.number().int(),
});

export const batchResult = z.object({
  created: z.number().int(),
  existing: z.number().int(),
  unresolvedRefs: z.number().int(),
  runs: z.array(z.object({ id: z.string(), externalId: z.string(), created: z.boolean(), unresolved: z.number().int() })),
});

/**
 * Records runs with one statement (atomic on its own): repositories and spec references
 * resolved in a few queries first, then runs and their references inserted together. A run
 * whose external id is known already is not written again; its first record is returned.
 */
export async function reportRuns(client: pg.PoolClient, viewer: Viewer, runs: RunInput[]): Promise<ReportedRun[]> {
  if (runs.length === 0) throw new AppError("unprocessable", "No runs to report.");
  const ids = new Set(runs.map((r) => r.externalId));
  if (ids.size !== runs.length) throw new AppError("unprocessable", "Two runs in the batch have the same externalId.");
  const refs = runs.flatMap((run) => [
    ...run.specs.map((ref) => ({ run, kind: "spec" as const, ref })),
    ...run.instructions.map((ref) => ({ run, kind: "instruction" as const, ref })),
  ]);
  const resolved = refs.length ? await resolveRefs(client, refs.map(({ run, ref }) => ({ ref, repositoryName: run.repository ?? null }))) : [];
  // One statement writes the runs and their references: atomic on its own, so a report
  // without an Idempotency-Key needs no transaction around it.
  const inserted = await client.query<{ id: string; externalId: string }>(
    `WITH runs AS (
       INSERT INTO "AgentRun" (id, "externalId", agent, model, "repositoryId", "repositoryName", "commitSha", branch, "startedAt", "finishedAt",
                               "inputTokens", "outputTokens", "costUsd", outcome, links, "reportedById")
       SELECT gen_random_uuid()::text, t.e, t.agent, t.model, r.id, t.repo, t.commit, t.branch, t.started, t.finished, t.input, t.output, t.cost, t.outcome, t.links, $14
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[],
                   $9::bigint[], $10::bigint[], $11::numeric[], $12::"RunOutcome"[], $13::jsonb[])
            AS t(e, agent, model, repo, commit, branch, started, finished, input, output, cost, outcome, links)
       LEFT JOIN "Repository" r ON r.name = t.repo
       ON CONFLICT ("externalId") DO NOTHING
       RETURNING id, "externalId"),
     refs AS (
       INSERT INTO "RunSpecRef" ("runId", kind, "contentHash", "repositoryName", path, "commitSha", "specVersionId")
       SELECT runs.id, x.kind, x.hash, x.repo, x.path, x.commit, x.version
       FROM unnest($15::text[], $16::"SpecRefKind"[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[])
            WITH ORDINALITY AS x(e, kind, hash, repo, path, commit, version, ord)
       JOIN runs ON runs."externalId" = x.e
       ORDER BY x.ord)
     SELECT id, "externalId" FROM runs`,
    [
      runs.map((r) => r.externalId),
      runs.map((r) => r.agent),
      runs.map((r) => r.model ?? null),
      runs.map((r) => r.repository ?? null),
      runs.map((r) => r.commit ?? null),
      runs.map((r) => r.branch ?? null),
      runs.map((r) => r.startedAt ?? null),
      runs.map((r) => r.finishedAt ?? null),
      runs.map((r) => r.inputTokens ?? null),
      runs.map((r) => r.outputTokens ?? null),
      runs.map((r) => r.costUsd ?? null),
      runs.map((r) => r.outcome),
      runs.map((r) => JSON.stringify(r.links)),
      viewer.id,
      refs.map(({ run }) => run.externalId),
      refs.map(({ kind }) => kind),
      resolved.map((r) => r.contentHash),
      resolved.map((r) => r.repositoryName),
      resolved.map((r) => r.path),
      resolved.map((r) => r.commitSha),
      resolved.map((r) => r.specVersionId),
    ],
  );
  const created = new Map(inserted.rows.map((r) => [r.externalId, r.id]));
  // Runs reported before: their first record, as it was stored.
  const known = runs.filter((r) => !created.has(r.externalId)).map((r) => r.externalId);
  const existing = known.length
    ? (await client.query<{ id: string; externalId: string }>(`SELECT id, "externalId" FROM "AgentRun" WHERE "externalId" = ANY($1::text[])`, [known])).rows
    : [];
  const existingIds = new Map(existing.map((r) => [r.externalId, r.id]));
  const refsByRun = new Map<string, ReportedRun["refs"]>();
  refs.forEach(({ run, kind }, i) => {
    if (created.has(run.externalId)) refsByRun.set(run.externalId, [...(refsByRun.get(run.externalId) ?? []), { kind, ...resolved[i] }]);
  });
  const reported: ReportedRun[] = runs.map((r) => {
    const runRefs = refsByRun.get(r.externalId) ?? [];
    return {
      id: created.get(r.externalId) ?? existingIds.get(r.externalId)!,
      externalId: r.externalId,
      created: created.has(r.externalId),
      refs: runRefs,
      unresolved: runRefs.filter((x) => !x.specVersionId).length,
    };
  });
  return reported;
}

/** What a batch report answers: counts, and each run's id and whether it was new. */
export function batchSummary(reported: ReportedRun[]): z.infer<typeof batchResult> {
  return {
    created: reported.filter((r) => r.created).length,
    existing: reported.filter((r) => !r.created).length,
    unresolvedRefs: reported.reduce((n, r) => n + r.unresolved, 0),
    runs: reported.map(({ id, externalId, created, unresolved }) => ({ id, externalId, created, unresolved })),
  };
}

/** A run with what it used, each version with its review state and whether it is current. */
export async function getRunOrThrow(viewer: Viewer, id: string) {
  assertCan(viewer, "runs:read");
  const run = await db.agentRun.findFirst({
    where: { OR: [{ id }, { externalId: id }] },
    include: {
      repository: { select: { id: true, name: true } },
      reportedBy: { select: { email: true } },
      refs: { orderBy: { id: "asc" }, include: { specVersion: { include: VERSION_INCLUDE } } },
      deployments: { include: { deployment: { include: { environment: true } } } },
    },
  });
  if (!run) throw new AppError("not_found", "Run not found");
  return run;
}

export const VERSION_INCLUDE = {
  spec: { select: { id: true, path: true, currentHash: true, repository: { select: { id: true, name: true } } } },
  change: { select: { number: true, state: true } },
} as const;

export async function listRuns(viewer: Viewer, opts: { take?: number; repositoryId?: string } = {}) {
  assertCan(viewer, "runs:read");
  return db.agentRun.findMany({
    where: opts.repositoryId ? { repositoryId: opts.repositoryId } : {},
    orderBy: { createdAt: "desc" },
    take: Math.min(opts.take ?? 50, 200),
    include: { _count: { select: { refs: true } } },
  });
}

type VersionWithReview = {
  id: string;
  seq: number;
  contentHash: string;
  path: string;
  commitSha: string;
  spec: { id: string; path: string; currentHash: string | null; repository: { id: string; name: string } };
  change: { number: number; state: string } | null;
};

/** A spec version as provenance answers show it: its review state and whether it is still current. */
export function publicVersion(v: VersionWithReview) {
  return {
    id: v.id,
    specId: v.spec.id,
    repository: v.spec.repository.name,
    path: v.path,
    seq: v.seq,
    commit: v.commitSha,
    contentHash: v.contentHash,
    reviewState: v.change?.state ?? (v.spec.currentHash === v.contentHash ? "unreviewed" : "superseded"),
    change: v.change?.number ?? null,
    current: v.spec.currentHash === v.contentHash,
  };
}

export function publicRun(run: Awaited<ReturnType<typeof getRunOrThrow>>) {
  return {
    id: run.id,
    externalId: run.externalId,
    agent: run.agent,
    model: run.model,
    repository: run.repositoryName,
    commit: run.commitSha,
    branch: run.branch,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    inputTokens: run.inputTokens === null ? null : Number(run.inputTokens),
    outputTokens: run.outputTokens === null ? null : Number(run.outputTokens),
    costUsd: run.costUsd === null ? null : Number(run.costUsd),
    outcome: run.outcome,
    links: run.links,
    reportedBy: run.reportedBy.email,
    createdAt: run.createdAt,
    refs: run.refs.map((r) => ({
      kind: r.kind,
      reference: r.contentHash ? { contentHash: r.contentHash } : { repository: r.repositoryName, path: r.path, commit: r.commitSha },
      resolved: r.specVersionId !== null,
      version: r.specVersion ? publicVersion(r.specVersion) : null,
    })),
    deployments: run.deployments.map((d) => ({
      id: d.deployment.id,
      service: d.deployment.service,
      version: d.deployment.version,
      environment: d.deployment.environment.name,
      live: d.deployment.undeployedAt === null,
    })),
  };
}
