import picomatch from "picomatch";
import type { RunResult } from "@/lib/audit";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { checkedEvidence } from "@/lib/findings/evidence";
import { getFindingsConfig } from "@/lib/findings/settings";
import { emitNotification, specFacts } from "@/lib/notifications/emit";
import {
  budgetLevel,
  budgetTarget,
  describeSpend,
  describeUnpriced,
  periodBounds,
  type BudgetLevel,
  type BudgetPeriod,
  type BudgetUnit,
  type SetBudgetInput,
} from "./budget";
import { resolveSpecRef } from "./green";

export interface BudgetView {
  id: string;
  repositoryId: string;
  specId: string | null;
  glob: string | null;
  period: BudgetPeriod;
  unit: BudgetUnit;
  amount: number;
  createdAt: string;
}

type BudgetRow = {
  id: string;
  repositoryId: string;
  specId: string | null;
  pathGlob: string | null;
  period: BudgetPeriod;
  unit: BudgetUnit;
  amount: Prisma.Decimal;
  createdAt: Date;
};

const view = (b: BudgetRow): BudgetView => ({
  id: b.id,
  repositoryId: b.repositoryId,
  specId: b.specId,
  glob: b.pathGlob,
  period: b.period,
  unit: b.unit,
  amount: b.amount.toNumber(),
  createdAt: b.createdAt.toISOString(),
});

/** Sets (or replaces) the budget for a spec or glob, period and unit in a repository; audited with the old amount. */
export async function setBudget(tx: Prisma.TransactionClient, viewer: Viewer, input: SetBudgetInput): Promise<RunResult<BudgetView>> {
  const repository = await tx.repository.findUnique({ where: { id: input.repositoryId }, select: { id: true } });
  if (!repository) throw new AppError("not_found", "Repository not found.");
  if (input.specId !== undefined) {
    const spec = await tx.spec.findFirst({ where: { id: input.specId, repositoryId: repository.id }, select: { id: true } });
    if (!spec) throw new AppError("not_found", "Spec not found in this repository.");
  }
  const target = budgetTarget(input);
  const key = { repositoryId: repository.id, target, period: input.period, unit: input.unit };
  const before = await tx.specBudget.findUnique({ where: { repositoryId_target_period_unit: key }, select: { amount: true } });
  const amount = new Prisma.Decimal(input.amount);
  const budget = await tx.specBudget.upsert({
    where: { repositoryId_target_period_unit: key },
    create: { ...key, specId: input.specId ?? null, pathGlob: input.glob ?? null, amount, createdById: viewer.id },
    update: { amount },
  });
  return {
    result: view(budget),
    audit: {
      action: "budget.set",
      subject: `repository:${repository.id}`,
      payload: { budgetId: budget.id, target, period: input.period, unit: input.unit, from: before?.amount.toNumber() ?? null, to: input.amount },
    },
  };
}

/** Removes a budget of the repository (not_found when it has no such budget); audited. */
export async function removeBudget(
  tx: Prisma.TransactionClient,
  input: { repositoryId: string; budgetId: string },
): Promise<RunResult<{ id: string; removed: true }>> {
  const budget = await tx.specBudget.findFirst({ where: { id: input.budgetId, repositoryId: input.repositoryId } });
  if (!budget) throw new AppError("not_found", "Budget not found.");
  await tx.specBudget.delete({ where: { id: budget.id } });
  return {
    result: { id: budget.id, removed: true },
    audit: { action: "budget.removed", subject: `repository:${budget.repositoryId}`, payload: { ...view(budget), amount: budget.amount.toNumber() } },
  };
}

/** A repository's budgets (404 for an unknown repository). */
export async function listBudgets(viewer: Viewer, repositoryId: string): Promise<BudgetView[]> {
  assertCan(viewer, "runs:read");
  const repository = await db.repository.findUnique({ where: { id: repositoryId }, select: { id: true } });
  if (!repository) throw new AppError("not_found", "Repository not found.");
  const rows = await db.specBudget.findMany({ where: { repositoryId }, orderBy: [{ target: "asc" }, { period: "asc" }, { unit: "asc" }] });
  return rows.map(view);
}

export interface BudgetStatus {
  budgetId: string;
  target: string;
  period: BudgetPeriod;
  unit: BudgetUnit;
  limit: number;
  spent: number;
  /** Runs in the period that reported no figure in this budget's unit (no cost, or no token count): their spend is unknown. */
  unpriced: number;
  level: BudgetLevel;
  periodStart: string;
  resetsAt: string;
  message: string;
}

/**
 * Where a spec stands against each budget that applies to it (its own, and its repository's
 * globs that match its path), for the UTC periods containing `now`. Spend is the sum over the
 * runs that used any version of the spec, or named its repository and path at a commit not
 * imported, each run once; a run that used three specs counts
 * toward each of them. Runs without a figure in a budget's unit are counted as `unpriced`, not as
 * zero, so can-i-run can refuse on them. One query sums every period.
 */
export async function specBudgetStatus(spec: { id: string; repositoryId: string; path: string }, now = new Date()): Promise<BudgetStatus[]> {
  const rows = await db.specBudget.findMany({
    where: { OR: [{ specId: spec.id }, { repositoryId: spec.repositoryId, pathGlob: { not: null } }] },
    orderBy: { id: "asc" },
  });
  const budgets = rows.filter((b) => b.specId === spec.id || (b.pathGlob !== null && picomatch.isMatch(spec.path, b.pathGlob, { dot: true })));
  if (budgets.length === 0) return [];
  const windows = budgets.map((b) => periodBounds(b.period, now));
  const from = new Date(Math.min(...windows.map((w) => w.start.getTime())));
  const to = new Date(Math.max(...windows.map((w) => w.end.getTime())));
  const sums = await db.$queryRaw<{ i: number; usd: number; tokens: number; no_cost: number; no_tokens: number }[]>`
    WITH runs AS (
      SELECT DISTINCT r.id, r."createdAt", r."costUsd", coalesce(r."inputTokens", 0) + coalesce(r."outputTokens", 0) AS tokens,
        r."inputTokens" IS NULL AND r."outputTokens" IS NULL AS no_tokens
      FROM "SpecVersion" v
      JOIN "RunSpecRef" x ON x."specVersionId" = v.id AND x.kind = 'spec'
      JOIN "AgentRun" r ON r.id = x."runId"
      WHERE v."specId" = ${spec.id} AND r."createdAt" >= ${from.toISOString()}::timestamp AND r."createdAt" < ${to.toISOString()}::timestamp
      UNION
      -- A run that named this spec by repository and path at a commit not imported (yet): its
      -- version is unknown, its spend is not. References are never rewritten, so this stays.
      SELECT r.id, r."createdAt", r."costUsd", coalesce(r."inputTokens", 0) + coalesce(r."outputTokens", 0),
        r."inputTokens" IS NULL AND r."outputTokens" IS NULL
      FROM "Repository" rp
      JOIN "RunSpecRef" x ON x."specVersionId" IS NULL AND x."repositoryName" = rp.name AND x.path = ${spec.path} AND x.kind = 'spec'
      JOIN "AgentRun" r ON r.id = x."runId"
      WHERE rp.id = ${spec.repositoryId} AND r."createdAt" >= ${from.toISOString()}::timestamp AND r."createdAt" < ${to.toISOString()}::timestamp)
    SELECT w.i::int AS i, coalesce(sum(runs."costUsd"), 0)::float8 AS usd, coalesce(sum(runs.tokens), 0)::float8 AS tokens,
      count(runs.id) FILTER (WHERE runs."costUsd" IS NULL)::int AS no_cost, count(runs.id) FILTER (WHERE runs.no_tokens)::int AS no_tokens
    FROM unnest(${windows.map((w) => w.start.toISOString())}::timestamp[], ${windows.map((w) => w.end.toISOString())}::timestamp[]) WITH ORDINALITY AS w(s, e, i)
    LEFT JOIN runs ON runs."createdAt" >= w.s AND runs."createdAt" < w.e
    GROUP BY w.i`;
  const spentAt = new Map(sums.map((s) => [s.i, s]));
  return budgets.map((b, index) => {
    const sum = spentAt.get(index + 1);
    const spent = b.unit === "usd" ? (sum?.usd ?? 0) : (sum?.tokens ?? 0);
    const unpriced = b.unit === "usd" ? (sum?.no_cost ?? 0) : (sum?.no_tokens ?? 0);
    const limit = b.amount.toNumber();
    const { start, end } = windows[index];
    return {
      budgetId: b.id,
      target: b.target,
      period: b.period,
      unit: b.unit,
      limit,
      spent,
      unpriced,
      level: budgetLevel(spent, limit),
      periodStart: start.toISOString(),
      resetsAt: end.toISOString(),
      message: describeSpend({ period: b.period, unit: b.unit, limit, spent, end }),
    };
  });
}

/**
 * The budget.warning finding for one spec and budget. Its evidence is checked against the
 * budget schema before it is stored, as the findings store checks every check's drafts.
 */
export function budgetWarningFinding(spec: { id: string; repositoryId: string }, status: BudgetStatus) {
  const fingerprint = `budget:${status.budgetId}:${spec.id}`;
  const evidence = {
    budgetId: status.budgetId,
    period: status.period,
    unit: status.unit,
    limit: status.limit,
    spent: status.spent,
    periodStart: status.periodStart,
    target: status.target,
  };
  return {
    fingerprint,
    type: "budget",
    rule: "budget.warning",
    severity: "warning" as const,
    repositoryId: spec.repositoryId,
    specId: spec.id,
    message: `Budget at ${Math.floor((status.spent / status.limit) * 100)}%: ${status.message}.`,
    suggestion: "Raise the budget on the repository page, or hold agent runs on this spec until the period resets.",
    evidence: checkedEvidence({ fingerprint, type: "budget", evidence }) as Prisma.InputJsonObject,
  };
}

/**
 * Raises a budget.warning for each budget at 80% or more: once per spec, budget and period (the
 * BudgetWarning key decides under concurrency), as an open finding on the spec and a
 * notification event after the commit.
 */
export async function raiseBudgetWarnings(spec: { id: string; repositoryId: string; path: string }, statuses: BudgetStatus[]): Promise<number> {
  const due = statuses.filter((s) => s.level !== "ok");
  if (due.length === 0) return 0;
  // The findings settings can switch budget findings off; the notification still goes out.
  const findingsOn = (await getFindingsConfig()).types.budget;
  let raised = 0;
  for (const status of due) {
    const first = await db.$transaction(async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO "BudgetWarning" ("budgetId", "specId", "periodStart") VALUES (${status.budgetId}, ${spec.id}, ${status.periodStart}::timestamp)
        ON CONFLICT DO NOTHING`;
      if (inserted === 0) return false;
      if (!findingsOn) return true;
      const finding = budgetWarningFinding(spec, status);
      await tx.finding.upsert({
        where: { fingerprint: finding.fingerprint },
        create: finding,
        update: { status: "open", message: finding.message, evidence: finding.evidence, lastSeenAt: new Date(), resolvedAt: null },
      });
      return true;
    });
    if (!first) continue;
    raised += 1;
    const facts = await specFacts(spec.id);
    await emitNotification({
      type: "budget.warning",
      repositoryId: spec.repositoryId,
      path: spec.path,
      teams: facts?.teams ?? [],
      data: {
        specId: spec.id,
        path: spec.path,
        repository: facts?.repository ?? null,
        budgetId: status.budgetId,
        level: status.level,
        message: status.message,
      },
    });
  }
  return raised;
}

/** Checks the budgets of the specs that just-reported runs used, raising warnings (after a report's commit). */
export async function checkBudgetsForRuns(runIds: string[]): Promise<void> {
  if (runIds.length === 0) return;
  // The specs they used, in one statement (it runs after every run report): by the versions their
  // references resolved to, and by repository and path where a reference named a commit not
  // imported (specBudgetStatus counts those too). Only specs with a budget of their own or a glob
  // in their repository need the spend query.
  const specs = await db.$queryRaw<{ id: string; repositoryId: string; path: string }[]>`
    WITH used AS (
      SELECT v."specId" AS id FROM "RunSpecRef" x JOIN "SpecVersion" v ON v.id = x."specVersionId"
      WHERE x."runId" = ANY(${runIds}::text[]) AND x.kind = 'spec'
      UNION
      SELECT s.id FROM "RunSpecRef" x
      JOIN "Repository" rp ON rp.name = x."repositoryName"
      JOIN "Spec" s ON s."repositoryId" = rp.id AND s.path = x.path AND NOT s.deleted
      WHERE x."runId" = ANY(${runIds}::text[]) AND x.kind = 'spec' AND x."specVersionId" IS NULL)
    SELECT s.id, s."repositoryId", s.path FROM used JOIN "Spec" s ON s.id = used.id
    WHERE EXISTS (SELECT 1 FROM "SpecBudget" b WHERE b."specId" = s.id)
       OR EXISTS (SELECT 1 FROM "SpecBudget" b WHERE b."repositoryId" = s."repositoryId" AND b."pathGlob" IS NOT NULL)`;
  for (const spec of specs) await raiseBudgetWarnings(spec, await specBudgetStatus(spec));
}

/**
 * can-i-run: no when any budget of the spec is spent for this period, or when runs in the period
 * reported no figure in a budget's unit (their spend is unknown: fail closed), with the figures.
 * A GET: it reads only; budget warnings are raised where runs are reported.
 */
export async function canIRun(viewer: Viewer, ref: string) {
  assertCan(viewer, "runs:read");
  const found = await resolveSpecRef(db, ref);
  const spec = { id: found.id, repositoryId: found.repository.id, path: found.path };
  const budgets = await specBudgetStatus(spec);
  const reasons = budgets.flatMap((b) => [
    ...(b.level === "exceeded" ? [{ code: "budget_exceeded", message: b.message, budgetId: b.budgetId }] : []),
    ...(b.unpriced > 0 ? [{ code: "budget_unknown_spend", message: describeUnpriced({ ...b, end: new Date(b.resetsAt) }), budgetId: b.budgetId }] : []),
  ]);
  const over = reasons.filter((r) => r.code === "budget_exceeded");
  const unknown = reasons.filter((r) => r.code === "budget_unknown_spend");
  const where = `${found.repository.name}:${found.path}`;
  const why = [
    ...(over.length ? [`is over budget (${over.map((r) => r.message).join("; ")})`] : []),
    ...(unknown.length ? [`has unknown spend (${unknown.map((r) => r.message).join("; ")})`] : []),
  ];
  return {
    ok: reasons.length === 0,
    spec: { id: found.id, path: found.path, repository: found.repository },
    summary: why.length ? `No: ${where} ${why.join(" and ")}.` : budgets.length ? `Yes: ${where} is within its budgets.` : `Yes: ${where} has no budget.`,
    reasons,
    budgets,
  };
}
