import { emitFindingsOpened } from "@/lib/notifications/events";
import { z } from "zod";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { oneLineCause } from "@/lib/git/error-text";
import { idString, positiveIntString, text } from "@/lib/schema";
import { checkRepository, checkWorkspace, REPOSITORY_TYPES, WORKSPACE_TYPES, type FindingDraft, type FindingType } from "./checks";
import { checkedEvidence, readEvidence, type TypedEvidence } from "./evidence";
import { getFindingsConfig, type FindingsConfig } from "./settings";

/** The recomputation runs as this: it reads everything and decides nothing. */
const SYSTEM_VIEWER: Actor = { role: "admin" };

export interface RecomputeResult {
  found: number;
  opened: number;
  resolved: number;
}

/**
 * Stores what the checks found in one scope, in one transaction: new findings open, known
 * ones are refreshed (a resolved one whose cause is back reopens; acknowledged and dismissed
 * ones keep their status), and any not found any more resolve, dismissed ones included.
 * Types whose check did not run (`checked` leaves them out: switched off in the settings)
 * prove nothing gone: their open and acknowledged findings resolve, so nobody is asked to act
 * on a check that is off, but dismissed ones stay dismissed, so switching the check on again
 * does not undo a person's dismissal.
 */
export async function reconcileFindings(opts: {
  scope: { repositoryId: string } | "workspace";
  drafts: FindingDraft[];
  /** The types whose checks ran (all by default). */
  checked?: readonly FindingType[];
}): Promise<RecomputeResult> {
  const types = opts.scope === "workspace" ? WORKSPACE_TYPES : REPOSITORY_TYPES;
  const checked = types.filter((t) => opts.checked?.includes(t) ?? true);
  const repositoryId = opts.scope === "workspace" ? null : opts.scope.repositoryId;
  // Validated before anything is written: evidence that does not match its type's schema is a bug in the check.
  const drafts = [...new Map(opts.drafts.map((d) => [d.fingerprint, { ...d, evidence: checkedEvidence(d) }])).values()];
  const openedIds: string[] = [];
  const result = await db.$transaction(
    async (tx) => {
      openedIds.length = 0;
      // One recomputation per scope at a time: two would resolve each other's findings.
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`findings:${repositoryId ?? "workspace"}`}))::text`;
      let opened = 0;
      for (let i = 0; i < drafts.length; i += 1000) {
        const batch = drafts.slice(i, i + 1000);
        const rows = await tx.$queryRaw<{ inserted: boolean; id: string; status: string }[]>`
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
          RETURNING (xmax = 0) AS inserted, id, status::text AS status`;
        opened += rows.filter((r) => r.inserted).length;
        openedIds.push(...rows.filter((r) => r.inserted && r.status === "open").map((r) => r.id));
      }
      const fingerprints = drafts.map((d) => d.fingerprint);
      const resolved = await tx.$executeRaw`
        UPDATE "Finding" SET status = 'resolved', "resolvedAt" = now()
        WHERE type = ANY(${[...types]}::text[])
          AND (${repositoryId}::text IS NULL OR "repositoryId" = ${repositoryId})
          AND (status IN ('open', 'acknowledged') OR (status = 'dismissed' AND type = ANY(${[...checked]}::text[])))
          AND NOT (fingerprint = ANY(${fingerprints}::text[]))`;
      return { found: drafts.length, opened, resolved };
    },
    { timeout: 60_000 },
  );
  // After the commit: subscribers hear of each new finding (decision 025).
  await emitFindingsOpened(openedIds);
  return result;
}

/**
 * Recomputes findings: the named repository's (every repository's when none is named, none
 * with workspaceOnly) and the workspace-wide ones (duplicates, deployed stale).
 */
export async function recomputeFindings(
  opts: { repositoryId?: string | null; workspaceOnly?: boolean; onStep?: (step: string, ms: number) => void } = {},
): Promise<RecomputeResult> {
  const config = await getFindingsConfig();
  const checked = enabledTypes(config);
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
  let namedFailed: string | null = null;
  for (const repositoryId of repositories) {
    let drafts: FindingDraft[];
    try {
      drafts = await checkRepository(repositoryId, config, opts.onStep);
    } catch (error) {
      // One unreadable repository (its git data gone) must not stop the others; its findings stay as they were.
      // Logged in one line: git's stderr can run to pages of repeated messages (issue 17 §1).
      const cause = oneLineCause(error instanceof Error ? error.message : String(error));
      // A caller that named the repository gets the cause (below) and tells it; the sweep logs it.
      if (opts.repositoryId) namedFailed = cause;
      else console.error(`[findings] could not check repository ${repositoryId}: ${cause}`);
      continue;
    }
    const started = performance.now();
    add(await reconcileFindings({ scope: { repositoryId }, drafts, checked }));
    opts.onStep?.("store repository findings", performance.now() - started);
  }
  let started = performance.now();
  const workspaceDrafts = await checkWorkspace(SYSTEM_VIEWER, config);
  opts.onStep?.("workspace checks", performance.now() - started);
  started = performance.now();
  add(await reconcileFindings({ scope: "workspace", drafts: workspaceDrafts, checked }));
  opts.onStep?.("store workspace findings", performance.now() - started);
  // The caller asked about this one repository: its failure is the answer, not a success.
  if (namedFailed !== null) throw new Error(namedFailed);
  return total;
}

/** The types the settings switch on. */
export function enabledTypes(config: FindingsConfig): FindingType[] {
  return (Object.keys(config.types) as FindingType[]).filter((t) => config.types[t]);
}

export const FINDING_STATUSES = ["open", "acknowledged", "resolved", "dismissed"] as const;
export const FINDING_SEVERITIES = ["error", "warning", "info"] as const;
// Budget findings are raised as runs are reported (lib/runs/budgets.ts), not by a recomputation.
export const FINDING_TYPES = [...REPOSITORY_TYPES, ...WORKSPACE_TYPES, "budget"] as FindingType[];

const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z.preprocess((v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v), z.array(z.enum(values)).optional());

export const findingsQuerySchema = z.object({
  status: list(FINDING_STATUSES),
  severity: list(FINDING_SEVERITIES),
  type: list(FINDING_TYPES as [FindingType, ...FindingType[]]),
  repository: text().max(200).optional(),
  owner: text().max(200).optional(),
  rule: text().max(100).optional(),
  spec: text().max(100).optional(),
  sort: z.enum(["severity", "age", "type", "repository"]).default("severity"),
  page: positiveIntString(10_000).default(1),
});
export type FindingsQuery = z.infer<typeof findingsQuerySchema>;

export const PAGE_SIZE = 50;

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
    evidence: f.typed?.evidence ?? null,
    /** "older" when the stored evidence predates its type's current shape; it is refreshed when its check runs. */
    evidenceFormat: f.typed ? ("current" as const) : ("older" as const),
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

type FindingRow = Prisma.FindingGetPayload<{ select: typeof findingSelect }>;

/** A finding as read: its evidence parsed into its type's shape, or null when stored in an older one. */
export type FindingView = Omit<FindingRow, "evidence"> & { typed: TypedEvidence | null };

function viewOf({ evidence, ...row }: FindingRow): FindingView {
  return { ...row, typed: readEvidence({ type: row.type, evidence }) };
}

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
  return { findings: findings.map(viewOf), total };
}

/** How many open or acknowledged findings a spec has (its page links to them). */
export async function countOpenFindings(viewer: Actor, specId: string): Promise<number> {
  assertCan(viewer, "specs:read");
  return db.finding.count({ where: { specId, status: { in: ["open", "acknowledged"] } } });
}

export async function getFindingOrThrow(viewer: Actor, id: string): Promise<FindingView> {
  assertCan(viewer, "specs:read");
  // An id the database could not even compare (NUL, lone surrogates) names no finding.
  if (!idString().safeParse(id).success) throw new AppError("not_found", "Finding not found");
  const finding = await db.finding.findUnique({ where: { id }, select: findingSelect });
  if (!finding) throw new AppError("not_found", "Finding not found");
  return viewOf(finding);
}
