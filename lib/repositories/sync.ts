import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { errorForRole } from "@/lib/git/error-text";
import { classifySource } from "@/lib/git/source";
import { idString } from "@/lib/schema";

/** The longest a failing repository waits between attempts, whatever its failure count. */
export const MAX_BACKOFF_MINUTES = 6 * 60;
export const MIN_SYNC_INTERVAL_MINUTES = 5;
export const MAX_SYNC_INTERVAL_MINUTES = 1440;

export interface SyncState {
  source: string;
  syncIntervalMinutes: number | null;
  lastSyncAt: Date | null;
  syncFailures: number;
}

/** Whether the scheduler fetches this source: git URLs only (a local path is re-scanned by hand or by its own hook). */
export function isSyncableSource(source: string): boolean {
  try {
    return classifySource(source) === "url";
  } catch {
    return false;
  }
}

/**
 * Minutes to wait after the last attempt: the interval, doubled per consecutive failure,
 * capped at 6 hours (or at the interval itself when that is longer).
 */
export function syncDelayMinutes(intervalMinutes: number, failures: number): number {
  const cap = Math.max(intervalMinutes, MAX_BACKOFF_MINUTES);
  // 2^20 minutes is far past any cap; bounding the exponent keeps the figure finite.
  return Math.min(intervalMinutes * 2 ** Math.min(Math.max(failures, 0), 20), cap);
}

/** When the next scheduled sync is due, or null when the repository is never synced on a schedule. */
export function nextSyncAt(state: SyncState): Date | null {
  if (state.syncIntervalMinutes === null || !isSyncableSource(state.source)) return null;
  if (!state.lastSyncAt) return new Date(0);
  return new Date(state.lastSyncAt.getTime() + syncDelayMinutes(state.syncIntervalMinutes, state.syncFailures) * 60_000);
}

/** The repositories whose scheduled sync is due at `now`, oldest due first. */
export function dueForSync<T extends SyncState>(repositories: T[], now: Date): T[] {
  return repositories
    .map((repository) => ({ repository, due: nextSyncAt(repository) }))
    .filter((r): r is { repository: T; due: Date } => r.due !== null && r.due.getTime() <= now.getTime())
    .sort((a, b) => a.due.getTime() - b.due.getTime())
    .map((r) => r.repository);
}

/** The candidates for a scheduled sync: every repository with an interval (the URL test and the clock are dueForSync's). */
export async function findRepositoriesDueForSync(now: Date, repositoryIds?: string[]): Promise<{ id: string }[]> {
  const candidates = await db.repository.findMany({
    where: { syncIntervalMinutes: { not: null }, ...(repositoryIds ? { id: { in: repositoryIds } } : {}) },
    select: { id: true, source: true, syncIntervalMinutes: true, lastSyncAt: true, syncFailures: true },
  });
  return dueForSync(candidates, now).map(({ id }) => ({ id }));
}

export const syncPolicyInput = z
  .object({
    repositoryId: idString(),
    syncIntervalMinutes: z
      .number()
      .int()
      .min(MIN_SYNC_INTERVAL_MINUTES)
      .max(MAX_SYNC_INTERVAL_MINUTES)
      .nullable()
      .describe(`Minutes between scheduled fetches (${MIN_SYNC_INTERVAL_MINUTES}..${MAX_SYNC_INTERVAL_MINUTES}), or null to never sync on a schedule.`),
  })
  .strict();

export const syncPolicyView = z.object({
  repositoryId: z.string(),
  syncIntervalMinutes: z.number().nullable(),
  lastSyncAt: z.string().nullable(),
  syncFailingSince: z.string().nullable(),
  syncFailures: z.number(),
});

/** Sets how often a repository is fetched on the schedule (null: never), audited with the old and new interval. */
export async function setSyncPolicy(tx: Prisma.TransactionClient, input: z.output<typeof syncPolicyInput>): Promise<RunResult<z.infer<typeof syncPolicyView>>> {
  const before = await tx.repository.findUnique({ where: { id: input.repositoryId }, select: { id: true, syncIntervalMinutes: true } });
  if (!before) throw new AppError("not_found", "Repository not found.");
  const after = await tx.repository.update({
    where: { id: before.id },
    data: { syncIntervalMinutes: input.syncIntervalMinutes },
    select: { id: true, syncIntervalMinutes: true, lastSyncAt: true, syncFailingSince: true, syncFailures: true },
  });
  return {
    result: {
      repositoryId: after.id,
      syncIntervalMinutes: after.syncIntervalMinutes,
      lastSyncAt: after.lastSyncAt?.toISOString() ?? null,
      syncFailingSince: after.syncFailingSince?.toISOString() ?? null,
      syncFailures: after.syncFailures,
    },
    audit: {
      action: "repository.sync_policy_set",
      subject: `repository:${after.id}`,
      payload: { from: before.syncIntervalMinutes, to: input.syncIntervalMinutes },
    },
  };
}

/** What the repository page shows of the schedule: the interval, the last success, the failure run and the next attempt. */
export async function getRepositorySync(viewer: Viewer, repositoryId: string) {
  assertCan(viewer, "repositories:read");
  const repository = await db.repository.findUnique({
    where: { id: repositoryId },
    select: { source: true, syncIntervalMinutes: true, lastSyncAt: true, syncFailingSince: true, syncFailures: true, lastImportAt: true, lastError: true },
  });
  if (!repository) throw new AppError("not_found", "Repository not found");
  return {
    scheduled: isSyncableSource(repository.source),
    intervalMinutes: repository.syncIntervalMinutes,
    lastSyncedAt: repository.lastImportAt,
    failingSince: repository.syncFailingSince,
    failures: repository.syncFailures,
    cause: repository.syncFailingSince ? errorForRole(repository.lastError, viewer.role) : null,
    nextAt: nextSyncAt(repository),
  };
}
