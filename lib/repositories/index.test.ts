import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { stopQueue } from "@/lib/jobs/queue";
import { addRepository, addRepositoryHere, requestImport, requestImportHere } from "@/lib/operations/repositories";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { STALE_IMPORT_MS, SYSTEM_VIEWER, runImport, startImportWorker } from "./index";

const repos: TestRepo[] = [];
const dirs: string[] = [];
function newRepo() {
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("one", { "specs/a/spec.md": `# ${randomName()}\n` });
  return repo;
}
const savedRoots = process.env.SPECLEDGER_LOCAL_ROOTS;
beforeEach(() => {
  process.env.SPECLEDGER_SECRET_KEY ??= "a".repeat(64);
  process.env.SPECLEDGER_LOCAL_ROOTS = savedRoots;
});
afterAll(async () => {
  repos.forEach((r) => r.remove());
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  await stopQueue();
});

async function maintainer() {
  const user = await db.user.create({ data: { email: `${randomName("m")}@repos.test`, name: "m", role: "maintainer" } });
  return { id: user.id, email: user.email, role: user.role };
}

describe("adding repositories", () => {
  it("adds a repository once, whatever alias of its path is given, and refuses bad sources", async () => {
    const repo = newRepo();
    const { repository, import: first } = await addRepositoryHere(SYSTEM_VIEWER, { source: repo.path + "/" });
    expect(repository.source).toBe(fs.realpathSync(repo.path));
    expect(repository.name).toBe(repo.path.split("/").pop());
    expect(first.status).toBe("queued");
    const [parent, leaf] = [path.dirname(repo.path), path.basename(repo.path)];
    for (const alias of [repo.path, `${parent}//${leaf}`, `${parent}/./${leaf}`, `${repo.path}/../${leaf}`]) {
      await expect(addRepositoryHere(SYSTEM_VIEWER, { source: alias })).rejects.toMatchObject({ code: "conflict", details: { repositoryId: repository.id } });
    }
    // A symbolic link to the same folder is the same repository too.
    const link = path.join(os.tmpdir(), randomName("link"));
    fs.symlinkSync(repo.path, link);
    dirs.push(link);
    await expect(addRepositoryHere(SYSTEM_VIEWER, { source: link })).rejects.toMatchObject({ code: "conflict" });
    expect(await db.repository.count({ where: { sourceKey: fs.realpathSync(repo.path) } })).toBe(1);

    for (const bad of ["relative/dir", "ext::sh -c id", `file://${repo.path}`, "http://git.example.com/x.git", "ftp://x/y", "fd::3"]) {
      await expect(addRepositoryHere(SYSTEM_VIEWER, { source: bad })).rejects.toMatchObject({ code: "unprocessable" });
    }
    await expect(addRepositoryHere(SYSTEM_VIEWER, { source: "/no/such/folder/anywhere" })).rejects.toThrow(/No such directory/);
  });

  it("refuses an explicit name that is taken, and numbers a derived one", async () => {
    const [a, b] = [newRepo(), newRepo()];
    const { repository } = await addRepositoryHere(SYSTEM_VIEWER, { source: a.path, name: randomName("named") });
    await expect(addRepositoryHere(SYSTEM_VIEWER, { source: b.path, name: repository.name })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/is taken/),
    });
    const sameFolderName = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "specledger-test-")), path.basename(a.path));
    dirs.push(path.dirname(sameFolderName));
    fs.cpSync(a.path, sameFolderName, { recursive: true });
    const second = await addRepositoryHere(SYSTEM_VIEWER, { source: sameFolderName });
    const first = await db.repository.findUniqueOrThrow({ where: { sourceKey: fs.realpathSync(a.path) } });
    expect(second.repository.name).not.toBe(first.name);
  });

  it("on the server, accepts local paths only under SPECLEDGER_LOCAL_ROOTS, checked after resolving symbolic links", async () => {
    const viewer = await maintainer();
    const repo = newRepo();
    delete process.env.SPECLEDGER_LOCAL_ROOTS;
    await expect(addRepository(viewer, { source: repo.path })).rejects.toThrow(/SPECLEDGER_LOCAL_ROOTS/);

    const root = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-root-"));
    dirs.push(root);
    process.env.SPECLEDGER_LOCAL_ROOTS = `/srv/nothing-here:${root}`;
    await expect(addRepository(viewer, { source: repo.path })).rejects.toThrow(/must be under the folders the operator allowed/);
    await expect(addRepository({ ...viewer, role: "admin" }, { source: repo.path })).rejects.toThrow(`must be under /srv/nothing-here or ${root}`);
    await expect(addRepository(viewer, { source: `${root}/../${path.basename(repo.path)}` })).rejects.toThrow(/must be under|No such directory/);
    // A link inside the root that points outside it does not escape.
    fs.symlinkSync(repo.path, path.join(root, "escape"));
    await expect(addRepository(viewer, { source: path.join(root, "escape") })).rejects.toThrow(/must be under/);

    const inside = path.join(root, "inside");
    fs.cpSync(repo.path, inside, { recursive: true });
    const { repository, import: record } = await addRepository(viewer, { source: inside });
    expect(repository.source).toBe(fs.realpathSync(inside));
    // The server queues the job in the same transaction as the import row.
    const jobs = await db.$queryRaw<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'import-repository' AND data->>'importId' = ${record.id}`;
    expect(jobs[0].n).toBe(1);
    // Nobody runs it here: the job would only hold up other tests' workers on the shared queue.
    await db.$executeRaw`DELETE FROM pgboss.job WHERE name = 'import-repository' AND data->>'importId' = ${record.id}`;
  });

  it("splits a credential off an https URL: stored encrypted, never shown, never audited", async () => {
    const viewer = await maintainer();
    const host = `${randomName("git")}.example.com`;
    const { repository } = await addRepository(viewer, { source: `https://bob:s3cret-token@${host.toUpperCase()}/team/project.git` });
    expect(repository.source).toBe(`https://${host}/team/project.git`);
    const row = await db.repository.findUniqueOrThrow({ where: { id: repository.id } });
    expect(row.sourceKey).toBe(`https://${host}/team/project`);
    expect(row.credential).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain("s3cret-token");
    const audit = await db.auditEvent.findMany({ where: { subject: `repository:${repository.id}` } });
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain("s3cret-token");
    // The same repository through another spelling of its URL is the same repository.
    await expect(addRepository(viewer, { source: `https://${host}/team/project/` })).rejects.toMatchObject({ code: "conflict" });
    // No SSH or git:// passwords.
    await expect(addRepository(viewer, { source: `ssh://git:pw@${host}/x.git` })).rejects.toMatchObject({ code: "unprocessable" });
    // An ssh source without its own deploy key is refused: the server's ssh keys are never used.
    for (const source of [`ssh://git@${host}/team/x.git`, `git@${host}:team/y.git`]) {
      await expect(addRepository(viewer, { source })).rejects.toMatchObject({ code: "unprocessable", message: expect.stringMatching(/needs a deploy key/) });
    }
    expect(await db.repository.count({ where: { sourceKey: { startsWith: `${host}/team/` } } })).toBe(0);
    // One stored without a credential (an older row, or a credential removed) fails its import with the same sentence.
    const bare = await db.repository.create({ data: { name: randomName("bare-ssh"), source: `git@${host}:team/z.git` } });
    const record = await requestImportHere(SYSTEM_VIEWER, { repositoryId: bare.id });
    const failed = await runImport({ importId: record.id, findings: "skip", quiet: true });
    expect(failed).toMatchObject({ status: "failed", error: expect.stringMatching(/needs a deploy key/) });
  });

  it("refuses credentials when the server has no SPECLEDGER_SECRET_KEY, and stores nothing", async () => {
    const viewer = await maintainer();
    const saved = process.env.SPECLEDGER_SECRET_KEY;
    delete process.env.SPECLEDGER_SECRET_KEY;
    const host = `${randomName("git")}.example.com`;
    try {
      await expect(addRepository(viewer, { source: `https://token@${host}/x.git` })).rejects.toMatchObject({ code: "unavailable" });
    } finally {
      process.env.SPECLEDGER_SECRET_KEY = saved;
    }
    expect(await db.repository.count({ where: { source: { contains: host } } })).toBe(0);
  });

  it("lets only maintainers and admins add repositories", async () => {
    const viewer = { ...(await maintainer()), role: "reviewer" as const };
    await expect(addRepository(viewer, { source: "https://git.example.com/x.git" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(requestImport(viewer, { repositoryId: "anything" })).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("imports", () => {
  it("returns the pending import instead of queuing a second one, and retires interrupted ones", async () => {
    const repo = newRepo();
    const { repository, import: first } = await addRepositoryHere(SYSTEM_VIEWER, { source: repo.path });
    const again = await requestImportHere(SYSTEM_VIEWER, { repositoryId: repository.id });
    expect(again.id).toBe(first.id);
    await expect(requestImportHere(SYSTEM_VIEWER, { repositoryId: "no-such-repository" })).rejects.toMatchObject({ code: "not_found" });

    // A worker that died mid-import leaves a running record that stops updating.
    await db.$executeRaw`UPDATE "Import" SET status = 'running', "updatedAt" = ${new Date(Date.now() - STALE_IMPORT_MS - 1000)} WHERE id = ${first.id}`;
    const fresh = await requestImportHere(SYSTEM_VIEWER, { repositoryId: repository.id });
    expect(fresh.id).not.toBe(first.id);
    const retired = await db.import.findUniqueOrThrow({ where: { id: first.id } });
    expect(retired.status).toBe("failed");
    expect(retired.error).toMatch(/Interrupted/);
  });

  it("records success with its figures, and failure with a message for admins and a short cause for others", async () => {
    const repo = newRepo();
    const { repository, import: record } = await addRepositoryHere(SYSTEM_VIEWER, { source: repo.path });
    const phases = new Set<string>();
    const done = await runImport({ importId: record.id, onProgress: (p) => phases.add(p.phase) });
    expect(done).toMatchObject({
      status: "succeeded",
      commitsScanned: 1,
      commitsWithSpecChanges: 1,
      versionsAdded: 1,
      specsAdded: 1,
      error: null,
      followUpError: null,
    });
    // The deprecated figure keeps its old meaning for one release.
    expect(done.commitsRead).toBe(done.commitsWithSpecChanges);
    expect([...phases]).toEqual(["resolving", "scanning", "reading", "writing"]);
    expect((await db.repository.findUniqueOrThrow({ where: { id: repository.id } })).status).toBe("ready");

    repo.remove();
    const retry = await requestImportHere(SYSTEM_VIEWER, { repositoryId: repository.id });
    const failed = await runImport({ importId: retry.id });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/No such directory/);
    const after = await db.repository.findUniqueOrThrow({ where: { id: repository.id } });
    expect(after).toMatchObject({ status: "failed", lastError: failed.error });

    const { getImportOrThrow, getRepositoryOrThrow } = await import("@/lib/specs/queries");
    expect((await getImportOrThrow({ role: "admin" }, failed.id)).error).toContain(repo.path);
    const shown = await getImportOrThrow({ role: "viewer" }, failed.id);
    expect(shown.error).toMatch(/not found or not accessible/);
    expect(shown.error).not.toContain("/");
    const page = await getRepositoryOrThrow({ role: "maintainer" }, repository.id);
    expect(page.lastError).not.toContain(repo.path);
    expect(page.imports[0].error).not.toContain(repo.path);
  });

  it("keeps a committed import succeeded when a step after the commit fails, and records that step's failure", async () => {
    const repo = newRepo();
    const { repository, import: record } = await addRepositoryHere(SYSTEM_VIEWER, { source: repo.path });
    const done = await runImport({
      importId: record.id,
      findings: async () => {
        throw new Error("findings store unavailable");
      },
    });
    expect(done).toMatchObject({ status: "succeeded", versionsAdded: 1, error: null });
    expect(done.followUpError).toMatch(/Computing findings failed.*findings store unavailable/);
    const stored = await db.import.findUniqueOrThrow({ where: { id: record.id } });
    expect(stored).toMatchObject({ status: "succeeded", followUpError: done.followUpError });
    expect((await db.repository.findUniqueOrThrow({ where: { id: repository.id } })).status).toBe("ready");
    expect(await db.specVersion.count({ where: { spec: { repositoryId: repository.id } } })).toBe(1);
  });

  it("runs queued imports through pg-boss", { timeout: 150_000 }, async () => {
    const viewer = await maintainer();
    const repo = newRepo();
    process.env.SPECLEDGER_LOCAL_ROOTS = os.tmpdir();
    await startImportWorker();
    const { import: record } = await addRepository(viewer, { source: repo.path });
    await expect
      // The queue is shared with every test file running at once: allow for their jobs ahead of this one.
      .poll(async () => (await db.import.findUniqueOrThrow({ where: { id: record.id } })).status, { timeout: 120_000, interval: 250 })
      .toBe("succeeded");
  });
});
