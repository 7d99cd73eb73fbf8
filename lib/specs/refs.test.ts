import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { limitedGitCount } from "@/lib/git/limit";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { chunkByBytes, resolveRefs, type SpecRef } from "./refs";

const FILES = 500;
let repo: TestRepo;
let repoName: string;
let written: string;
let later: string;

beforeAll(async () => {
  repo = TestRepo.create();
  const files = Object.fromEntries(Array.from({ length: FILES }, (_, i) => [`specs/f${i}/spec.md`, `# Feature ${i}\n`]));
  written = repo.commit("500 specs", files);
  // A later commit that touches none of them: references to it need git to resolve.
  later = repo.commit("code", { "src/index.ts": "export {};\n" });
  repoName = randomName("refs");
  const { id } = await db.repository.create({ data: { name: repoName, source: repo.path } });
  await importRepository({ repositoryId: id });
});
afterAll(() => repo.remove());

async function resolve(refs: SpecRef[]) {
  const client = await pgPool().connect();
  try {
    return await resolveRefs(
      client,
      refs.map((ref) => ({ ref })),
    );
  } finally {
    client.release();
  }
}

describe("resolveRefs through git", () => {
  it("resolves 500 references to one commit with one git process, and each to the right version", async () => {
    const refs = Array.from({ length: FILES }, (_, i) => ({ repository: repoName, path: `specs/f${i}/spec.md`, commit: later }));
    const before = limitedGitCount();
    const resolved = await resolve(refs);
    expect(limitedGitCount() - before).toBe(1);
    expect(resolved.filter((r) => r.specVersionId).length).toBe(FILES);
    const versions = await db.specVersion.findMany({ where: { spec: { repository: { name: repoName } } }, select: { id: true, path: true } });
    const idOf = new Map(versions.map((v) => [v.path, v.id]));
    expect(resolved.every((r) => r.specVersionId === idOf.get(r.path!))).toBe(true);
  });

  it("asks git once per distinct commit, keeps unknown paths and commits unresolved, and needs no git for what the history answers", async () => {
    const before = limitedGitCount();
    const resolved = await resolve([
      { repository: repoName, path: "specs/f1/spec.md", commit: written },
      { repository: repoName, path: "specs/f2/spec.md", commit: later },
      { repository: repoName, path: "./specs/f3/spec.md", commit: later.slice(0, 10) },
      { repository: repoName, path: "specs/missing/spec.md", commit: later },
      { repository: repoName, path: "specs/f4/spec.md", commit: "0".repeat(40) },
      { repository: randomName("not-imported"), path: "specs/f5/spec.md", commit: later },
    ]);
    // `later` and its abbreviation are two spellings, and the unknown commit is a third; `written` is answered by the database.
    expect(limitedGitCount() - before).toBe(3);
    expect(resolved.map((r) => r.specVersionId !== null)).toEqual([true, true, true, false, false, false]);
  });
});

describe("chunkByBytes", () => {
  it("keeps each chunk under the limit and every item in order", () => {
    const items = ["aaaa", "bbbb", "cccc", "dd"];
    expect(chunkByBytes(items, 10)).toEqual([
      ["aaaa", "bbbb"],
      ["cccc", "dd"],
    ]);
    expect(chunkByBytes(["x".repeat(50)], 10)).toEqual([["x".repeat(50)]]);
    expect(chunkByBytes([], 10)).toEqual([]);
  });
});
