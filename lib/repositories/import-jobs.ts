// Imports as jobs: requested (once per repository at a time), queued in the caller's transaction,
// run by the worker with their follow-up steps, and re-synced when asked for during a run.
import { emitImportFailed } from "@/lib/notifications/events";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { SYSTEM_ACTOR, appendAuditEvent, type AuditEntry, type RunResult } from "@/lib/audit";
import type { Viewer } from "@/lib/auth/permissions";
import { db, type Import, type Prisma } from "@/lib/db";
import { outsideTransaction } from "@/lib/db/context";
import { serializable } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { oneLineCause } from "@/lib/git/error-text";
import { GitError } from "@/lib/git/git";
import { redactText } from "@/lib/git/source";
import { SourceError } from "@/lib/git/source-error";
import { IMPORT_QUEUE, getQueue } from "@/lib/jobs/queue";
import { queueFindingsRecompute } from "@/lib/findings/jobs";
import { recomputeFindings } from "@/lib/findings/store";
import { importRepository, type ImportProgress } from "@/lib/repositories/import";
import { requesterOf, SYSTEM_VIEWER, type RepositoryPolicy } from "./policy";
import { requestImportInput } from "./views";

/** A running import that has not reported progress for this long was interrupted. */
export const STALE_IMPORT_MS = 10 * 60_000;

/**
 * Requests an import (a re-scan), unless one is already waiting or running for the
 * repository, in which case that one is returned: re-scanning twice is one re-scan.
 */
export async function requestImport(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  input: z.output<typeof requestImportInput>,
  policy: RepositoryPolicy,
): Promise<RunResult<Import>> {
  const repository = await tx.repository.findUnique({ where: { id: input.repositoryId }, select: { id: true } });
  if (!repository) throw new AppError("not_found", "Repository not found");
  const requested = await createImport(tx, viewer, repository.id, policy);
  return { result: requested.record, audit: requested.audit };
}

/** Queues an import's job in the caller's transaction; a parameter so a test can make the queue fail. */
export type EnqueueImport = (tx: Prisma.TransactionClient, importId: string) => Promise<void>;

export async function createImport(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  repositoryId: string,
  policy: RepositoryPolicy,
  enqueue: EnqueueImport = enqueueImport,
) {
  // An import whose worker died (no progress for STALE_IMPORT_MS) is retired first.
  await tx.import.updateMany({
    where: { repositoryId, status: "running", updatedAt: { lt: new Date(Date.now() - STALE_IMPORT_MS) } },
    data: { status: "failed", phase: "failed", finishedAt: new Date(), error: "Interrupted: the worker stopped during the import. Nothing was written." },
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    // The partial unique index allows one waiting or running import per repository; a
    // concurrent request finds the other's row instead of adding a second.
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Import" (id, "repositoryId", "requestedById", "updatedAt")
      VALUES (${randomUUID()}, ${repositoryId}, ${requesterOf(viewer)}, now())
      ON CONFLICT ("repositoryId") WHERE status IN ('queued', 'running') DO NOTHING
      RETURNING id`;
    if (inserted.length === 0) {
      const pending = await tx.import.findFirst({ where: { repositoryId, status: { in: ["queued", "running"] } }, orderBy: { createdAt: "desc" } });
      // A waiting import has not fetched yet, so it will see whatever prompted this request.
      if (pending?.status === "queued") return { record: pending, audit: [] as AuditEntry[] };
      if (pending) {
        // A running one may have fetched before the push that prompted this request: it is asked
        // for one more pass, which finishImport queues. The row lock orders this against finishing
        // it; if it finished first, no row matches and a new import is requested below.
        const flagged = await tx.$queryRaw<{ id: string }[]>`
          UPDATE "Import" SET "resyncRequestedAt" = COALESCE("resyncRequestedAt", now())
          WHERE id = ${pending.id} AND status = 'running' RETURNING id`;
        if (flagged.length === 1) return { record: pending, audit: [] as AuditEntry[] };
      }
      continue; // it finished in between: request a new one
    }
    const record = await tx.import.findUniqueOrThrow({ where: { id: inserted[0].id } });
    await tx.repository.update({ where: { id: repositoryId }, data: { status: "queued" } });
    if (policy.enqueue) await enqueue(tx, record.id);
    return { record, audit: [{ action: "import.requested", subject: `repository:${repositoryId}`, payload: { importId: record.id } }] as AuditEntry[] };
  }
  throw new AppError("conflict", "The repository's imports changed while this request ran; try again.");
}

/**
 * Queues the import's job through the transaction's own connection (pg-boss accepts an
 * executor as `db`), so the Import row exists if and only if its job does.
 */
export async function enqueueImport(tx: Prisma.TransactionClient, importId: string) {
  const queue = await getQueue();
  const executor = {
    executeSql: async (sql: string, values: unknown[] = []) => ({
      rows: await tx.$queryRawUnsafe<unknown[]>(
        sql,
        ...values.map((v) => (v !== null && typeof v === "object" && !(v instanceof Date) ? JSON.stringify(v) : v)),
      ),
    }),
  };
  const jobId = await queue.send(IMPORT_QUEUE, { importId }, { db: executor });
  if (!jobId) throw new Error("pg-boss refused the import job");
}

/**
 * Ends a running import (succeeded or failed), then queues what it owes. The finish commits on
 * its own: the import's data is already committed, so a queue that fails must not leave it
 * "running" (to be retired later as "Nothing was written"). When an import was requested while
 * it ran (createImport set resyncRequestedAt), the next import is queued in a second
 * transaction that clears the flag; if that fails, the flag stays and the minute's sweep
 * (queueRequestedResyncs) queues it, so a push that arrived mid-import is never lost.
 */
async function finishImport(
  importId: string,
  data: Prisma.ImportUpdateInput,
  enqueue: EnqueueImport = enqueueImport,
): Promise<{ finished: Import; next: Import | null; queueError: string | null }> {
  const finished = await serializable(
    async (tx) => {
      // The row lock waits for a request that is flagging this import right now, so its flag is
      // in the row this returns; once finished, no request flags it any more (it is not running).
      await tx.$queryRaw`SELECT id FROM "Import" WHERE id = ${importId} FOR UPDATE`;
      return tx.import.update({ where: { id: importId }, data });
    },
    { name: "imports.finish", isolation: "read-committed" },
  );
  if (!finished.resyncRequestedAt) return { finished, next: null, queueError: null };
  try {
    const next = await queueResync(importId, enqueue);
    return { finished: { ...finished, resyncRequestedAt: null }, next, queueError: null };
  } catch (error) {
    console.error(`[import] could not queue the import requested during ${importId} (the minute's sweep retries): ${causeOf(error)}`);
    return { finished, next: null, queueError: causeOf(error) };
  }
}

/**
 * Queues the import a finished import owes (its resyncRequestedAt is set) and clears the flag, in
 * one transaction: the flag goes if and only if the next import and its job exist. Null when
 * there was nothing to queue (another finisher or sweep got there first).
 */
async function queueResync(importId: string, enqueue: EnqueueImport): Promise<Import | null> {
  const next = await serializable(
    async (tx) => {
      const [owed] = await tx.$queryRaw<{ repositoryId: string }[]>`
        SELECT "repositoryId" FROM "Import"
        WHERE id = ${importId} AND "resyncRequestedAt" IS NOT NULL AND status IN ('succeeded', 'failed') FOR UPDATE`;
      if (!owed) return null;
      const requested = await createImport(tx, SYSTEM_VIEWER, owed.repositoryId, { localRoots: "env", enqueue: true }, enqueue);
      for (const entry of requested.audit) await appendAuditEvent({ actor: SYSTEM_ACTOR, ...entry, tx });
      await tx.import.update({ where: { id: importId }, data: { resyncRequestedAt: null } });
      return requested.record;
    },
    { name: "imports.queue-resync", isolation: "read-committed" },
  );
  if (next) wakeImportWorker();
  return next;
}

/**
 * The sweep behind finishImport: queues the next import for every finished import whose
 * requested resync was not queued (the queue failed after the finish committed). One that
 * fails again is logged and left flagged for the next sweep, never stopping the others.
 */
export async function queueRequestedResyncs(options: { repositoryIds?: string[]; enqueue?: EnqueueImport } = {}) {
  const owed = await db.import.findMany({
    where: {
      resyncRequestedAt: { not: null },
      status: { in: ["succeeded", "failed"] },
      ...(options.repositoryIds ? { repositoryId: { in: options.repositoryIds } } : {}),
    },
    select: { id: true },
    orderBy: { resyncRequestedAt: "asc" },
    take: 100,
  });
  const sweep = { queued: [] as string[], failed: [] as { importId: string; error: string }[] };
  for (const { id } of owed) {
    try {
      const next = await queueResync(id, options.enqueue ?? enqueueImport);
      if (next) sweep.queued.push(next.id);
    } catch (error) {
      console.error(`[import] could not queue the import requested during ${id}: ${causeOf(error)}`);
      sweep.failed.push({ importId: id, error: causeOf(error) });
    }
  }
  return sweep;
}

/** Messages we store as they are (credentials redacted); anything else is logged and summarised. */
function describeFailure(error: unknown): string {
  if (error instanceof AppError || error instanceof SourceError || error instanceof GitError) return redactText(error.message);
  console.error("[import]", error);
  return "The import failed unexpectedly; the server log has the details. Nothing was written.";
}

const messageOf = (error: unknown) => redactText(error instanceof Error ? error.message : String(error));
/** A follow-up step's failure in one line: git's stderr can run to pages of repeated messages (issue 17 §1). */
const causeOf = (error: unknown) => oneLineCause(messageOf(error));

/**
 * Runs one queued import, keeping its record's phase and progress current for the UI. An
 * import someone else already claimed (the CLI, another worker) is left alone. Once the
 * import's transaction has committed it is succeeded, whatever happens after: a follow-up
 * step that fails (the audit event, findings) is recorded in `followUpError` (issue 12 §9).
 */
export async function runImport(opts: {
  importId: string;
  onProgress?: (p: ImportProgress) => void;
  /** After success: queue the findings recomputation (default), run it here, leave it, or run this step instead. */
  findings?: "queue" | "inline" | "skip" | ((repositoryId: string) => Promise<unknown>);
  /** The caller reports follow-up failures itself (the CLI prints one line): they are recorded, not logged. */
  quiet?: boolean;
  /** Told how long each step took, in milliseconds, including the ones after the commit (the workflow bench prints them). */
  onStep?: (step: string, ms: number) => void;
  /** How the import requested during this one is queued (a test makes it fail); pg-boss in this transaction by default. */
  enqueue?: EnqueueImport;
}) {
  const logProblem = (what: string, cause: string) => {
    if (!opts.quiet) console.error(`[import] ${what}: ${cause}`);
  };
  const claimed = await db.import.updateMany({
    where: { id: opts.importId, status: "queued" },
    data: { status: "running", startedAt: new Date(), phase: "resolving" },
  });
  const record = await db.import.findUniqueOrThrow({ where: { id: opts.importId } });
  if (claimed.count === 0) return record;
  await db.repository.update({ where: { id: record.repositoryId }, data: { status: "importing" } });
  let lastWrite = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const onProgress = (p: ImportProgress) => {
    opts.onProgress?.(p);
    const now = Date.now();
    if (now - lastWrite < 250) return;
    lastWrite = now;
    // Progress is called from inside the import's transaction; it is written on its own
    // connection, not awaited by the transaction, so everyone else sees it as it happens.
    writing = writing.then(() =>
      outsideTransaction(() => db.import.update({ where: { id: record.id }, data: { phase: p.phase, progressDone: p.done, progressTotal: p.total } })).catch(
        () => {},
      ),
    );
  };
  // A heartbeat apart from progress: a long silent phase must not look like a dead worker.
  const heartbeat = setInterval(() => {
    writing = writing.then(() => outsideTransaction(() => db.import.update({ where: { id: record.id }, data: { updatedAt: new Date() } })).catch(() => {}));
  }, 60_000);
  let result;
  try {
    result = await importRepository({ repositoryId: record.repositoryId, onProgress, onStep: opts.onStep });
  } catch (error) {
    const message = describeFailure(error);
    // One more failure in a row: the schedule backs off from now (lib/repositories/sync.ts); the run's start is kept.
    await db.$executeRaw`
      UPDATE "Repository"
      SET status = 'failed', "lastError" = ${message}, "lastSyncAt" = now(), "syncFailures" = "syncFailures" + 1,
          "syncFailingSince" = COALESCE("syncFailingSince", now())
      WHERE id = ${record.repositoryId}`;
    await appendAuditEvent({
      actor: SYSTEM_ACTOR,
      action: "import.failed",
      subject: `repository:${record.repositoryId}`,
      payload: { importId: record.id, error: message },
    });
    const { finished: failed } = await finishImport(record.id, { status: "failed", phase: "failed", finishedAt: new Date(), error: message }, opts.enqueue);
    await emitImportFailed(record.repositoryId, record.id, message);
    return failed;
  } finally {
    clearInterval(heartbeat);
    await writing;
  }
  // Committed: from here on the import is succeeded, and stays so.
  let stepStarted = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    opts.onStep?.(name, now - stepStarted);
    stepStarted = now;
  };
  const { finished: succeeded, queueError } = await finishImport(
    record.id,
    {
      status: "succeeded",
      phase: "done",
      finishedAt: new Date(),
      fromCommit: result.fromCommit,
      toCommit: result.toCommit,
      commitsScanned: result.commitsScanned,
      commitsWithSpecChanges: result.commitsWithSpecChanges,
      // Deprecated (README): the old name of commitsWithSpecChanges, kept for one release.
      commitsRead: result.commitsWithSpecChanges,
      versionsAdded: result.versionsAdded,
      specsAdded: result.specsAdded,
      filesSkipped: result.filesSkipped,
      warning: result.warning,
      progressDone: 1,
      progressTotal: 1,
    },
    opts.enqueue,
  );
  step("finish");
  const problems: string[] = [];
  if (queueError) problems.push(`Queuing the import requested while this one ran failed (the minute's sweep retries): ${queueError}`);
  try {
    await db.repository.update({ where: { id: record.repositoryId }, data: { lastSyncAt: new Date(), syncFailures: 0, syncFailingSince: null } });
  } catch (error) {
    logProblem("could not record the sync", causeOf(error));
    problems.push(`Recording the sync time failed (the schedule may fetch again early): ${causeOf(error)}`);
  }
  try {
    await appendAuditEvent({
      actor: SYSTEM_ACTOR,
      action: "import.succeeded",
      subject: `repository:${record.repositoryId}`,
      payload: { importId: record.id, fromCommit: result.fromCommit, toCommit: result.toCommit, versionsAdded: result.versionsAdded },
    });
  } catch (error) {
    logProblem("could not append import.succeeded", causeOf(error));
    problems.push(`Recording the import in the audit log failed: ${causeOf(error)}`);
  }
  const findings = opts.findings ?? "queue";
  try {
    if (findings === "queue") await queueFindingsRecompute({ repositoryId: record.repositoryId });
    else if (findings === "inline") await recomputeFindings({ repositoryId: record.repositoryId });
    else if (typeof findings === "function") await findings(record.repositoryId);
  } catch (error) {
    logProblem(`findings for repository ${record.repositoryId} failed`, causeOf(error));
    problems.push(`Computing findings failed (the hourly sweep retries): ${causeOf(error)}`);
  }
  step("sync time, audit and findings");
  if (problems.length === 0) return succeeded;
  return await db.import.update({ where: { id: record.id }, data: { followUpError: problems.join(" ") } });
}

// The import worker of this process, if it runs one: a request made here wakes it at once.
const globalForWorker = globalThis as unknown as { specledgerImportWorker?: string };

/**
 * Starts draining the import queue in this process. It polls every half second (pg-boss's
 * floor) for jobs queued by other processes; a request made in this process wakes it at once.
 */
export async function startImportWorker(opts: { onStep?: (step: string, ms: number) => void } = {}) {
  const queue = await getQueue();
  globalForWorker.specledgerImportWorker = await queue.work<{ importId: string }>(IMPORT_QUEUE, { pollingIntervalSeconds: 0.5, batchSize: 1 }, async (jobs) => {
    for (const job of jobs) await runImport({ importId: job.data.importId, onStep: opts.onStep });
  });
}

/** Wakes this process's import worker (after a job was queued and committed); nothing when it runs none. */
export function wakeImportWorker() {
  const id = globalForWorker.specledgerImportWorker;
  if (!id) return;
  void getQueue()
    .then((queue) => queue.notifyWorker(id))
    .catch(() => {});
}
