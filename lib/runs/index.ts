import { z } from "zod";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import type pg from "pg";
import { AppError } from "@/lib/errors";
import { storable, text, timestamp as time } from "@/lib/schema";
import { resolveRefs, specRefSchema, type ResolvedRef } from "@/lib/specs/refs";
import { pickRun } from "./namespace";
import { payloadDifferences, type StoredRun } from "./payload";
import { RUN_OUTCOME_VALUES, RUNS_PAGE_SIZE, runsWhere, type RunsQuery } from "./query";

export { runsQuerySchema, type RunsQuery } from "./query";

export const MAX_BATCH = 1000;
export const RUN_OUTCOMES = RUN_OUTCOME_VALUES;

const timestamp = time();
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const runSchema = z
  .object({
    externalId: text()
      .min(1)
      .max(200)
      .describe("Your id for the run, unique among your reports: a retry with the same id and payload creates nothing new; a different payload is a 409."),
    agent: text().min(1).max(100).describe("codex, claude-code, kiro, copilot, …"),
    model: text().min(1).max(200).optional(),
    repository: text().min(1).max(200).optional().describe("The repository's name in Specledger (kept as given when not imported)."),
    commit: z
      .string()
      .regex(/^[0-9a-f]{7,64}$/, "commit is a git commit id in lowercase hex.")
      .optional(),
    branch: text().min(1).max(500).optional(),
    startedAt: timestamp.optional(),
    finishedAt: timestamp.optional(),
    inputTokens: count.optional(),
    outputTokens: count.optional(),
    costUsd: z.number().min(0).max(99_999_999, "costUsd is at most 99,999,999.").optional(),
    outcome: z.enum(RUN_OUTCOMES).default("unknown"),
    links: z
      .array(
        z.object({ label: text().min(1).max(100), url: storable(z.url({ protocol: /^https?$/, message: "A link is an http(s) URL." }).max(2000)) }).strict(),
      )
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

/** The runs `reporterId` reported before under these externalIds, with what they said. */
async function storedRuns(client: pg.PoolClient, reporterId: string, externalIds: string[]): Promise<Map<string, StoredRun & { id: string }>> {
  if (externalIds.length === 0) return new Map();
  const { rows } = await client.query<StoredRun & { id: string; externalId: string }>(
    `SELECT r.id, r."externalId", r.agent, r.model, r."repositoryName", r."commitSha", r.branch,
            r."startedAt"::timestamptz AS "startedAt", r."finishedAt"::timestamptz AS "finishedAt",
            r."inputTokens", r."outputTokens", r."costUsd", r.outcome::text AS outcome, r.links,
            coalesce((SELECT json_agg(json_build_object('kind', x.kind, 'contentHash', x."contentHash", 'repositoryName', x."repositoryName", 'path', x.path, 'commitSha', x."commitSha") ORDER BY x.id)
                      FROM "RunSpecRef" x WHERE x."runId" = r.id), '[]') AS refs
     FROM "AgentRun" r WHERE r."reportedById" = $1 AND r."externalId" = ANY($2::text[])`,
    [reporterId, externalIds],
  );
  return new Map(rows.map((r) => [r.externalId, r]));
}

/** A report under an externalId this reporter used before must say the same; else a conflict naming the fields. */
function assertReplays(runs: RunInput[], stored: Map<string, StoredRun>) {
  const conflicts = runs.flatMap((run) => {
    const before = stored.get(run.externalId);
    const fields = before ? payloadDifferences(run, before) : [];
    return fields.length ? [{ externalId: run.externalId, fields }] : [];
  });
  if (conflicts.length === 0) return;
  const described = conflicts
    .slice(0, 5)
    .map((c) => `run ${c.externalId} differs in ${c.fields.join(", ")}`)
    .join("; ");
  throw new AppError(
    "conflict",
    `You reported ${conflicts.length === 1 ? "this externalId" : `${conflicts.length} of these externalIds`} before with a different payload (${described}${conflicts.length > 5 ? "; …" : ""}). A run is immutable: report a new externalId.`,
    { conflicts },
  );
}

/**
 * Records runs with one statement (atomic on its own): repositories and spec references
 * resolved in a few queries first, then runs and their references inserted together.
 * externalIds are the reporter's own (unique per reporter): a run this reporter reported
 * before is not written again and its first record is returned, when the payload is the
 * same; a different payload is a conflict, refused before anything is written.
 */
/**
 * `budgeted`: whether any spend budget existed when the runs were written (read in the same
 * statement), so the report checks budgets after its commit only then: that check cost as much
 * as the report itself (decision 036).
 */
export async function reportRuns(client: pg.PoolClient, viewer: Viewer, runs: RunInput[]): Promise<{ runs: ReportedRun[]; budgeted: boolean }> {
  if (runs.length === 0) throw new AppError("unprocessable", "No runs to report.");
  const ids = new Set(runs.map((r) => r.externalId));
  if (ids.size !== runs.length) throw new AppError("unprocessable", "Two runs in the batch have the same externalId.");
  // A batch is checked before anything is written, so a conflict refuses all of it. A single
  // run needs no look-up first: its insert does nothing on a known externalId, and the check
  // after it (below) tells a replay from a conflict, one round trip less on the ingest path.
  const before = runs.length > 1 ? await storedRuns(client, viewer.id, [...ids]) : new Map<string, StoredRun & { id: string }>();
  assertReplays(runs, before);
  const fresh = runs.filter((r) => !before.has(r.externalId));
  const refs = fresh.flatMap((run) => [
    ...run.specs.map((ref) => ({ run, kind: "spec" as const, ref })),
    ...run.instructions.map((ref) => ({ run, kind: "instruction" as const, ref })),
  ]);
  const resolved = refs.length
    ? await resolveRefs(
        client,
        refs.map(({ run, ref }) => ({ ref, repositoryName: run.repository ?? null })),
      )
    : [];
  // One statement writes the runs and their references: atomic on its own, so a report
  // without an Idempotency-Key needs no transaction around it.
  const inserted = fresh.length
    ? await client.query<{ id: string; externalId: string; budgeted: boolean }>(
        `WITH runs AS (
       INSERT INTO "AgentRun" (id, "externalId", agent, model, "repositoryId", "repositoryName", "commitSha", branch, "startedAt", "finishedAt",
                               "inputTokens", "outputTokens", "costUsd", outcome, links, "reportedById")
       SELECT gen_random_uuid()::text, t.e, t.agent, t.model, r.id, t.repo, t.commit, t.branch, t.started, t.finished, t.input, t.output, t.cost, t.outcome, t.links, $14
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[],
                   $9::bigint[], $10::bigint[], $11::numeric[], $12::"RunOutcome"[], $13::jsonb[])
            AS t(e, agent, model, repo, commit, branch, started, finished, input, output, cost, outcome, links)
       LEFT JOIN "Repository" r ON r.name = t.repo
       ON CONFLICT ("reportedById", "externalId") DO NOTHING
       RETURNING id, "externalId"),
     refs AS (
       INSERT INTO "RunSpecRef" ("runId", kind, "contentHash", "repositoryName", path, "commitSha", "specVersionId")
       SELECT runs.id, x.kind, x.hash, x.repo, x.path, x.commit, x.version
       FROM unnest($15::text[], $16::"SpecRefKind"[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[])
            WITH ORDINALITY AS x(e, kind, hash, repo, path, commit, version, ord)
       JOIN runs ON runs."externalId" = x.e
       ORDER BY x.ord)
     SELECT id, "externalId", EXISTS (SELECT 1 FROM "SpecBudget") AS budgeted FROM runs`,
        [
          fresh.map((r) => r.externalId),
          fresh.map((r) => r.agent),
          fresh.map((r) => r.model ?? null),
          fresh.map((r) => r.repository ?? null),
          fresh.map((r) => r.commit ?? null),
          fresh.map((r) => r.branch ?? null),
          fresh.map((r) => r.startedAt ?? null),
          fresh.map((r) => r.finishedAt ?? null),
          fresh.map((r) => r.inputTokens ?? null),
          fresh.map((r) => r.outputTokens ?? null),
          fresh.map((r) => r.costUsd ?? null),
          fresh.map((r) => r.outcome),
          fresh.map((r) => JSON.stringify(r.links)),
          viewer.id,
          refs.map(({ run }) => run.externalId),
          refs.map(({ kind }) => kind),
          resolved.map((r) => r.contentHash),
          resolved.map((r) => r.repositoryName),
          resolved.map((r) => r.path),
          resolved.map((r) => r.commitSha),
          resolved.map((r) => r.specVersionId),
        ],
      )
    : { rows: [] };
  const created = new Map(inserted.rows.map((r) => [r.externalId, r.id]));
  // Runs the same reporter recorded before (a single run) or concurrently, between the check
  // and the insert: a replay only if they say the same (in a batch, the runs written by then
  // stay written, and a retry of the batch replays them).
  const raced = fresh.filter((r) => !created.has(r.externalId));
  const after = await storedRuns(
    client,
    viewer.id,
    raced.map((r) => r.externalId),
  );
  assertReplays(raced, after);
  const existingIds = new Map([...before, ...after].map(([externalId, run]) => [externalId, run.id]));
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
  return { runs: reported, budgeted: inserted.rows.some((r) => r.budgeted) };
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
  const candidates = await db.agentRun.findMany({
    where: { OR: [{ id }, { externalId: id }] },
    select: { id: true, externalId: true, reportedById: true },
    take: 50,
  });
  const pick = pickRun(id, candidates, viewer.id);
  if (pick && "ambiguous" in pick) throw new AppError("conflict", `${pick.ambiguous} reporters used the externalId ${id}: ask for the run by its id.`);
  const run = await db.agentRun.findFirst({
    where: { id: pick?.id ?? "" },
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

/** Runs matching the filters, newest first, a page at a time, with how many match in all. */
export async function listRuns(viewer: Viewer, query: Partial<RunsQuery> = {}) {
  assertCan(viewer, "runs:read");
  const spec = query.spec
    ? await db.spec.findFirst({ where: { id: query.spec }, select: { id: true, path: true, deleted: true, repository: { select: { name: true } } } })
    : null;
  const where = runsWhere(query, spec && !spec.deleted ? { repository: spec.repository.name, path: spec.path } : null);
  const page = query.page ?? 1;
  const [runs, total] = await Promise.all([
    db.agentRun.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * RUNS_PAGE_SIZE,
      take: RUNS_PAGE_SIZE,
      include: { _count: { select: { refs: true } }, repository: { select: { id: true, name: true } } },
    }),
    db.agentRun.count({ where }),
  ]);
  return { runs, total, page, pageSize: RUNS_PAGE_SIZE, spec: spec ? { id: spec.id, name: `${spec.repository.name}:${spec.path}` } : null };
}

/** The agents that reported runs, for the list's filter. */
export async function listRunAgents(viewer: Viewer): Promise<string[]> {
  assertCan(viewer, "runs:read");
  const rows = await db.agentRun.findMany({ distinct: ["agent"], select: { agent: true }, orderBy: { agent: "asc" }, take: 200 });
  return rows.map((r) => r.agent);
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
