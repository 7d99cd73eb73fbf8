import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { withPgTransaction } from "@/lib/db/pg";
import { randomName } from "@/lib/testing/git-repo";
import { lockRepository, recordSkippedFiles } from "./record";

async function newRepository() {
  return db.repository.create({ data: { name: randomName("repo"), source: "/nowhere" } });
}

describe("lockRepository", () => {
  it("returns what the last import left, and refuses a second import while the first holds the lock", async () => {
    const repo = await newRepository();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const first = withPgTransaction(async (client) => {
      const last = await lockRepository(client, repo.id);
      locked();
      await held;
      return last;
    });
    await lockTaken;
    try {
      await expect(
        withPgTransaction(async (client) => {
          await client.query(`SET LOCAL lock_timeout = '10ms'`);
          return lockRepository(client, repo.id);
        }),
      ).rejects.toMatchObject({ code: "conflict", message: "Another import of this repository is still running." });
    } finally {
      release();
    }
    expect(await first).toEqual({ headCommit: null, kindRulesHash: null });
  });

  it("lets rows that reference the repository be written while an import holds the lock (a push's request must not wait for the import)", async () => {
    const repo = await newRepository();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const importing = withPgTransaction(async (client) => {
      await lockRepository(client, repo.id);
      locked();
      await held;
    });
    await lockTaken;
    try {
      // With FOR UPDATE the foreign key's share lock waited for the import; the lock timeout turns a wait into a failure.
      const inserted = await withPgTransaction(async (client) => {
        await client.query(`SET LOCAL lock_timeout = '2s'`);
        return client.query(`INSERT INTO "Import" (id, "repositoryId", "updatedAt") VALUES ($1, $2, now()) RETURNING id`, [randomName("import"), repo.id]);
      });
      expect(inserted.rowCount).toBe(1);
    } finally {
      release();
    }
    await importing;
  });

  it("says a repository that is gone is not found", async () => {
    await expect(withPgTransaction((client) => lockRepository(client, randomName("missing")))).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("recordSkippedFiles", () => {
  it("records each skipped file once, keeping the first reason recorded", async () => {
    const repo = await newRepository();
    const skip = { path: "AGENTS.md", blobId: "b".repeat(40), commitSha: "c".repeat(40), reason: "binary", detail: "NUL byte" };
    await withPgTransaction((client) => recordSkippedFiles(client, repo.id, [skip]));
    await withPgTransaction((client) => recordSkippedFiles(client, repo.id, [{ ...skip, reason: "too-large" }]));
    await withPgTransaction((client) => recordSkippedFiles(client, repo.id, []));
    const rows = await db.skippedFile.findMany({ where: { repositoryId: repo.id } });
    expect(rows.map((r) => [r.path, r.reason])).toEqual([["AGENTS.md", "binary"]]);
  });
});
