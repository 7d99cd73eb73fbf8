import { db } from "@/lib/db";
import { FINDINGS_QUEUE, getQueue } from "@/lib/jobs/queue";
import { migrateStoredEvidence } from "./evidence-migration";
import { recomputeFindings } from "./store";

export interface RecomputeJob {
  /** One repository's findings and the workspace-wide ones; every repository's when absent. */
  repositoryId?: string;
  /** Only the workspace-wide findings (a deployment changes nothing inside a repository). */
  workspaceOnly?: boolean;
}

/**
 * Queues a recomputation. The queue is "stately" keyed by scope: while one runs, at most one
 * more waits, so a burst of imports or decisions costs two runs, not one per event.
 * Never throws: the caller's work already landed, and the hourly sweep catches up.
 */
export async function queueFindingsRecompute(job: RecomputeJob): Promise<void> {
  try {
    const queue = await getQueue();
    await queue.send(FINDINGS_QUEUE, job, { singletonKey: job.repositoryId ?? (job.workspaceOnly ? "workspace" : "all") });
  } catch (error) {
    console.error("[findings] could not queue a recomputation", error);
  }
}

/** After a review decision: the spec's repository (unreviewed) and the workspace (deployed stale). */
export async function queueFindingsForChange(number: number): Promise<void> {
  const change = await db.change.findUnique({ where: { number }, select: { spec: { select: { repositoryId: true } } } });
  if (change) await queueFindingsRecompute({ repositoryId: change.spec.repositoryId });
}

/** Starts draining the findings queue in this process, with an hourly sweep of everything. */
export async function startFindingsWorker() {
  const queue = await getQueue();
  await queue.schedule(FINDINGS_QUEUE, "17 * * * *", {} satisfies RecomputeJob, { singletonKey: "all" });
  await queue.work<RecomputeJob>(FINDINGS_QUEUE, { pollingIntervalSeconds: 2, batchSize: 1 }, async (jobs) => {
    for (const job of jobs) await runRecomputeJob(job.data);
  });
  // After the migrations: live findings whose stored evidence is in an older shape are recomputed (decision 011).
  try {
    const migrated = await migrateStoredEvidence({ queue: queueFindingsRecompute });
    if (migrated.older > 0)
      console.warn(
        `[findings] ${migrated.older} stored evidence in an older shape: ${migrated.queued.length} recomputations queued, ${migrated.kept} kept as stored`,
      );
  } catch (error) {
    console.error("[findings] could not check stored evidence", error);
  }
}

/**
 * Runs one queued recomputation. When one repository's findings fail, the failure is written
 * on its latest succeeded import (the repository page shows it) instead of living only in a
 * log; the job itself ends, since the hourly sweep retries.
 */
export async function runRecomputeJob(job: RecomputeJob): Promise<void> {
  try {
    await recomputeFindings({ repositoryId: job.repositoryId, workspaceOnly: job.workspaceOnly });
  } catch (error) {
    if (!job.repositoryId) throw error;
    const cause = error instanceof Error ? error.message : String(error);
    const latest = await db.import.findFirst({
      where: { repositoryId: job.repositoryId, status: "succeeded" },
      orderBy: { createdAt: "desc" },
      select: { id: true, followUpError: true },
    });
    // An earlier follow-up failure already recorded there is kept: it was first.
    if (latest && !latest.followUpError) {
      await db.import.update({ where: { id: latest.id }, data: { followUpError: `Computing findings failed (the hourly sweep retries): ${cause}` } });
    }
  }
}
