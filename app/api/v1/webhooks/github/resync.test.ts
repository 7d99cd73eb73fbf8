// Regression (issue 13): a push delivered while that repository's import runs was dropped,
// because the request returned the running import, which had fetched before the push.
// Real git served over git://, the real route handler, a real pg-boss worker.
import { randomUUID } from "node:crypto";
import examples from "@octokit/webhooks-examples";
import { sign } from "@octokit/webhooks-methods";
import { NextRequest } from "next/server";
import { afterAll, expect, it } from "vitest";
import { db } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { stopQueue } from "@/lib/jobs/queue";
import { addRepositoryHere, requestImportHere } from "@/lib/operations/repositories";
import { setWebhookSecret } from "@/lib/operations/webhooks";
import { SYSTEM_VIEWER, runImport, startImportWorker } from "@/lib/repositories";
import { serveGit } from "@/lib/testing/git-daemon";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { POST } from "./route";

const repo = TestRepo.create();
let daemon: Awaited<ReturnType<typeof serveGit>> | undefined;
afterAll(async () => {
  daemon?.stop();
  repo.remove();
  await stopQueue();
});

type Example = { name: string; examples: Record<string, unknown>[] };

/** GitHub's recorded push to a branch, addressed to our repository's URL and tracked branch. */
function pushPayload(cloneUrl: string, after: string): string {
  const found = (examples as unknown as Example[]).find((e) => e.name === "push")!.examples.find((p) => String(p.ref).startsWith("refs/heads/"))!;
  const payload = structuredClone(found) as { ref: string; after: string; repository: Record<string, unknown> };
  payload.ref = "refs/heads/main";
  payload.after = after;
  payload.repository = { ...payload.repository, clone_url: cloneUrl };
  return JSON.stringify(payload);
}

async function deliverPush(secret: string, body: string) {
  const headers = {
    "content-type": "application/json",
    "x-github-event": "push",
    "x-github-delivery": randomUUID(),
    "x-hub-signature-256": await sign(secret, body),
  };
  return POST(new NextRequest("http://localhost/api/v1/webhooks/github", { method: "POST", headers, body }));
}

it("imports a push that arrives while the repository's import runs, with exactly one more import and no further request", { timeout: 180_000 }, async () => {
  repo.commit("one", { "specs/a/spec.md": `# ${randomName("a")}\n` });
  daemon = await serveGit([repo.path]);
  const url = daemon.urlOf(repo.path);
  const { repository, import: first } = await addRepositoryHere(SYSTEM_VIEWER, { source: url });
  expect(await runImport({ importId: first.id, findings: "skip", quiet: true })).toMatchObject({ status: "succeeded" });
  const admin = await db.user.create({ data: { email: `${randomName("admin")}@resync.test`, name: "admin", role: "admin" } });
  const { secret } = await setWebhookSecret({ id: admin.id, email: admin.email, role: "admin" }, { repositoryId: repository.id });
  await startImportWorker();

  // The import of commit two is held half-way: after its fetch and its repository lock, at the
  // write of the spec this test has locked.
  const two = repo.commit("two", { "specs/a/spec.md": `# ${randomName("a2")}\n` });
  const second = await requestImportHere(SYSTEM_VIEWER, { repositoryId: repository.id });
  const holder = await pgPool().connect();
  let running: ReturnType<typeof runImport> | undefined;
  try {
    await holder.query("BEGIN");
    await holder.query(`SELECT id FROM "Spec" WHERE "repositoryId" = $1 FOR UPDATE`, [repository.id]);
    const { rows } = await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    running = runImport({ importId: second.id, findings: "skip", quiet: true });
    // Asked on another connection: inside a transaction pg_stat_activity is a snapshot.
    const blocked = async () =>
      (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${rows[0].pid}::int = ANY(pg_blocking_pids(pid))`)[0].n;
    await expect.poll(blocked, { timeout: 60_000, interval: 100 }).toBe(1);

    // Commit three is pushed while it runs; GitHub tells us twice (a push and its redelivery under a new id).
    const three = repo.commit("three", { "specs/b/spec.md": `# ${randomName("b")}\n` });
    for (let i = 0; i < 2; i++) {
      const response = await deliverPush(secret, pushPayload(url, three));
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ status: "queued", importId: second.id });
    }
    expect((await db.import.findUniqueOrThrow({ where: { id: second.id } })).resyncRequestedAt).not.toBeNull();
    await holder.query("COMMIT");
  } finally {
    await holder.query("ROLLBACK").catch(() => {});
    holder.release();
  }
  const finished = await running!;
  expect(finished).toMatchObject({ status: "succeeded", toCommit: two });

  // Finishing it queued exactly one more import, which the worker runs with nobody asking again.
  const after = await db.import.findMany({ where: { repositoryId: repository.id, createdAt: { gt: finished.createdAt } } });
  expect(after).toHaveLength(1);
  expect((await db.import.findUniqueOrThrow({ where: { id: second.id } })).resyncRequestedAt).toBeNull();
  await expect
    // The queue is shared with every test file running at once: allow for their jobs ahead of this one.
    .poll(async () => (await db.import.findUniqueOrThrow({ where: { id: after[0].id } })).status, { timeout: 120_000, interval: 250 })
    .toBe("succeeded");
  const head = repo.git("rev-parse", "HEAD");
  expect(await db.import.findUniqueOrThrow({ where: { id: after[0].id } })).toMatchObject({ fromCommit: two, toCommit: head, versionsAdded: 1 });
  expect(await db.specVersion.count({ where: { spec: { repositoryId: repository.id, path: "specs/b/spec.md" }, commitSha: head } })).toBe(1);
  expect(await db.import.count({ where: { repositoryId: repository.id } })).toBe(3);
});

it("does not flag a waiting import: it has not fetched yet, so it will see the push", async () => {
  const other = TestRepo.create();
  try {
    other.commit("one", { "specs/a/spec.md": "# a\n" });
    const { repository, import: waiting } = await addRepositoryHere(SYSTEM_VIEWER, { source: other.path });
    const again = await requestImportHere(SYSTEM_VIEWER, { repositoryId: repository.id });
    expect(again.id).toBe(waiting.id);
    expect(await db.import.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: "queued", resyncRequestedAt: null });
    expect(await db.import.count({ where: { repositoryId: repository.id } })).toBe(1);
  } finally {
    other.remove();
  }
});
