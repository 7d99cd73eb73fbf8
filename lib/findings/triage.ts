// People's decisions on findings: acknowledge, dismiss or reopen them, and accept a stale
// spec's drift. Domain functions run by the operations in lib/operations/findings.ts, inside
// their transaction; the audit events they return are appended there.
import { z } from "zod";
import type { AuditEntry, RunResult } from "@/lib/audit";
import { allows, type Viewer } from "@/lib/auth/permissions";
import type { FindingStatus, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { idString, text } from "@/lib/schema";
import { recordClusterDecision, sqlOfPrisma } from "./duplicates";

export const FINDING_ACTIONS = ["acknowledge", "dismiss", "reopen"] as const;
export type FindingAction = (typeof FINDING_ACTIONS)[number];

/** POST /api/v1/findings/status body. */
export const findingStatusInput = z
  .object({
    ids: z.array(idString()).min(1).max(500, "At most 500 findings at a time.").describe("The findings to change."),
    action: z.enum(FINDING_ACTIONS),
    note: text().max(1000).optional().describe("Why, for the audit log."),
  })
  .strict();

export const findingStatusResult = z.object({
  changed: z.number().int().min(0).describe("How many findings changed; the others were not in a state the action applies to."),
});

const TRANSITIONS: Record<FindingAction, { to: FindingStatus; from: FindingStatus[] }> = {
  acknowledge: { to: "acknowledged", from: ["open"] },
  dismiss: { to: "dismissed", from: ["open", "acknowledged"] },
  reopen: { to: "open", from: ["acknowledged", "dismissed"] },
};

/** A duplicate finding's fingerprint is `duplicate:<cluster key>` (lib/findings/checks/duplicates.ts). */
const DUPLICATE_PREFIX = "duplicate:";

/**
 * Acknowledges, dismisses or reopens findings (several at once), audited per finding.
 * Findings not in a state the action applies to are left alone and not counted. A duplicate
 * finding is its cluster: dismissing or reopening one decides the cluster, which needs the
 * duplicates permission; acknowledging one does not.
 */
export async function setFindingStatus(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  input: z.output<typeof findingStatusInput>,
): Promise<RunResult<{ changed: number }>> {
  const ids = [...new Set(input.ids)];
  const { to, from } = TRANSITIONS[input.action];
  const findings = await tx.finding.findMany({
    where: { id: { in: ids }, status: { in: from } },
    select: { id: true, fingerprint: true, status: true, type: true },
    orderBy: { id: "asc" },
  });
  if (findings.length === 0) return { result: { changed: 0 } };
  const clusters = input.action === "acknowledge" ? [] : findings.filter((f) => f.type === "duplicate" && f.fingerprint.startsWith(DUPLICATE_PREFIX));
  if (clusters.length > 0 && !allows(viewer, "duplicates:decide")) {
    // Refused as a whole, before anything is written: a bulk action either applies or not.
    throw new AppError(
      "forbidden",
      `Dismissing or reopening a duplicate finding decides its whole cluster, which your role (${viewer.role}) may not do; acknowledge it instead.`,
    );
  }
  await tx.finding.updateMany({
    where: { id: { in: findings.map((f) => f.id) } },
    data: { status: to, statusChangedAt: new Date(), statusChangedById: viewer.id },
  });
  const audit: AuditEntry[] = [];
  for (const finding of clusters) {
    const decided = await recordClusterDecision(sqlOfPrisma(tx), viewer, {
      key: finding.fingerprint.slice(DUPLICATE_PREFIX.length),
      dismissed: input.action === "dismiss",
    });
    audit.push(decided.audit);
  }
  for (const finding of findings) {
    audit.push({
      action: `finding.${to}`,
      subject: `finding:${finding.id}`,
      payload: { fingerprint: finding.fingerprint, from: finding.status, note: input.note ?? null },
    });
  }
  return { result: { changed: findings.length }, audit };
}

export const acceptDriftInput = z.object({ findingId: idString() }).strict();
export const acceptDriftResult = z.object({ baseline: z.string().describe("The head commit the spec's stale check now starts from.") });

/**
 * "Accept drift": the spec still holds for its code as it is now, so its stale check starts
 * from the repository's head commit. Audited; the stale finding resolves at once.
 */
export async function acceptDrift(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  input: z.output<typeof acceptDriftInput>,
): Promise<RunResult<{ baseline: string }>> {
  const finding = await tx.finding.findUnique({
    where: { id: input.findingId },
    select: { id: true, type: true, specId: true, spec: { select: { path: true, repository: { select: { headCommit: true } } } } },
  });
  if (!finding) throw new AppError("not_found", "Finding not found");
  if (finding.type !== "stale" || !finding.specId || !finding.spec) throw new AppError("unprocessable", "Only a stale spec's drift can be accepted.");
  const head = finding.spec.repository.headCommit;
  if (!head) throw new AppError("conflict", "The repository has not been imported yet.");
  await tx.driftBaseline.upsert({
    where: { specId: finding.specId },
    create: { specId: finding.specId, commitSha: head, acceptedById: viewer.id },
    update: { commitSha: head, acceptedById: viewer.id, acceptedAt: new Date() },
  });
  const now = new Date();
  await tx.finding.update({ where: { id: finding.id }, data: { status: "resolved", resolvedAt: now, statusChangedAt: now, statusChangedById: viewer.id } });
  return {
    result: { baseline: head },
    audit: { action: "finding.drift_accepted", subject: `spec:${finding.specId}`, payload: { findingId: finding.id, path: finding.spec.path, baseline: head } },
  };
}
