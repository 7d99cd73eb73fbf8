import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { db, Prisma, type FindingStatus } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { checkRepository, checkWorkspace, REPOSITORY_TYPES, WORKSPACE_TYPES, type FindingDraft, type FindingType } from "./checks";
import { getFindingsConfig } from "./settings";

type Viewer = Actor & { id: string; email: string };

/** The recomputation runs as this: it reads everything and decides nothing. */
const SYSTEM_VIEWER: Viewer = { id: "system", email: "system", role: "admin" };

export interface RecomputeResult {
  found: number;
  opened: number;
  resolved: number;
}

/**
 * Stores what the checks found in one scope, in one transaction: new findings open, known
 * ones are refreshed (a resolved one whose cause is back reopens; acknowledged and dismissed
 * ones keep their status), and any not found any more resolve, dismissed ones included.
 */
export async function reconcileFindings(opts: { scope: { repositoryId: string } | "workspace"; drafts: FindingDraft[] }): Promise<RecomputeResult> {
  const types = opts.scope === "workspace" ? WORKSPACE_TYPES : REPOSITORY_TYPES;
  const repositoryId = opts.scope === "workspace" ? null : opts.scope.repositoryId;
  const drafts = [...new Map(opts.drafts.map((d) => [d.fingerprint, d])).values()];
  return db.$transaction(
    async (tx) => {
      // One recomputation per scope at a time: two would resolve each other's findings.
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`findings:${repositoryId ?? "workspace"}`}))::text`;
      let opened = 0;
      for (let i = 0; i < drafts.length; i += 1000) {
        const batch = drafts.slice(i, i + 1000);
        const rows = await tx.$queryRaw<{ inserted: boolean }[]>`
          INSERT INTO "Finding" (id, fingerprint, type, rule, severity, status, "repositoryId", "specId", line, message, suggestion, evidence, "introducedAt")
          SELECT gen_random_uuid()::text, d.fingerprint, d.type, d.rule, d.severity::"FindingSeverity",
                 (CASE WHEN d.dismissed THEN 'dismissed' ELSE 'open' END)::"FindingStatus",
                 d."repositoryId", d."specId", d.line, d.message, d.suggestion, d.evidence, d."introducedAt"
          FROM unnest(${batch.map((d) => d.fingerprint)}::text[], ${batch.map((d) => d.type)}::text[], ${batch.map((d) => d.rule)}::text[],
                      ${batch.map((d) => d.severity)}::text[], ${batch.map((d) => d.repositoryId)}::text[], ${batch.map((d) => d.specId)}::text[],
                      ${batch.map((d) => d.line)}::int[], ${batch.map((d) => d.message)}::text[], ${batch.map((d) => d.suggestion)}::text[],
                      ${batch.map((d) => JSON.stringify(d.evidence))}::jsonb[], ${batch.map((d) => d.introducedAt)}::timestamp[],
                      ${batch.map((d) => d.dismissed === true)}::boolean[])
            AS d(fingerprint, type, rule, severity, "repositoryId", "specId", line, message, suggestion, evidence, "introducedAt", dismissed)
          ON CONFLICT (fingerprint) DO UPDATE SET
            severity = EXCLUDED.severity, message = EXCLUDED.message, suggestion = EXCLUDED.suggestion, evidence = EXCLUDED.evidence,
            line = EXCLUDED.line, "repositoryId" = EXCLUDED."repositoryId", "specId" = EXCLUDED."specId", "lastSeenAt" = now(),
            status = CASE
              WHEN EXCLUDED.status = 'dismissed' THEN 'dismissed'::"FindingStatus"
              WHEN "Finding".status = 'resolved' THEN 'open'::"FindingStatus"
              WHEN "Finding".status = 'dismissed' AND "Finding"."statusChangedById" IS NULL THEN 'open'::"FindingStatus"
              ELSE "Finding".status END,
            "resolvedAt" = NULL
          RETURNING (xmax = 0) AS inserted`;
        opened += rows.filter((r) => r.inserted).length;
      }
      const fingerprints = drafts.map((d) => d.fingerprint);
      const resolved = await tx.$executeRaw`
        UPDATE "Finding" SET status = 'resolved', "resolvedAt" = now()
        WHERE type = ANY(${[...types]}::text[])
          AND (${repositoryId}::text IS NULL OR "repositoryId" = ${repositoryId})
          AND status IN ('open', 'acknowledged', 'dismissed')
          AND NOT (fingerprint = ANY(${fingerprints}::text[]))`;
      return { found: drafts.length, opened, resolved };
    },
    { timeout: 60_000 },
  );
}

/**
 * Recomputes findings: the named repository's (every repository's when none is named, none
 * with workspaceOnly) and the workspace-wide ones (duplicates, deployed stale).
 */
export async function recomputeFindings(opts: { repositoryId?: string | null; workspaceOnly?: boolean } = {}): Promise<RecomputeResult> {
  const config = await getFindingsConfig();
  const repositories = opts.workspaceOnly
    ? []
    : opts.repositoryId
      ? [opts.repositoryId]
      : (await db.repository.findMany({ where: { headCommit: { not: null } }, select: { id: true } })).map((r) => r.id);
  const total: RecomputeResult = { found: 0, opened: 0, resolved: 0 };
  const add = (r: RecomputeResult) => {
    total.found += r.found;
    total.opened += r.opened;
    total.resolved += r.resolved;
  };
  for (const repositoryId of repositories) {
    let drafts: FindingDraft[];
    try {
      drafts = await checkRepository(repositoryId, config);
    } catch (error) {
      // One unreadable repository (its git data gone) must not stop the others; its findings stay as they were.
      console.error(`[findings] could not check repository ${repositoryId}`, error);
      continue;
    }
    add(await reconcileFindings({ scope: { repositoryId }, drafts }));
  }
  add(await reconcileFindings({ scope: "workspace", drafts: await checkWorkspace(SYSTEM_VIEWER, config) }));
  return total;
}

export const FINDING_STATUSES = ["open", "acknowledged", "resolved", "dismissed"] as const;
export const FINDING_SEVERITIES = ["error", "warning", "info"] as const;
export const FINDING_TYPES = [...REPOSITORY_TYPES, ...WORKSPACE_TYPES] as FindingType[];

const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z.preprocess((v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v), z.array(z.enum(values)).optional());

export const findingsQuerySchema = z.object({
  status: list(FINDING_STATUSES),
  severity: list(FINDING_SEVERITIES),
  type: list(FINDING_TYPES as [FindingType, ...FindingType[]]),
  repository: z.string().max(200).optional(),
  owner: z.string().max(200).optional(),
  rule: z.string().max(100).optional(),
  spec: z.string().max(100).optional(),
  sort: z.enum(["severity", "age", "type", "repository"]).default("severity"),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type FindingsQuery = z.infer<typeof findingsQuerySchema>;

export const PAGE_SIZE = 50;

/** POST /api/v1/findings/status body. */
export const findingStatusSchema = z
  .object({
    ids: z.array(z.string().min(1).max(100)).min(1).max(500).describe("The findings to change."),
    action: z.enum(["acknowledge", "dismiss", "reopen"]),
    note: z.string().max(1000).optional().describe("Why, for the audit log."),
  })
  .strict();

/** The fields of a finding the API returns. */
export function publicFinding(f: FindingView) {
  return {
    id: f.id,
    type: f.type,
    rule: f.rule,
    severity: f.severity,
    status: f.status,
    repository: f.repository?.name ?? null,
    spec: f.spec ? { id: f.spec.id, path: f.spec.path, kind: f.spec.kind, owners: f.spec.owners } : null,
    line: f.line,
    message: f.message,
    suggestion: f.suggestion,
    evidence: f.evidence,
    introducedAt: f.introducedAt,
    firstSeenAt: f.firstSeenAt,
    lastSeenAt: f.lastSeenAt,
    resolvedAt: f.resolvedAt,
  };
}

const findingSelect = {
  id: true,
  type: true,
  rule: true,
  severity: true,
  status: true,
  line: true,
  message: true,
  suggestion: true,
  evidence: true,
  introducedAt: true,
  firstSeenAt: true,
  lastSeenAt: true,
  resolvedAt: true,
  statusChangedAt: true,
  repository: { select: { id: true, name: true } },
  spec: { select: { id: true, path: true, kind: true, owners: true } },
} satisfies Prisma.FindingSelect;

export type FindingView = Prisma.FindingGetPayload<{ select: typeof findingSelect }>;

function whereOf(query: FindingsQuery): Prisma.FindingWhereInput {
  const owner = query.owner === "unowned" ? { spec: { owners: { isEmpty: true } } } : query.owner ? { spec: { owners: { has: query.owner } } } : {};
  return {
    status: { in: query.status?.length ? query.status : ["open", "acknowledged"] },
    ...(query.severity?.length ? { severity: { in: query.severity } } : {}),
    ...(query.type?.length ? { type: { in: query.type } } : {}),
    ...(query.repository ? { repository: { name: query.repository } } : {}),
    ...(query.rule ? { rule: query.rule } : {}),
    ...(query.spec ? { specId: query.spec } : {}),
    ...owner,
  };
}

const ORDER: Record<FindingsQuery["sort"], Prisma.FindingOrderByWithRelationInput[]> = {
  // The enum's order is error, warning, info.
  severity: [{ severity: "asc" }, { firstSeenAt: "asc" }, { id: "asc" }],
  age: [{ introducedAt: { sort: "asc", nulls: "last" } }, { firstSeenAt: "asc" }, { id: "asc" }],
  type: [{ type: "asc" }, { severity: "asc" }, { id: "asc" }],
  repository: [{ repository: { name: "asc" } }, { severity: "asc" }, { id: "asc" }],
};

/** A page of findings matching the filters (open and acknowledged unless a status is named). */
export async function listFindings(viewer: Actor, query: FindingsQuery): Promise<{ findings: FindingView[]; total: number }> {
  assertCan(viewer, "specs:read");
  const where = whereOf(query);
  const [findings, total] = await Promise.all([
    db.finding.findMany({ where, select: findingSelect, orderBy: ORDER[query.sort], take: PAGE_SIZE, skip: (query.page - 1) * PAGE_SIZE }),
    db.finding.count({ where }),
  ]);
  return { findings, total };
}

/** How many open or acknowledged findings a spec has (its page links to them). */
export async function countOpenFindings(viewer: Actor, specId: string): Promise<number> {
  assertCan(viewer, "specs:read");
  return db.finding.count({ where: { specId, status: { in: ["open", "acknowledged"] } } });
}

export async function getFindingOrThrow(viewer: Actor, id: string): Promise<FindingView> {
  assertCan(viewer, "specs:read");
  const finding = await db.finding.findUnique({ where: { id }, select: findingSelect });
  if (!finding) throw new AppError("not_found", "Finding not found");
  return finding;
}

const TRANSITIONS: Record<"acknowledge" | "dismiss" | "reopen", { to: FindingStatus; from: FindingStatus[] }> = {
  acknowledge: { to: "acknowledged", from: ["open"] },
  dismiss: { to: "dismissed", from: ["open", "acknowledged"] },
  reopen: { to: "open", from: ["acknowledged", "dismissed"] },
};

/**
 * Acknowledges, dismisses or reopens findings (several at once), audited per finding.
 * Findings not in a state the action applies to are left alone and not counted.
 */
export async function setFindingStatus(opts: { viewer: Viewer; ids: string[]; action: keyof typeof TRANSITIONS; note?: string }): Promise<number> {
  assertCan(opts.viewer, "reviews:decide");
  const ids = [...new Set(opts.ids)];
  if (ids.length === 0) return 0;
  if (ids.length > 500) throw new AppError("unprocessable", "At most 500 findings at a time.");
  const { to, from } = TRANSITIONS[opts.action];
  return db.$transaction(async (tx) => {
    const findings = await tx.finding.findMany({
      where: { id: { in: ids }, status: { in: from } },
      select: { id: true, fingerprint: true, status: true, type: true, evidence: true },
    });
    if (findings.length === 0) return 0;
    await tx.finding.updateMany({
      where: { id: { in: findings.map((f) => f.id) } },
      data: { status: to, statusChangedAt: new Date(), statusChangedById: opts.viewer.id },
    });
    // A duplicate finding is its cluster: dismissing or reopening one does the same on the Duplicates page.
    for (const finding of findings.filter((f) => f.type === "duplicate" && opts.action !== "acknowledge")) {
      const key = (finding.evidence as { clusterKey?: string }).clusterKey;
      if (!key) continue;
      const dismissed = opts.action === "dismiss";
      await tx.duplicateDecision.upsert({
        where: { key },
        create: { key, dismissed, decidedById: opts.viewer.id },
        update: { dismissed, decidedById: opts.viewer.id },
      });
    }
    for (const finding of findings) {
      await appendAuditEvent({
        tx,
        actor: { id: opts.viewer.id, label: opts.viewer.email },
        action: `finding.${to}`,
        subject: `finding:${finding.id}`,
        payload: { fingerprint: finding.fingerprint, from: finding.status, note: opts.note ?? null },
      });
    }
    return findings.length;
  });
}

/**
 * "Accept drift": the spec still holds for its code as it is now, so its stale check starts
 * from the repository's head commit. Audited; the stale finding resolves on recomputation.
 */
export async function acceptDrift(opts: { viewer: Viewer; findingId: string }) {
  assertCan(opts.viewer, "reviews:decide");
  const finding = await db.finding.findUnique({
    where: { id: opts.findingId },
    select: { id: true, type: true, specId: true, spec: { select: { path: true, repository: { select: { headCommit: true } } } } },
  });
  if (!finding) throw new AppError("not_found", "Finding not found");
  if (finding.type !== "stale" || !finding.specId || !finding.spec) throw new AppError("unprocessable", "Only a stale spec's drift can be accepted.");
  const head = finding.spec.repository.headCommit;
  if (!head) throw new AppError("conflict", "The repository has not been imported yet.");
  await db.$transaction(async (tx) => {
    await tx.driftBaseline.upsert({
      where: { specId: finding.specId! },
      create: { specId: finding.specId!, commitSha: head, acceptedById: opts.viewer.id },
      update: { commitSha: head, acceptedById: opts.viewer.id, acceptedAt: new Date() },
    });
    await tx.finding.update({ where: { id: finding.id }, data: { status: "resolved", resolvedAt: new Date(), statusChangedAt: new Date(), statusChangedById: opts.viewer.id } });
    await appendAuditEvent({
      tx,
      actor: { id: opts.viewer.id, label: opts.viewer.email },
      action: "finding.drift_accepted",
      subject: `spec:${finding.specId}`,
      payload: { findingId: finding.id, path: finding.spec!.path, baseline: head },
    });
  });
  return { baseline: head };
}
