import { SYNC_QUEUE, getQueue } from "@/lib/jobs/queue";
import { SYSTEM_VIEWER, queueRequestedResyncs } from "@/lib/repositories";
import { findRepositoriesDueForSync } from "@/lib/repositories/sync";
import { requestImport } from "./repositories";

// The scheduled sync lives beside the operations because it calls one (requestImport) as the
// system: each request is its own transaction with its own audit event, exactly as a re-scan
// pressed by hand (docs/decisions/003-job-queue.md).

export interface SyncSweep {
  requested: string[];
  failed: { repositoryId: string; error: string }[];
}

/**
 * Requests an import of every repository whose scheduled sync is due. A repository whose
 * import is already waiting or running gets that one back (the partial unique index on
 * pending imports), so two syncs of one repository never run at once; one that cannot be
 * requested is logged and skipped, never stopping the others.
 */
export async function syncDueRepositories(
  options: {
    now?: Date;
    /** Only these repositories (tests sharing a database keep to their own rows). */
    repositoryIds?: string[];
    /** The request per repository; the requestImport operation unless a test refuses one on purpose. */
    request?: (repositoryId: string) => Promise<unknown>;
  } = {},
): Promise<SyncSweep> {
  const request = options.request ?? ((repositoryId: string) => requestImport(SYSTEM_VIEWER, { repositoryId }));
  const due = await findRepositoriesDueForSync(options.now ?? new Date(), options.repositoryIds);
  const sweep: SyncSweep = { requested: [], failed: [] };
  for (const { id } of due) {
    try {
      await request(id);
      sweep.requested.push(id);
    } catch (error) {
      console.error(`[sync] could not request an import of repository ${id}`, error);
      sweep.failed.push({ repositoryId: id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return sweep;
}

/**
 * Registers the every-minute sweep (pg-boss runs one per minute across all processes) and works
 * it here, unless SPECLEDGER_SYNC=0 (this process leaves the schedule to the others).
 */
export async function startSyncWorker() {
  if (process.env.SPECLEDGER_SYNC === "0") return;
  const queue = await scheduleSync();
  await queue.work(SYNC_QUEUE, { pollingIntervalSeconds: 5, batchSize: 1 }, async () => {
    await syncDueRepositories();
    // Imports requested during an import whose queueing failed after it finished (lib/repositories finishImport).
    await queueRequestedResyncs();
  });
}

/** Registers the every-minute sweep; registering it again (another process) changes nothing. */
export async function scheduleSync() {
  const queue = await getQueue();
  await queue.schedule(SYNC_QUEUE, "* * * * *", {}, { singletonKey: "sweep" });
  return queue;
}
