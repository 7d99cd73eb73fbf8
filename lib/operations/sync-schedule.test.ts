// Scheduled sync (issue 13 §3) against the real database and real git served over git://: the
// sweep is called directly (no waiting for cron minutes), the imports it requests run here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { SYNC_QUEUE, getQueue, stopQueue } from "@/lib/jobs/queue";
import { runImport } from "@/lib/repositories";
import { getRepositorySync } from "@/lib/repositories/sync";
import { callRoute, userWithToken } from "@/lib/testing/api";
import { serveGit } from "@/lib/testing/git-daemon";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { requestImport, setSyncPolicy } from "./repositories";
import { scheduleSync, startSyncWorker, syncDueRepositories } from "./sync-schedule";

const upstream = TestRepo.create();
const other = TestRepo.create();
let server: Awaited<ReturnType<typeof serveGit>>;
const minutesAgo = (m: number, from = new Date()) => new Date(from.getTime() - m * 60_000);

beforeAll(async () => {
  process.env.SPECLEDGER_SECRET_KEY ??= "a".repeat(64);
  upstream.commit("one", { "specs/a/spec.md": `# ${randomName()}\n` });
  other.commit("one", { "specs/b/spec.md": `# ${randomName()}\n` });
  server = await serveGit([upstream.path, other.path]);
});

afterAll(async () => {
  server.stop();
  upstream.remove();
  other.remove();
  await stopQueue();
});

/** A repository row as the add operation leaves it, with a source key of its own so tests never collide. */
function repository(source: string, data: { syncIntervalMinutes?: number | null; lastSyncAt?: Date | null; syncFailures?: number } = {}) {
  return db.repository.create({ data: { name: randomName("sync"), source, sourceKey: randomName("key"), ...data } });
}

/** The sweep's import jobs would only hold up other files' workers on the shared queue: the tests run imports themselves. */
async function dropJobs(repositoryId: string) {
  await db.$executeRaw`
    DELETE FROM pgboss.job WHERE name = 'import-repository'
    AND data->>'importId' IN (SELECT id FROM "Import" WHERE "repositoryId" = ${repositoryId})`;
}

const pendingImports = (repositoryId: string) => db.import.findMany({ where: { repositoryId, status: { in: ["queued", "running"] } } });

describe("the scheduled sync sweep", () => {
  it("requests an import of each due URL repository, as the system, and of no other", async () => {
    const url = server.urlOf(upstream.path);
    const due = await repository(url, { lastSyncAt: minutesAgo(11) });
    const never = await repository(url, { lastSyncAt: null });
    const fresh = await repository(url, { lastSyncAt: minutesAgo(9) });
    const off = await repository(url, { syncIntervalMinutes: null, lastSyncAt: null });
    const local = await repository(upstream.path, { lastSyncAt: null });
    const ids = [due, never, fresh, off, local].map((r) => r.id);

    const sweep = await syncDueRepositories({ repositoryIds: ids });
    expect(sweep.failed).toEqual([]);
    expect(new Set(sweep.requested)).toEqual(new Set([due.id, never.id]));
    for (const id of [fresh.id, off.id, local.id]) expect(await db.import.count({ where: { repositoryId: id } })).toBe(0);
    const [record] = await pendingImports(due.id);
    expect(record).toMatchObject({ status: "queued", requestedById: null });
    expect(await db.auditEvent.count({ where: { action: "import.requested", subject: `repository:${due.id}` } })).toBe(1);
    const jobs = await db.$queryRaw<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'import-repository' AND data->>'importId' = ${record.id}`;
    expect(jobs[0].n).toBe(1);

    // The next minute's sweep finds the same import waiting: two syncs of one repository never run at once.
    await syncDueRepositories({ repositoryIds: ids });
    expect((await pendingImports(due.id)).map((i) => i.id)).toEqual([record.id]);
    expect(await db.auditEvent.count({ where: { action: "import.requested", subject: `repository:${due.id}` } })).toBe(1);

    // The import runs: the repository is synced now, and not due again within its interval.
    await dropJobs(due.id);
    await dropJobs(never.id);
    expect(await runImport({ importId: record.id, findings: "skip" })).toMatchObject({ status: "succeeded" });
    const synced = await db.repository.findUniqueOrThrow({ where: { id: due.id } });
    expect(synced).toMatchObject({ syncFailures: 0, syncFailingSince: null });
    expect(synced.lastSyncAt!.getTime()).toBeGreaterThan(minutesAgo(1).getTime());
    expect((await syncDueRepositories({ repositoryIds: [due.id] })).requested).toEqual([]);
    expect((await syncDueRepositories({ repositoryIds: [due.id], now: new Date(synced.lastSyncAt!.getTime() + 10 * 60_000) })).requested).toEqual([due.id]);
    await dropJobs(due.id);
  });

  it("backs a failing repository off, keeps when its failures began, and clears them on success", async () => {
    // git daemon serves only the two repositories: this path answers "not found" over git://.
    const broken = await repository(`${server.base}/${randomName("missing")}`, { lastSyncAt: null });
    const runDue = async (now?: Date) => {
      const sweep = await syncDueRepositories({ repositoryIds: [broken.id], now });
      await dropJobs(broken.id);
      for (const pending of await pendingImports(broken.id)) await runImport({ importId: pending.id, findings: "skip" });
      return sweep.requested;
    };

    expect(await runDue()).toEqual([broken.id]);
    const first = await db.repository.findUniqueOrThrow({ where: { id: broken.id } });
    expect(first).toMatchObject({ status: "failed", syncFailures: 1 });
    expect(first.lastError).toBeTruthy();
    expect(first.syncFailingSince).toEqual(first.lastSyncAt);
    expect(await db.auditEvent.count({ where: { action: "import.failed", subject: `repository:${broken.id}` } })).toBe(1);

    // The page's account: failing since the first attempt, why, and when the next one is.
    const admin = { id: "system", email: "system", role: "admin" as const };
    expect(await getRepositorySync(admin, broken.id)).toMatchObject({
      scheduled: true,
      failingSince: first.syncFailingSince,
      failures: 1,
      cause: first.lastError,
      nextAt: new Date(first.lastSyncAt!.getTime() + 20 * 60_000),
    });
    // One failure: 2 × 10 minutes, not 10.
    expect(await runDue(new Date(first.lastSyncAt!.getTime() + 11 * 60_000))).toEqual([]);
    expect(await runDue(new Date(first.lastSyncAt!.getTime() + 20 * 60_000))).toEqual([broken.id]);
    const second = await db.repository.findUniqueOrThrow({ where: { id: broken.id } });
    expect(second.syncFailures).toBe(2);
    expect(second.syncFailingSince).toEqual(first.syncFailingSince);
    // Two failures: 4 × 10 minutes.
    expect(await runDue(new Date(second.lastSyncAt!.getTime() + 39 * 60_000))).toEqual([]);

    // The source is fixed: the next attempt succeeds and the failure run ends.
    await db.repository.update({ where: { id: broken.id }, data: { source: server.urlOf(other.path) } });
    expect(await runDue(new Date(second.lastSyncAt!.getTime() + 40 * 60_000))).toEqual([broken.id]);
    expect(await db.repository.findUniqueOrThrow({ where: { id: broken.id } })).toMatchObject({ status: "ready", syncFailures: 0, syncFailingSince: null });
    expect(await getRepositorySync(admin, broken.id)).toMatchObject({ failingSince: null, cause: null, failures: 0 });
  });

  it("goes on to the other repositories when one cannot be requested", async () => {
    const url = server.urlOf(upstream.path);
    const refused = await repository(url, { lastSyncAt: minutesAgo(60) });
    const fine = await repository(url, { lastSyncAt: minutesAgo(30) });
    // The most overdue comes first, so the refusal happens before the other is reached.
    const sweep = await syncDueRepositories({
      repositoryIds: [refused.id, fine.id],
      request: async (repositoryId) => {
        if (repositoryId === refused.id) throw new Error("the database refused this one");
        return requestImport({ id: "system", email: "system", role: "admin" }, { repositoryId });
      },
    });
    expect(sweep).toEqual({ requested: [fine.id], failed: [{ repositoryId: refused.id, error: "the database refused this one" }] });
    expect(await pendingImports(fine.id)).toHaveLength(1);
    await dropJobs(fine.id);
  });
});

describe("startSyncWorker", () => {
  it("registers one every-minute pg-boss schedule, and none when SPECLEDGER_SYNC=0", async () => {
    const saved = process.env.SPECLEDGER_SYNC;
    const schedules = async () => (await (await getQueue()).getSchedules()).filter((s) => s.name === SYNC_QUEUE);
    try {
      // A schedule an earlier run left in this database (the end-to-end app's worker registers one) is not this test's.
      await (await getQueue()).unschedule(SYNC_QUEUE);
      process.env.SPECLEDGER_SYNC = "0";
      await startSyncWorker();
      expect(await schedules()).toEqual([]);
      // Only the registration: a worker here would sweep every repository of the other test files
      // sharing this database, and an import it queued could be claimed under a running CLI import.
      await scheduleSync();
      await scheduleSync(); // a second process registering it changes nothing
      expect((await schedules()).map((s) => s.cron)).toEqual(["* * * * *"]);
    } finally {
      process.env.SPECLEDGER_SYNC = saved;
      await (await getQueue()).unschedule(SYNC_QUEUE);
    }
  });
});

describe("the sync policy", () => {
  it("lets admins set a repository's interval (5..1440 or null), audited; refuses others and bad values", async () => {
    const repo = await repository(server.urlOf(upstream.path));
    const admin = await userWithToken("admin", ["admin"]);
    const maintainer = await userWithToken("maintainer", ["admin"]);

    expect(await setSyncPolicy(admin.user, { repositoryId: repo.id, syncIntervalMinutes: 60 })).toMatchObject({
      repositoryId: repo.id,
      syncIntervalMinutes: 60,
      syncFailures: 0,
    });
    await expect(setSyncPolicy(maintainer.user, { repositoryId: repo.id, syncIntervalMinutes: 30 })).rejects.toMatchObject({ code: "forbidden" });
    for (const bad of [4, 1441, 7.5, "10"]) {
      await expect(setSyncPolicy(admin.user, { repositoryId: repo.id, syncIntervalMinutes: bad as number })).rejects.toMatchObject({ code: "unprocessable" });
    }
    await expect(setSyncPolicy(admin.user, { repositoryId: "no-such-repository", syncIntervalMinutes: 30 })).rejects.toMatchObject({ code: "not_found" });
    expect((await db.repository.findUniqueOrThrow({ where: { id: repo.id } })).syncIntervalMinutes).toBe(60);

    // Through the API, as an admin's tool would.
    const path = "/repositories/{id}/sync-policy";
    const off = await callRoute("POST", path, { params: { id: repo.id }, token: admin.token, body: { syncIntervalMinutes: null } });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ repositoryId: repo.id, syncIntervalMinutes: null });
    expect((await callRoute("POST", path, { params: { id: repo.id }, token: maintainer.token, body: { syncIntervalMinutes: 30 } })).status).toBe(403);
    expect((await callRoute("POST", path, { params: { id: repo.id }, token: admin.token, body: { syncIntervalMinutes: 2 } })).status).toBe(422);
    expect((await callRoute("POST", path, { params: { id: repo.id }, token: admin.token, body: { syncIntervalMinutes: 30, extra: 1 } })).status).toBe(422);
    expect((await callRoute("POST", path, { params: { id: randomName("gone") }, token: admin.token, body: { syncIntervalMinutes: 30 } })).status).toBe(404);
    expect((await db.repository.findUniqueOrThrow({ where: { id: repo.id } })).syncIntervalMinutes).toBeNull();

    const events = await db.auditEvent.findMany({ where: { action: "repository.sync_policy_set", subject: `repository:${repo.id}` }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.payload)).toEqual([
      { from: 10, to: 60 },
      { from: 60, to: null },
    ]);
  });
});
