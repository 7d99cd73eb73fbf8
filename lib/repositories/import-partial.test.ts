import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { gitDirFor, gitStorageRoot, mirrorPath } from "@/lib/git/mirror";
import { deleteRepository } from "@/lib/operations/repositories";
import { serveGit } from "@/lib/testing/git-daemon";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { importRepository } from "./import";

const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((f) => f()));

function tempDir(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file under `dir` with its bytes' hash: equal digests mean byte-identical folders. */
function digestOf(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
    .map((file) => `${path.relative(dir, file)} ${createHash("sha256").update(fs.readFileSync(file)).digest("hex")}`);
}

async function versionsOf(repositoryId: string) {
  const specs = await db.spec.findMany({ where: { repositoryId }, include: { versions: { orderBy: { seq: "asc" } } }, orderBy: { path: "asc" } });
  return specs.map((s) => [s.path, s.deleted, s.versions.map((v) => [v.path, v.commitSha, v.blobId, v.contentHash])]);
}

/** An origin with several versions of two specs (one renamed as is) and code, served over git://. */
function originWithHistory() {
  const origin = TestRepo.create();
  cleanup.push(() => origin.remove());
  origin.git("config", "uploadpack.allowFilter", "true");
  origin.commit("add", { "specs/001-a/spec.md": "# A\n\nv1\n", "AGENTS.md": "# Agents\n\nv1\n", "src/a.ts": "export const a = 1;\n" });
  origin.commit("edit", { "specs/001-a/spec.md": "# A\n\nv2\n", "AGENTS.md": "# Agents\n\nv2\n" });
  origin.commit("code", { "src/a.ts": "export const a = 2;\n" });
  origin.git("mv", "specs/001-a", "specs/001-b");
  origin.commit("rename");
  origin.commit("edit again", { "specs/001-b/spec.md": "# A\n\nv3\n" });
  return origin;
}

/** A blobless clone of `url` in a temporary folder. */
function bloblessClone(url: string): string {
  const clone = path.join(tempDir("specledger-blobless-"), "clone");
  execFileSync("git", ["clone", "-q", "--filter=blob:none", url, clone], { stdio: "ignore" });
  return clone;
}

describe("importing a blobless clone (git clone --filter=blob:none)", () => {
  it("imports what a complete repository gives, fetching the missing blobs in one batch into Specledger's store, never into the user's repository", async () => {
    const origin = originWithHistory();
    const server = await serveGit([origin.path]);
    try {
      const clone = bloblessClone(server.urlOf(origin.path));
      const before = digestOf(path.join(clone, ".git"));

      const full = await db.repository.create({ data: { name: randomName("full"), source: origin.path } });
      const partial = await db.repository.create({ data: { name: randomName("blobless"), source: clone } });
      await importRepository({ repositoryId: full.id });
      const result = await importRepository({ repositoryId: partial.id });

      expect(result.filesSkipped).toBe(0);
      expect(await versionsOf(partial.id)).toEqual(await versionsOf(full.id));
      // Local sources are read-only: not one byte of the user's git directory changed.
      expect(digestOf(path.join(clone, ".git"))).toEqual(before);
      // The missing blobs came in one fetch, as one pack in Specledger's own store.
      const store = await gitDirFor(partial);
      expect(path.dirname(store)).toBe(gitStorageRoot());
      expect(fs.readdirSync(path.join(store, "objects", "pack")).filter((f) => f.endsWith(".pack"))).toHaveLength(1);
    } finally {
      server.stop();
    }
  }, 120_000);

  it("imports what it has and skips the rest as missing when the remote is gone", async () => {
    const origin = originWithHistory();
    const server = await serveGit([origin.path]);
    const clone = path.join(tempDir("specledger-blobless-"), "clone");
    try {
      execFileSync("git", ["clone", "-q", "--filter=blob:none", server.urlOf(origin.path), clone], { stdio: "ignore" });
    } finally {
      server.stop();
    }
    const before = digestOf(path.join(clone, ".git"));
    const partial = await db.repository.create({ data: { name: randomName("blobless"), source: clone } });
    const result = await importRepository({ repositoryId: partial.id });
    // The checked-out versions are present; the older ones cannot be fetched.
    expect(result.versionsAdded).toBeGreaterThan(0);
    expect(result.filesSkipped).toBeGreaterThan(0);
    expect(digestOf(path.join(clone, ".git"))).toEqual(before);
  }, 120_000);

  it("reads a complete local repository in place, with no store of its own", async () => {
    const repo = TestRepo.create();
    cleanup.push(() => repo.remove());
    repo.commit("add", { "AGENTS.md": "# Agents\n" });
    const record = await db.repository.create({ data: { name: randomName("complete"), source: repo.path } });
    expect(await gitDirFor(record)).toBe(fs.realpathSync(path.join(repo.path, ".git")));
    expect(fs.existsSync(path.join(gitStorageRoot(), `${record.id}.partial.git`))).toBe(false);
  });

  it("deletes the store and view of a removed repository after the commit, and a URL source's mirror; a refused removal keeps them", async () => {
    const origin = originWithHistory();
    const server = await serveGit([origin.path]);
    try {
      const clone = bloblessClone(server.urlOf(origin.path));
      const admin = await db.user.create({
        data: { email: `${randomName("admin")}@partial.test`, name: "a", role: "admin" },
        select: { id: true, email: true, role: true },
      });
      // Reading the sources creates the store and the mirror, as an import that failed later would leave them.
      const partial = await db.repository.create({ data: { name: randomName("blobless"), source: clone } });
      const remote = await db.repository.create({ data: { name: randomName("remote"), source: server.urlOf(origin.path) } });
      const store = await gitDirFor(partial);
      const dirs = [store, path.join(gitStorageRoot(), `${partial.id}.partial-view.git`)];
      expect(dirs.map((dir) => fs.existsSync(path.join(dir, "HEAD")))).toEqual([true, true]);
      expect(await gitDirFor(remote)).toBe(mirrorPath(remote.id));

      await expect(deleteRepository(admin, { repositoryId: partial.id, confirmName: "not its name" })).rejects.toMatchObject({ code: "unprocessable" });
      expect(dirs.map((dir) => fs.existsSync(dir))).toEqual([true, true]);

      await deleteRepository(admin, { repositoryId: partial.id, confirmName: partial.name });
      await deleteRepository(admin, { repositoryId: remote.id, confirmName: remote.name });
      expect(await db.repository.count({ where: { id: { in: [partial.id, remote.id] } } })).toBe(0);
      expect([...dirs, mirrorPath(remote.id)].map((dir) => fs.existsSync(dir))).toEqual([false, false, false]);
      // The user's clone is not Specledger's to delete.
      expect(fs.existsSync(path.join(clone, ".git", "HEAD"))).toBe(true);
    } finally {
      server.stop();
    }
  }, 120_000);
});
