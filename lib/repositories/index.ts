import { z } from "zod";
import { text } from "@/lib/schema";
import path from "node:path";
import { db } from "@/lib/db";
import { outsideTransaction } from "@/lib/db/context";
import { SYSTEM_ACTOR, appendAuditEvent, type AuditActor } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { IMPORT_QUEUE, getQueue } from "@/lib/jobs/queue";
import { SourceError, classifySource, redactUrl, repositoryNameFromSource } from "@/lib/git/source";
import { importRepository, type ImportProgress } from "@/lib/repositories/import";
import { GitError } from "@/lib/git/git";
import { queueFindingsRecompute } from "@/lib/findings/jobs";
import { recomputeFindings } from "@/lib/findings/store";

export interface AddRepositoryOptions {
  source: string;
  name?: string;
  requestedById: string | null;
  /** Queue the first import (the default); the CLI runs it in-process instead. */
  enqueue?: boolean;
  /**
   * Folders local paths (and file:// URLs) must lie under; null allows any. The web app and
   * API pass SPECLEDGER_LOCAL_ROOTS, so users cannot make the server read arbitrary folders.
   */
  localRoots?: string[] | null;
}

/** SPECLEDGER_LOCAL_ROOTS: colon-separated folders under which local repositories may be added. */
export function localRootsFromEnv(env: Record<string, string | undefined> = process.env): string[] | null {
  const roots = (env.SPECLEDGER_LOCAL_ROOTS ?? "").split(":").filter(Boolean).map((r) => path.resolve(r));
  return roots.length > 0 ? roots : null;
}

function assertUnderRoots(source: string, kind: "path" | "url", roots: string[] | null | undefined) {
  if (!roots) return;
  const local = kind === "path" ? source : /^file:\/\//i.test(source) ? decodeURIComponent(new URL(source).pathname) : null;
  if (local === null) return;
  const resolved = path.resolve(local);
  if (!roots.some((root) => resolved === root || resolved.startsWith(root + path.sep))) {
    throw new AppError("unprocessable", `Local repositories must be under ${roots.join(" or ")}.`);
  }
}

/** Registers a repository by local path or git URL and queues its first import. */
export async function addRepository(opts: AddRepositoryOptions) {
  const source = opts.source.trim().replace(/(.)\/+$/, "$1");
  let kind: "path" | "url";
  try {
    kind = classifySource(source);
  } catch (error) {
    throw new AppError("unprocessable", (error as Error).message);
  }
  assertUnderRoots(source, kind, opts.localRoots);
  const existing = await db.repository.findFirst({ where: { source } });
  if (existing) throw new AppError("conflict", `${source} is already imported as ${existing.name}.`, { repositoryId: existing.id });
  const base = (opts.name?.trim() || repositoryNameFromSource(source)).slice(0, 100);
  const taken = new Set(
    (await db.repository.findMany({ where: { name: { startsWith: base } }, select: { name: true } })).map((r) => r.name),
  );
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  const actor = await actorOf(opts.requestedById);
  const repository = await db.$transaction(async (tx) => {
    const created = await tx.repository.create({ data: { name, source, status: "queued" } });
    await appendAuditEvent({
      tx,
      actor,
      action: "repository.added",
      subject: `repository:${created.id}`,
      payload: { name, source: redactUrl(source) },
    });
    return created;
  });
  const job = await requestImport({ repositoryId: repository.id, requestedById: opts.requestedById, enqueue: opts.enqueue });
  return { repository, import: job };
}

async function actorOf(userId: string | null): Promise<AuditActor> {
  if (!userId) return SYSTEM_ACTOR;
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
  return user ? { id: user.id, label: user.email } : SYSTEM_ACTOR;
}

/** A running import that has not reported progress for this long was interrupted. */
export const STALE_IMPORT_MS = 10 * 60_000;

/**
 * Creates an import record and queues it, unless one is already waiting or running for
 * the repository, in which case that one is returned (re-scanning twice is one re-scan).
 * An import whose worker died (no progress for STALE_IMPORT_MS) is marked failed first.
 */
export async function requestImport(opts: { repositoryId: string; requestedById: string | null; enqueue?: boolean }) {
  await db.import.updateMany({
    where: { repositoryId: opts.repositoryId, status: "running", updatedAt: { lt: new Date(Date.now() - STALE_IMPORT_MS) } },
    data: { status: "failed", phase: "failed", finishedAt: new Date(), error: "Interrupted: the worker stopped during the import. Nothing was written." },
  });
  const pending = await db.import.findFirst({
    where: { repositoryId: opts.repositoryId, status: { in: ["queued", "running"] } },
    orderBy: { createdAt: "desc" },
  });
  if (pending) return pending;
  const actor = await actorOf(opts.requestedById);
  const record = await db.$transaction(async (tx) => {
    const repo = await tx.repository.findUnique({ where: { id: opts.repositoryId }, select: { id: true } });
    if (!repo) throw new AppError("not_found", "Repository not found");
    await tx.repository.update({ where: { id: repo.id }, data: { status: "queued" } });
    const created = await tx.import.create({ data: { repositoryId: repo.id, requestedById: opts.requestedById } });
    await appendAuditEvent({
      tx,
      actor,
      action: "import.requested",
      subject: `repository:${repo.id}`,
      payload: { importId: created.id },
    });
    return created;
  });
  if (opts.enqueue !== false) {
    try {
      const queue = await getQueue();
      const jobId = await queue.send(IMPORT_QUEUE, { importId: record.id });
      if (!jobId) throw new Error("pg-boss refused the job");
    } catch (error) {
      // A record nobody will run would block every later re-scan.
      await db.import.update({ where: { id: record.id }, data: { status: "failed", phase: "failed", error: "Could not queue the import." } });
      throw error;
    }
  }
  return record;
}

/** Messages we can show users as they are; anything else is logged and summarised. */
function describeFailure(error: unknown): string {
  if (error instanceof AppError || error instanceof SourceError || error instanceof GitError) return error.message;
  console.error("[import]", error);
  return "The import failed unexpectedly; the server log has the details. Nothing was written.";
}

/**
 * Runs one queued import, keeping its record's phase and progress current for the UI. An
 * import someone else already claimed (the CLI, another worker) is left alone.
 */
export async function runImport(opts: {
  importId: string;
  onProgress?: (p: ImportProgress) => void;
  /** After success: queue the findings recomputation (default), run it here, or leave it to the caller. */
  findings?: "queue" | "inline" | "skip";
}) {
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
      outsideTransaction(() => db.import.update({ where: { id: record.id }, data: { phase: p.phase, progressDone: p.done, progressTotal: p.total } })).catch(() => {}),
    );
  };
  // A heartbeat apart from progress: a long silent phase must not look like a dead worker.
  const heartbeat = setInterval(() => {
    writing = writing.then(() => db.import.update({ where: { id: record.id }, data: { updatedAt: new Date() } }).catch(() => {}));
  }, 60_000);
  try {
    const result = await importRepository({ repositoryId: record.repositoryId, onProgress });
    clearInterval(heartbeat);
    await writing;
    await appendAuditEvent({
      actor: SYSTEM_ACTOR,
      action: "import.succeeded",
      subject: `repository:${record.repositoryId}`,
      payload: { importId: record.id, fromCommit: result.fromCommit, toCommit: result.toCommit, versionsAdded: result.versionsAdded },
    });
    const findings = opts.findings ?? "queue";
    if (findings === "queue") await queueFindingsRecompute({ repositoryId: record.repositoryId });
    // The import has landed; findings that fail to compute must not turn it into a failure.
    if (findings === "inline") await recomputeFindings({ repositoryId: record.repositoryId }).catch((error) => console.error("[findings]", error));
    return await db.import.update({
      where: { id: record.id },
      data: {
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
    });
  } catch (error) {
    clearInterval(heartbeat);
    await writing;
    const message = describeFailure(error);
    await db.repository.update({ where: { id: record.repositoryId }, data: { status: "failed", lastError: message } });
    await appendAuditEvent({
      actor: SYSTEM_ACTOR,
      action: "import.failed",
      subject: `repository:${record.repositoryId}`,
      payload: { importId: record.id, error: message },
    });
    return await db.import.update({
      where: { id: record.id },
      data: { status: "failed", phase: "failed", finishedAt: new Date(), error: message },
    });
  }
}

/** Starts draining the import queue in this process. */
export async function startImportWorker() {
  const queue = await getQueue();
  await queue.work<{ importId: string }>(IMPORT_QUEUE, { pollingIntervalSeconds: 1, batchSize: 1 }, async (jobs) => {
    for (const job of jobs) await runImport({ importId: job.data.importId });
  });
}

/** POST /api/v1/repositories body. */
export const addRepositorySchema = z.object({
  source: text().trim().min(1).max(2000).describe("An absolute path on the server, or a git URL it can reach."),
  name: text().trim().min(1).max(100).optional(),
});
