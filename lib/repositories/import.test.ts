import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { serveGit } from "@/lib/testing/git-daemon";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { hashContent } from "@/lib/specs/content";
import { asOwner } from "@/lib/testing/owner";
import { importRepository } from "./import";

const repos: TestRepo[] = [];
function newRepo() {
  const repo = TestRepo.create();
  repos.push(repo);
  return repo;
}
afterAll(() => repos.forEach((r) => r.remove()));

async function register(source: string) {
  return db.repository.create({ data: { name: randomName("repo"), source } });
}

async function specsOf(repositoryId: string) {
  return db.spec.findMany({
    where: { repositoryId },
    include: { versions: { orderBy: { seq: "asc" } }, feature: true },
    orderBy: { path: "asc" },
  });
}

/**
 * Per repository: its specs with a current content, those whose search vector differs from
 * what the database computes from the stored text, and live ones without a duplicate
 * signature. Both are computed outside the import's statements, so both are checked here.
 */
function vectorsAndSignatures(repositoryId: string) {
  return db.$queryRaw<{ specs: number; differing: number; unsigned: number }[]>`
    SELECT count(*)::int AS specs,
           count(*) FILTER (WHERE s.search IS DISTINCT FROM
             setweight(to_tsvector('simple', replace(replace(s.path, '/', ' '), '.', ' ')), 'A')
             || setweight(to_tsvector('english', left(c.text, 200000)), 'B'))::int AS differing,
           count(*) FILTER (WHERE NOT s.deleted AND g.hash IS NULL)::int AS unsigned
    FROM "Spec" s JOIN "Content" c ON c.hash = s."currentHash" LEFT JOIN "ContentSignature" g ON g.hash = c.hash
    WHERE s."repositoryId" = ${repositoryId}`;
}

describe("importRepository", () => {
  it("imports every version of every recognised file, with renames, deletes and features", async () => {
    const repo = newRepo();
    const c1 = repo.commit("add specs", {
      "specs/001-login/spec.md": "# Login\n\nUsers sign in.\n",
      "specs/001-login/plan.md": "# Plan\n",
      "AGENTS.md": "# Agents\n- Use pnpm\n",
      "src/index.ts": "export {};\n",
    });
    repo.commit("edit spec", { "specs/001-login/spec.md": "# Login\n\nUsers sign in with a password.\n" });
    repo.git("mv", "specs/001-login", "specs/001-sign-in");
    repo.commit("rename feature");
    const c4 = repo.commit("drop agents", { "AGENTS.md": null });
    const record = await register(repo.path);

    const result = await importRepository({ repositoryId: record.id });
    expect(result).toMatchObject({ commitsScanned: 4, commitsWithSpecChanges: 4, specsAdded: 3, specsDeleted: 1, filesSkipped: 0 });

    const specs = await specsOf(record.id);
    expect(specs.map((s) => [s.path, s.kind, s.deleted])).toEqual([
      ["AGENTS.md", "agent", true],
      ["specs/001-sign-in/plan.md", "plan", false],
      ["specs/001-sign-in/spec.md", "spec", false],
    ]);
    const spec = specs[2];
    // One identity across the rename: add, edit, rename.
    expect(spec.versions.map((v) => v.path)).toEqual(["specs/001-login/spec.md", "specs/001-login/spec.md", "specs/001-sign-in/spec.md"]);
    expect(spec.versions[0].commitSha).toBe(c1);
    expect(spec.versions[0].contentHash).toBe(hashContent(Buffer.from("# Login\n\nUsers sign in.\n")));
    expect(spec.versions[0].blobId).toBe(repo.git("rev-parse", `${c1}:specs/001-login/spec.md`));
    expect(spec.versions[0].authorName).toBe("Test Author");
    expect(spec.feature?.key).toBe("specs/001-sign-in");
    expect(specs[1].featureId).toBe(spec.featureId);
    expect(specs[0].deletedInCommit).toBe(c4);
    expect(specs[0].versionCount).toBe(1);

    // Search vectors and duplicate signatures are computed outside the transaction's
    // statements (a helper connection, texts kept while git was read): they must equal what
    // the database computes from the stored contents.
    expect(await vectorsAndSignatures(record.id)).toEqual([{ specs: 3, differing: 0, unsigned: 0 }]);
  });

  it("indexes every spec's current text, with or without a helper connection", async () => {
    // CLAUDE.md's only content is also an older version of AGENTS.md: the log names it there
    // first (newest first), so it may or may not be kept as CLAUDE.md's newest text.
    const repo = newRepo();
    const rules = `# Rules\n\nAlways run the tests (${randomName("x")}).\n`;
    repo.commit("claude", { "CLAUDE.md": rules });
    repo.commit("agents, a copy", { "AGENTS.md": rules });
    repo.commit("edit agents", { "AGENTS.md": "# Rules\n\nAlways run the linter.\n" });

    const withHelper = await register(repo.path);
    await importRepository({ repositoryId: withHelper.id });
    expect(await vectorsAndSignatures(withHelper.id)).toEqual([{ specs: 2, differing: 0, unsigned: 0 }]);

    // Without a helper connection (no DATABASE_URL for it), the transaction computes them.
    const url = process.env.DATABASE_URL;
    const alone = await register(repo.path);
    try {
      delete process.env.DATABASE_URL;
      await importRepository({ repositoryId: alone.id });
    } finally {
      process.env.DATABASE_URL = url;
    }
    expect(await vectorsAndSignatures(alone.id)).toEqual([{ specs: 2, differing: 0, unsigned: 0 }]);
  });

  it("is incremental: a second import reads only new commits, and an unchanged one changes nothing", async () => {
    const repo = newRepo();
    repo.commit("one", { "CLAUDE.md": "v1\n" });
    const record = await register(repo.path);
    await importRepository({ repositoryId: record.id });
    const first = await db.specVersion.count({ where: { spec: { repositoryId: record.id } } });

    const again = await importRepository({ repositoryId: record.id });
    expect(again).toMatchObject({ commitsScanned: 0, commitsWithSpecChanges: 0, versionsAdded: 0 });
    expect(await db.specVersion.count({ where: { spec: { repositoryId: record.id } } })).toBe(first);

    repo.commit("two", { "CLAUDE.md": "v2\n", "README.md": "not a spec\n" });
    repo.commit("three", { "README.md": "still not\n" });
    const next = await importRepository({ repositoryId: record.id });
    expect(next).toMatchObject({ commitsScanned: 2, commitsWithSpecChanges: 1, versionsAdded: 1, specsAdded: 0 });
    const spec = (await specsOf(record.id))[0];
    expect(spec.versions.map((v) => v.seq)).toEqual([1, 2]);
    expect(spec.currentHash).toBe(hashContent(Buffer.from("v2\n")));
  });

  it("counts every commit it reads apart from the commits that changed a recognised file", async () => {
    const repo = newRepo();
    repo.commit("code", { "src/a.ts": "1\n" });
    repo.commit("spec", { "specs/001-a/spec.md": "# A\n" });
    repo.commit("more code", { "src/a.ts": "2\n" });
    repo.commit("empty");
    repo.commit("edit spec and code", { "specs/001-a/spec.md": "# A\n\nMore.\n", "src/a.ts": "3\n" });
    const record = await register(repo.path);
    expect(await importRepository({ repositoryId: record.id })).toMatchObject({
      commitsScanned: 5,
      commitsWithSpecChanges: 2,
      versionsAdded: 2,
      specsAdded: 1,
    });

    // Commits that touch no recognised file are still read: not "up to date".
    repo.commit("code again", { "src/a.ts": "4\n" });
    repo.commit("readme", { "README.md": "hi\n" });
    repo.commit("code once more", { "src/a.ts": "5\n" });
    expect(await importRepository({ repositoryId: record.id })).toMatchObject({ commitsScanned: 3, commitsWithSpecChanges: 0, versionsAdded: 0 });
    expect(await importRepository({ repositoryId: record.id })).toMatchObject({ commitsScanned: 0, commitsWithSpecChanges: 0, versionsAdded: 0 });
  });

  it("says what it imported when every recognised file exists only in the history", async () => {
    const repo = newRepo();
    repo.commit("add spec", { "specs/001-a/spec.md": "# A\n", "AGENTS.md": "# Agents\n" });
    repo.commit("edit spec", { "specs/001-a/spec.md": "# A\n\nMore.\n" });
    repo.commit("drop them", { "specs/001-a/spec.md": null, "AGENTS.md": null, "src/a.ts": "1\n" });
    const record = await register(repo.path);
    const result = await importRepository({ repositoryId: record.id });
    expect(result).toMatchObject({ versionsAdded: 3, specsAdded: 2, specsDeleted: 2 });
    expect(result.warning).not.toMatch(/No recognised/);
    expect(result.warning).toBe(
      "Imported 3 versions of 2 files from the history of main, but none of them is on main now: all were deleted. They are listed among the deleted specs, with their history.",
    );
    const specs = await specsOf(record.id);
    expect(specs.map((s) => [s.path, s.deleted, s.versions.length])).toEqual([
      ["AGENTS.md", true, 1],
      ["specs/001-a/spec.md", true, 2],
    ]);

    // A later commit that adds a recognised file again ends the warning.
    repo.commit("back", { "CLAUDE.md": "# Claude\n" });
    expect((await importRepository({ repositoryId: record.id })).warning).toBeNull();
  });

  it("stores identical content once, across repositories", async () => {
    const text = `# Shared ${randomName()}\n`;
    const a = newRepo();
    a.commit("a", { "AGENTS.md": text });
    const b = newRepo();
    b.commit("b", { "docs/specs/shared.md": text });
    const ra = await register(a.path);
    const rb = await register(b.path);
    await importRepository({ repositoryId: ra.id });
    await importRepository({ repositoryId: rb.id });
    const hash = hashContent(Buffer.from(text));
    expect(await db.content.count({ where: { hash } })).toBe(1);
    expect(await db.specVersion.count({ where: { contentHash: hash } })).toBe(2);
  });

  it("skips binary, oversized and invalid UTF-8 files with a reason, and stores symlinks as their target", async () => {
    const repo = newRepo();
    repo.write({
      "specs/bin/spec.md": Buffer.from([0x23, 0x20, 0x00, 0x01, 0x02]),
      "specs/big/spec.md": "x".repeat(3000),
      "specs/latin1/spec.md": Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
      "specs/ok/spec.md": "# Fine\n",
    });
    repo.symlink("../../../../etc/passwd", "specs/link/spec.md");
    repo.commit("mixed bag");
    const record = await register(repo.path);
    const result = await importRepository({ repositoryId: record.id, maxFileBytes: 2000 });
    expect(result.filesSkipped).toBe(3);

    const skipped = await db.skippedFile.findMany({ where: { repositoryId: record.id }, orderBy: { path: "asc" } });
    expect(skipped.map((s) => [s.path, s.reason])).toEqual([
      ["specs/big/spec.md", "too-large"],
      ["specs/bin/spec.md", "binary"],
      ["specs/latin1/spec.md", "invalid-utf8"],
    ]);
    const specs = await specsOf(record.id);
    expect(specs.map((s) => s.path)).toEqual(["specs/link/spec.md", "specs/ok/spec.md"]);
    const link = specs[0].versions[0];
    expect(link.isSymlink).toBe(true);
    const content = await db.content.findUniqueOrThrow({ where: { hash: link.contentHash } });
    expect(content.text).toBe("../../../../etc/passwd");
  });

  it("imports only the default branch", async () => {
    const repo = newRepo();
    repo.commit("main", { "specs/a/spec.md": "main\n" });
    repo.git("checkout", "-q", "-b", "feature");
    repo.commit("feature", { "specs/a/spec.md": "feature\n", "specs/b/spec.md": "only on feature\n" });
    repo.git("checkout", "-q", "main");
    const record = await register(repo.path);
    await importRepository({ repositoryId: record.id });
    const specs = await specsOf(record.id);
    expect(specs.map((s) => s.path)).toEqual(["specs/a/spec.md"]);
    expect(specs[0].versions).toHaveLength(1);
  });

  it("reports a repository with no recognised files, and rejects a folder that is not a repository", async () => {
    const repo = newRepo();
    repo.commit("code only", { "src/main.ts": "1\n" });
    const record = await register(repo.path);
    const result = await importRepository({ repositoryId: record.id });
    expect(result.warning).toMatch(/No recognised spec or agent files on main/);

    const notRepo = await register(repo.path + "/src");
    await expect(importRepository({ repositoryId: notRepo.id })).rejects.toThrow(/is not a git repository/);
    const missing = await register("/definitely/not/here");
    await expect(importRepository({ repositoryId: missing.id })).rejects.toThrow(/No such directory/);
  });

  it("imports from a git URL through a mirror clone, and says why a bad URL fails", async () => {
    const repo = newRepo();
    repo.commit("one", { ".kiro/specs/cart/requirements.md": "# Cart\n" });
    const server = await serveGit([repo.path]);
    try {
      const record = await register(server.urlOf(repo.path));
      const result = await importRepository({ repositoryId: record.id });
      expect(result.versionsAdded).toBe(1);
      repo.commit("two", { ".kiro/specs/cart/requirements.md": "# Cart v2\n" });
      expect((await importRepository({ repositoryId: record.id })).versionsAdded).toBe(1);

      const bad = await register(`${server.base}/missing`);
      await expect(importRepository({ repositoryId: bad.id })).rejects.toThrow(/Could not clone/);
      // file:// reaches no git at all: it is refused before git runs.
      const local = await register(`file://${repo.path}`);
      await expect(importRepository({ repositoryId: local.id })).rejects.toThrow(/file:\/\/ URLs are not accepted/);
    } finally {
      server.stop();
    }
  });

  it("leaves nothing behind when the write fails half-way", async () => {
    const marker = randomName("boom").replace("-", "_");
    const repo = newRepo();
    repo.commit("one", { [`specs/${marker}/spec.md`]: `# ${marker}\n`, "AGENTS.md": `# ${randomName()}\n` });
    const record = await register(repo.path);
    // Sabotage only this test's rows: the version insert, which comes after contents,
    // features and specs are written, fails. Only the owner may add a trigger.
    await asOwner(async (owner) => {
      await owner.query(`CREATE FUNCTION ${marker}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW."path" LIKE '%${marker}%' THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END $$`);
      await owner.query(`CREATE TRIGGER ${marker} BEFORE INSERT ON "SpecVersion" FOR EACH ROW EXECUTE FUNCTION ${marker}()`);
    });
    try {
      await expect(importRepository({ repositoryId: record.id })).rejects.toThrow(/disk on fire/);
    } finally {
      await asOwner(async (owner) => {
        await owner.query(`DROP TRIGGER ${marker} ON "SpecVersion"`);
        await owner.query(`DROP FUNCTION ${marker}()`);
      });
    }
    expect(await db.spec.count({ where: { repositoryId: record.id } })).toBe(0);
    expect(await db.feature.count({ where: { repositoryId: record.id } })).toBe(0);
    expect((await db.repository.findUniqueOrThrow({ where: { id: record.id } })).headCommit).toBeNull();

    // The same import succeeds once the cause is gone.
    expect((await importRepository({ repositoryId: record.id })).versionsAdded).toBe(2);
  });

  it("refuses to change or delete versions and contents", async () => {
    const repo = newRepo();
    repo.commit("one", { "GEMINI.md": `# ${randomName()}\n` });
    const record = await register(repo.path);
    await importRepository({ repositoryId: record.id });
    const version = await db.specVersion.findFirstOrThrow({ where: { spec: { repositoryId: record.id } } });
    await expect(db.specVersion.update({ where: { id: version.id }, data: { path: "x" } })).rejects.toThrow(/immutable/);
    await expect(db.specVersion.delete({ where: { id: version.id } })).rejects.toThrow(/immutable/);
    await expect(db.content.delete({ where: { hash: version.contentHash } })).rejects.toThrow(/immutable/);
    // Specs stay, with their ids: versions check their references per statement (decision 002).
    await expect(db.spec.delete({ where: { id: version.specId } })).rejects.toThrow(/kept with their ids/);
    await expect(db.spec.update({ where: { id: version.specId }, data: { id: randomName() } })).rejects.toThrow(/kept with their ids/);
    await expect(db.spec.update({ where: { id: version.specId }, data: { deleted: true } })).resolves.toMatchObject({ deleted: true });
  });

  it("refuses a version whose content or spec is not stored, whatever the other rows of the statement", async () => {
    const repo = newRepo();
    repo.commit("one", { "GEMINI.md": `# ${randomName()}\n` });
    const record = await register(repo.path);
    await importRepository({ repositoryId: record.id });
    const version = await db.specVersion.findFirstOrThrow({ where: { spec: { repositoryId: record.id } } });
    const insert = (rows: { specId: string; seq: number; contentHash: string }[]) =>
      pgPool().query(
        `INSERT INTO "SpecVersion" (id, "specId", seq, "contentHash", "blobId", path, "commitSha", "authorName", "authorEmail", "committedAt")
         SELECT gen_random_uuid()::text, s, q, h, $4, $5, gen_random_uuid()::text, 'a', 'a@example.com', now() FROM unnest($1::text[], $2::int[], $3::text[]) AS t(s, q, h)`,
        [rows.map((r) => r.specId), rows.map((r) => r.seq), rows.map((r) => r.contentHash), version.blobId, version.path],
      );
    const missingHash = "0".repeat(64);
    await expect(
      insert([
        { specId: version.specId, seq: 100, contentHash: version.contentHash },
        { specId: version.specId, seq: 101, contentHash: missingHash },
      ]),
    ).rejects.toThrow(`SpecVersion names content ${missingHash} that is not stored`);
    await expect(insert([{ specId: "no-such-spec", seq: 1, contentHash: version.contentHash }])).rejects.toThrow(
      "SpecVersion names spec no-such-spec that does not exist",
    );
    // Through Prisma too (it reports the SQLSTATE as a foreign key violation).
    await expect(
      db.specVersion.create({
        data: {
          specId: version.specId,
          seq: 102,
          contentHash: missingHash,
          blobId: "b",
          path: "p",
          commitSha: "c",
          authorName: "a",
          authorEmail: "a@example.com",
          committedAt: new Date(),
        },
      }),
    ).rejects.toThrow(/Foreign key/);
    expect(await db.specVersion.count({ where: { specId: version.specId } })).toBe(1);
  });

  it("keeps identities through a rewritten history (force push) without duplicating versions", async () => {
    const repo = newRepo();
    const body = Array.from({ length: 30 }, (_, i) => `- requirement ${i}`).join("\n");
    repo.commit("one", { "specs/a/spec.md": `${body}\na1\n`, "CLAUDE.md": "c1\n", "GEMINI.md": "g1\n" });
    repo.commit("two", { "specs/a/spec.md": `${body}\na2\n` });
    repo.git("mv", "specs/a", "specs/b");
    repo.commit("rename", { "CLAUDE.md": null });
    const record = await register(repo.path);
    await importRepository({ repositoryId: record.id });
    const before = await specsOf(record.id);
    const specId = before.find((s) => s.path === "specs/b/spec.md")!.id;

    // Rewrite the last commit: keep the rename, drop GEMINI.md, edit the spec once more.
    repo.write({ "GEMINI.md": null, "specs/b/spec.md": `${body}\na3\n` });
    repo.git("add", "-A");
    repo.git("commit", "-q", "--amend", "-m", "rename, rewritten");
    const result = await importRepository({ repositoryId: record.id });
    expect(result.versionsAdded).toBe(1);

    const after = await specsOf(record.id);
    expect(after.map((s) => [s.path, s.deleted])).toEqual([
      ["CLAUDE.md", true],
      ["GEMINI.md", true],
      ["specs/b/spec.md", false],
    ]);
    const spec = after.find((s) => s.path === "specs/b/spec.md")!;
    expect(spec.id).toBe(specId);
    expect(spec.versions.map((v) => v.seq)).toEqual([1, 2, 3, 4]);
    expect(spec.versionCount).toBe(4);
    expect(spec.currentHash).toBe(hashContent(Buffer.from(`${body}\na3\n`)));
    // Another import of the same head changes nothing.
    expect((await importRepository({ repositoryId: record.id })).versionsAdded).toBe(0);
  });

  it("lets two imports of one repository take turns, writing the history once", async () => {
    const repo = newRepo();
    for (let i = 0; i < 5; i++) repo.commit(`c${i}`, { "specs/a/spec.md": `v${i}\n`, [`specs/f${i}/spec.md`]: `${i}\n` });
    const record = await register(repo.path);
    const results = await Promise.all([importRepository({ repositoryId: record.id }), importRepository({ repositoryId: record.id })]);
    expect(results.map((r) => r.versionsAdded).sort()).toEqual([0, 10]);
    expect(await db.specVersion.count({ where: { spec: { repositoryId: record.id } } })).toBe(10);
  });

  it("imports two repositories sharing contents at the same time without deadlocking", async () => {
    const shared = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`specs/s${i}/spec.md`, `# shared ${i} ${randomName()}\n`]));
    const a = newRepo();
    a.commit("a", shared);
    const b = newRepo();
    b.commit("b", Object.fromEntries(Object.entries(shared).reverse()));
    const [ra, rb] = await Promise.all([register(a.path), register(b.path)]);
    const results = await Promise.all([importRepository({ repositoryId: ra.id }), importRepository({ repositoryId: rb.id })]);
    expect(results.map((r) => r.versionsAdded)).toEqual([40, 40]);
    const hashes = Object.values(shared).map((t) => hashContent(Buffer.from(t)));
    expect(await db.content.count({ where: { hash: { in: hashes } } })).toBe(40);
  });

  it("does not make a version of a mode change", async () => {
    const repo = newRepo();
    repo.commit("one", { "AGENTS.md": "same\n" });
    repo.git("update-index", "--chmod=+x", "AGENTS.md");
    repo.git("commit", "-q", "-m", "chmod");
    const record = await register(repo.path);
    expect((await importRepository({ repositoryId: record.id })).versionsAdded).toBe(1);
  });

  it("replays the history when the kind rules change, so newly recognised files get theirs", async () => {
    const repo = newRepo();
    repo.commit("one", { "docs/adr/001.md": "# ADR 1\n", "AGENTS.md": "a\n" });
    repo.commit("two", { "docs/adr/001.md": "# ADR 1, accepted\n" });
    const record = await register(repo.path);
    await importRepository({ repositoryId: record.id });
    expect((await specsOf(record.id)).map((s) => s.path)).toEqual(["AGENTS.md"]);

    process.env.SPECLEDGER_KIND_RULES = JSON.stringify([{ kind: "spec", pattern: "docs/adr/*.md" }]);
    try {
      const replay = await importRepository({ repositoryId: record.id });
      expect(replay.versionsAdded).toBe(2);
    } finally {
      delete process.env.SPECLEDGER_KIND_RULES;
    }
    const adr = (await specsOf(record.id)).find((s) => s.path === "docs/adr/001.md")!;
    expect(adr.versions.map((v) => v.seq)).toEqual([1, 2]);

    // Back to the default rules: the ADR is no longer a recognised file at the head.
    expect((await importRepository({ repositoryId: record.id })).versionsAdded).toBe(0);
    const after = await specsOf(record.id);
    expect(after.map((s) => [s.path, s.deleted])).toEqual([
      ["AGENTS.md", false],
      ["docs/adr/001.md", true],
    ]);
    expect(after[0].versionCount).toBe(1);
  });

  it("assigns owners from the repository's CODEOWNERS, last match wins, and follows its changes", async () => {
    const repo = newRepo();
    repo.commit("one", {
      ".github/CODEOWNERS": "* @acme/platform\n/specs/ @acme/payments\nspecs/legacy/\n",
      CODEOWNERS: "* @ignored-because-github-reads-.github-first\n",
      "specs/a/spec.md": "a\n",
      "specs/legacy/spec.md": "old\n",
      "AGENTS.md": "x\n",
    });
    const record = await register(repo.path);
    await importRepository({ repositoryId: record.id });
    const owners = async () =>
      Object.fromEntries(
        (await db.spec.findMany({ where: { repositoryId: record.id, deleted: false }, include: { ownerRule: true } })).map((s) => [
          s.path,
          [s.owners, s.ownerRule?.pattern ?? null, s.ownerRule?.source ?? null],
        ]),
      );
    expect(await owners()).toEqual({
      "AGENTS.md": [["@acme/platform"], "*", "codeowners:.github/CODEOWNERS"],
      "specs/a/spec.md": [["@acme/payments"], "/specs/", "codeowners:.github/CODEOWNERS"],
      "specs/legacy/spec.md": [[], "specs/legacy/", "codeowners:.github/CODEOWNERS"],
    });

    repo.commit("hand specs to a person", { ".github/CODEOWNERS": "* @acme/platform\nspecs/a/ @dana\n" });
    await importRepository({ repositoryId: record.id });
    const after = await owners();
    expect(after["specs/a/spec.md"][0]).toEqual(["@dana"]);
    expect(after["specs/legacy/spec.md"][0]).toEqual(["@acme/platform"]);
    expect(await db.ownershipRule.count({ where: { repositoryId: record.id } })).toBe(2);
  });
});
