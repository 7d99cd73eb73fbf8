import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { stopQueue } from "@/lib/jobs/queue";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { STALE_IMPORT_MS, addRepository, localRootsFromEnv, requestImport, runImport, startImportWorker } from "./index";

const repos: TestRepo[] = [];
function newRepo() {
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("one", { "specs/a/spec.md": `# ${randomName()}\n` });
  return repo;
}
afterAll(async () => {
  repos.forEach((r) => r.remove());
  await stopQueue();
});

describe("repositories and imports", () => {
  it("adds a repository once, names it after its folder and refuses bad sources", async () => {
    const repo = newRepo();
    const { repository, import: first } = await addRepository({ source: repo.path + "/", requestedById: null, enqueue: false });
    expect(repository.source).toBe(repo.path);
    expect(repository.name).toBe(repo.path.split("/").pop());
    expect(first.status).toBe("queued");
    await expect(addRepository({ source: repo.path, requestedById: null, enqueue: false })).rejects.toMatchObject({ code: "conflict" });
    await expect(addRepository({ source: "relative/dir", requestedById: null })).rejects.toMatchObject({ code: "unprocessable" });
    await expect(addRepository({ source: "ext::sh -c id", requestedById: null })).rejects.toMatchObject({ code: "unprocessable" });
    await expect(addRepository({ source: "https://bob:s3cret@git.example.com/x.git", requestedById: null })).rejects.toThrow(/password or token/);
  });

  it("accepts local paths only under the configured roots", async () => {
    const repo = newRepo();
    const roots = localRootsFromEnv({ SPECLEDGER_LOCAL_ROOTS: "/srv/git:/opt/repos" });
    expect(roots).toEqual(["/srv/git", "/opt/repos"]);
    expect(localRootsFromEnv({})).toBeNull();
    for (const source of [repo.path, `file://${repo.path}`, "/srv/gitx/evil", "/srv/git/../../etc"]) {
      await expect(addRepository({ source, requestedById: null, enqueue: false, localRoots: roots })).rejects.toThrow(/must be under/);
    }
    const parent = repo.path.split("/").slice(0, -1).join("/");
    const { repository } = await addRepository({ source: repo.path, requestedById: null, enqueue: false, localRoots: [parent] });
    expect(repository.source).toBe(repo.path);
  });

  it("returns the pending import instead of queuing a second one, and retires interrupted ones", async () => {
    const repo = newRepo();
    const { repository, import: first } = await addRepository({ source: repo.path, requestedById: null, enqueue: false });
    const again = await requestImport({ repositoryId: repository.id, requestedById: null, enqueue: false });
    expect(again.id).toBe(first.id);

    // A worker that died mid-import leaves a running record that stops updating.
    await db.$executeRaw`UPDATE "Import" SET status = 'running', "updatedAt" = ${new Date(Date.now() - STALE_IMPORT_MS - 1000)} WHERE id = ${first.id}`;
    const fresh = await requestImport({ repositoryId: repository.id, requestedById: null, enqueue: false });
    expect(fresh.id).not.toBe(first.id);
    const retired = await db.import.findUniqueOrThrow({ where: { id: first.id } });
    expect(retired.status).toBe("failed");
    expect(retired.error).toMatch(/Interrupted/);
  });

  it("records success with its figures, and failure with a message the user can act on", async () => {
    const repo = newRepo();
    const { repository, import: record } = await addRepository({ source: repo.path, requestedById: null, enqueue: false });
    const phases = new Set<string>();
    const done = await runImport({ importId: record.id, onProgress: (p) => phases.add(p.phase) });
    expect(done).toMatchObject({ status: "succeeded", commitsScanned: 1, commitsWithSpecChanges: 1, versionsAdded: 1, specsAdded: 1, error: null });
    // The deprecated figure keeps its old meaning for one release.
    expect(done.commitsRead).toBe(done.commitsWithSpecChanges);
    expect([...phases]).toEqual(["resolving", "scanning", "reading", "writing"]);
    expect((await db.repository.findUniqueOrThrow({ where: { id: repository.id } })).status).toBe("ready");

    repo.remove();
    const retry = await requestImport({ repositoryId: repository.id, requestedById: null, enqueue: false });
    const failed = await runImport({ importId: retry.id });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/No such directory/);
    const after = await db.repository.findUniqueOrThrow({ where: { id: repository.id } });
    expect(after).toMatchObject({ status: "failed", lastError: failed.error });
  });

  it("runs queued imports through pg-boss", async () => {
    const repo = newRepo();
    await startImportWorker();
    const { import: record } = await addRepository({ source: repo.path, requestedById: null });
    await expect
      .poll(async () => (await db.import.findUniqueOrThrow({ where: { id: record.id } })).status, { timeout: 30_000, interval: 250 })
      .toBe("succeeded");
  });
});
