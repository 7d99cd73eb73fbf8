// Regression (task C §1): the import requested while an import ran was queued in the same
// transaction that finished it, so a queue that failed rolled the finish back: the import, whose
// data had committed, stayed "running" until it was retired as "Nothing was written".
// Real PostgreSQL, a real git repository, the real pg-boss queue; only the queue call is made to fail once.
import { afterAll, expect, it } from "vitest";
import { db } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { stopQueue } from "@/lib/jobs/queue";
import { addRepositoryHere, requestImportHere } from "@/lib/operations/repositories";
import { SYSTEM_VIEWER, enqueueImport, queueRequestedResyncs, runImport, type EnqueueImport } from "@/lib/repositories";
import { TestRepo, randomName } from "@/lib/testing/git-repo";

const repo = TestRepo.create();
afterAll(async () => {
  repo.remove();
  await stopQueue();
});

const jobsFor = async (importId: string) =>
  (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'import-repository' AND data->>'importId' = ${importId}`)[0].n;

it("finishes an import whose follow-up import cannot be queued, keeps the request, and the sweep queues it once", { timeout: 120_000 }, async () => {
  repo.commit("one", { "specs/a/spec.md": `# ${randomName("a")}\n` });
  const { repository, import: first } = await addRepositoryHere(SYSTEM_VIEWER, { source: repo.path });
  expect(await runImport({ importId: first.id, findings: "skip", quiet: true })).toMatchObject({ status: "succeeded" });

  // The second import is held half-way (at the write of the spec this test has locked), so a
  // request made now finds it running and flags it for one more pass.
  const two = repo.commit("two", { "specs/a/spec.md": `# ${randomName("a2")}\n` });
  const second = await requestImportHere(SYSTEM_VIEWER, { repositoryId: repository.id });
  let calls = 0;
  const failOnce: EnqueueImport = async (tx, importId) => {
    calls++;
    if (calls === 1) throw new Error("the job queue is unavailable");
    await enqueueImport(tx, importId);
  };
  const holder = await pgPool().connect();
  let running: ReturnType<typeof runImport> | undefined;
  try {
    await holder.query("BEGIN");
    await holder.query(`SELECT id FROM "Spec" WHERE "repositoryId" = $1 FOR UPDATE`, [repository.id]);
    const { rows } = await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    running = runImport({ importId: second.id, findings: "skip", quiet: true, enqueue: failOnce });
    const blocked = async () =>
      (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${rows[0].pid}::int = ANY(pg_blocking_pids(pid))`)[0].n;
    await expect.poll(blocked, { timeout: 60_000, interval: 100 }).toBe(1);
    repo.commit("three", { "specs/b/spec.md": `# ${randomName("b")}\n` });
    expect((await requestImportHere(SYSTEM_VIEWER, { repositoryId: repository.id })).id).toBe(second.id);
    await holder.query("COMMIT");
  } finally {
    await holder.query("ROLLBACK").catch(() => {});
    holder.release();
  }

  // The queue failed, yet the import is finished with what it wrote; the request is kept and said.
  const finished = await running!;
  expect(calls).toBe(1);
  expect(finished).toMatchObject({ status: "succeeded", toCommit: two, versionsAdded: 1 });
  expect(finished.followUpError).toMatch(/Queuing the import requested while this one ran failed.*job queue is unavailable/);
  expect((await db.import.findUniqueOrThrow({ where: { id: second.id } })).resyncRequestedAt).not.toBeNull();
  expect(await db.import.count({ where: { repositoryId: repository.id } })).toBe(2);

  // The sweep queues it: one import with its job, and the flag is gone; a second sweep adds nothing.
  const sweep = await queueRequestedResyncs({ repositoryIds: [repository.id], enqueue: failOnce });
  expect(sweep).toMatchObject({ failed: [] });
  expect(sweep.queued).toHaveLength(1);
  const next = await db.import.findUniqueOrThrow({ where: { id: sweep.queued[0] } });
  expect(next).toMatchObject({ repositoryId: repository.id, status: "queued" });
  expect(await jobsFor(next.id)).toBe(1);
  expect((await db.import.findUniqueOrThrow({ where: { id: second.id } })).resyncRequestedAt).toBeNull();
  expect(await queueRequestedResyncs({ repositoryIds: [repository.id] })).toEqual({ queued: [], failed: [] });
  expect(await db.import.count({ where: { repositoryId: repository.id } })).toBe(3);
  expect(await db.auditEvent.count({ where: { action: "import.requested", payload: { path: ["importId"], equals: next.id } } })).toBe(1);
  // Nobody runs it here: the job would only hold up other tests' workers on the shared queue.
  await db.$executeRaw`DELETE FROM pgboss.job WHERE name = 'import-repository' AND data->>'importId' = ${next.id}`;
});

it("leaves an import that owes nothing alone: the sweep queues only flagged, finished imports", async () => {
  const other = TestRepo.create();
  try {
    other.commit("one", { "specs/a/spec.md": "# a\n" });
    const { repository, import: record } = await addRepositoryHere(SYSTEM_VIEWER, { source: other.path });
    // A flag on a running import belongs to its finisher, not to the sweep.
    await db.import.update({ where: { id: record.id }, data: { status: "running", resyncRequestedAt: new Date() } });
    expect(await queueRequestedResyncs({ repositoryIds: [repository.id] })).toEqual({ queued: [], failed: [] });
    expect(await db.import.count({ where: { repositoryId: repository.id } })).toBe(1);
  } finally {
    other.remove();
  }
});
