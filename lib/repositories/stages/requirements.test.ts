import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { importFailure, importRepository } from "../import";
import type { VersionRow } from "@/lib/specs/history";
import { mayHoldRequirements, replayRequirements } from "./requirements";

const repos: TestRepo[] = [];
function newRepo() {
  const repo = TestRepo.create();
  repos.push(repo);
  return repo;
}
afterAll(() => repos.forEach((r) => r.remove()));

async function imported(repo: TestRepo) {
  const row = await db.repository.create({ data: { name: randomName("repo"), source: repo.path } });
  await importRepository({ repositoryId: row.id });
  return row.id;
}

async function requirementsOf(repositoryId: string) {
  return db.requirement.findMany({
    where: { spec: { repositoryId } },
    include: { occurrences: { orderBy: { seq: "asc" } } },
    orderBy: [{ removed: "asc" }, { line: "asc" }],
  });
}

const SPEC = "specs/001-login/spec.md";

describe("the requirements stage of the import", () => {
  it("writes each requirement once with its history across versions, in one import and then incrementally", async () => {
    const repo = newRepo();
    repo.commit("v1", { [SPEC]: "# Login\n\n- **FR-001**: Users MUST sign in with a password.\n- **FR-002**: Users MUST be able to reset it.\n" });
    repo.commit("v2", {
      [SPEC]:
        "# Login\n\n- **FR-002**: Users MUST be able to reset their password by email.\n- **FR-001**: Users MUST sign in with a password.\n\nWHEN a sign-in fails five times THE login service SHALL lock the account for 15 minutes.\n",
    });
    const repositoryId = await imported(repo);
    let reqs = await requirementsOf(repositoryId);
    expect(reqs.map((r) => [r.key, r.addedSeq, r.changedSeq, r.removed])).toEqual([
      ["FR-002", 1, 2, false],
      ["FR-001", 1, 1, false],
      [null, 2, 2, false],
    ]);
    expect(reqs[0].occurrences.map((o) => [o.seq, o.event])).toEqual([
      [1, "added"],
      [2, "changed"],
    ]);

    repo.commit("v3", {
      [SPEC]:
        "# Login\n\n- **FR-001**: Users MUST sign in with a password.\n\nWHEN a sign-in fails five times THE login service SHALL lock the account for 30 minutes.\n",
    });
    await importRepository({ repositoryId });
    reqs = await requirementsOf(repositoryId);
    expect(reqs.map((r) => [r.key, r.changedSeq, r.removed, r.removedSeq])).toEqual([
      ["FR-001", 1, false, null],
      [null, 3, false, null],
      ["FR-002", 3, true, 3],
    ]);
    const ears = reqs[1];
    expect(ears.occurrences.map((o) => o.event)).toEqual(["added", "changed"]);
    expect(ears.confidence).toBeGreaterThan(0.5);
    expect(ears.confidence).toBeLessThan(1);
  });

  it("records test mentions with the commit that last changed each test file, and rescans only changed test files", async () => {
    const repo = newRepo();
    repo.commit("spec", { [SPEC]: "- **FR-001**: Users MUST sign in.\n- **FR-002**: Users MUST sign out.\n" });
    const testCommit = repo.commit("tests", {
      "test/login.test.ts": 'it("FR-001 signs in", () => {});\n// @req FR-002\n',
      "docs/notes.md": "FR-001 is not a test\n",
      "src/login.ts": "// FR-001\n",
    });
    const repositoryId = await imported(repo);
    const mentions = async () =>
      (await db.testMention.findMany({ where: { repositoryId }, orderBy: [{ path: "asc" }, { line: "asc" }] })).map((m) => [
        m.path,
        m.line,
        m.key,
        m.how,
        m.testCommit,
      ]);
    expect(await mentions()).toEqual([
      ["test/login.test.ts", 1, "FR-001", "mention", testCommit],
      ["test/login.test.ts", 2, "FR-002", "annotation", testCommit],
    ]);
    const second = repo.commit("more tests", {
      "tests/test_logout.py": "def test_req_13():\n    # REQ-13\n    pass\n",
      "test/login.test.ts": 'it("FR-001 signs in", () => {});\n',
    });
    await importRepository({ repositoryId });
    expect(await mentions()).toEqual([
      ["test/login.test.ts", 1, "FR-001", "mention", second],
      ["tests/test_logout.py", 2, "REQ-13", "mention", second],
    ]);
  });

  it("streams git grep: a huge minified one-line test fixture yields the ids in its first kilobytes, and the other files their links", async () => {
    const repo = newRepo();
    repo.commit("spec", { [SPEC]: "- **FR-001**: Users MUST sign in.\n- **FR-002**: Users MUST sign out.\n" });
    repo.commit("tests", {
      // 4 MB on one line: FR-001 at its start, FR-002 at its end, far past what the scan keeps of a line.
      "tests/fixtures/bundle.min.js": `/* FR-001 */${"var a=1;".repeat(512 * 1024)}/* FR-002 */`,
      "tests/logout.test.ts": "// @req FR-002\n",
    });
    const repositoryId = await imported(repo);
    const mentions = await db.testMention.findMany({ where: { repositoryId }, orderBy: [{ path: "asc" }, { line: "asc" }] });
    expect(mentions.map((m) => [m.path, m.line, m.key, m.how])).toEqual([
      ["tests/fixtures/bundle.min.js", 1, "FR-001", "mention"],
      ["tests/logout.test.ts", 1, "FR-002", "annotation"],
    ]);
  });

  it("records [@test path] links written in the spec: found ones with the test's last commit, a path missing at that commit reported as missing", async () => {
    const repo = newRepo();
    const testCommit = repo.commit("tests", { "tests/login.test.ts": "it('signs in', () => {});\n", "tests/suite/a.test.ts": "x\n" });
    const specCommit = repo.commit("spec", {
      [SPEC]: [
        "- **FR-001**: Users MUST sign in. [@test tests/login.test.ts]",
        "- **FR-002**: Users MUST sign out. [@test tests/logout.test.ts] [@test ../../etc/passwd]",
        "- **FR-003**: Sessions MUST expire. [@test tests/suite/]",
        "",
      ].join("\n"),
    });
    const repositoryId = await imported(repo);
    const links = async () =>
      (
        await db.requirementTestLink.findMany({ where: { requirement: { spec: { repositoryId } } }, include: { requirement: true }, orderBy: { path: "asc" } })
      ).map((l) => [l.requirement.key, l.path, l.missing, l.testCommit]);
    expect(await links()).toEqual([
      ["FR-002", "../../etc/passwd", true, null],
      ["FR-001", "tests/login.test.ts", false, testCommit],
      ["FR-002", "tests/logout.test.ts", true, null],
      ["FR-003", "tests/suite/", false, testCommit],
    ]);
    // The link is not part of the text: the requirement reads as written, without it.
    const reqs = await requirementsOf(repositoryId);
    expect(reqs[0].text).toBe("FR-001: Users MUST sign in.");
    expect(reqs[0].changedSeq).toBe(1);
    expect(specCommit).not.toBe(testCommit);

    // The missing test is added and the link fixed in the next version: links follow the newest version.
    repo.commit("logout test", { "tests/logout.test.ts": "it('signs out', () => {});\n" });
    repo.commit("spec v2", { [SPEC]: "- **FR-001**: Users MUST sign in.\n- **FR-002**: Users MUST sign out. [@test tests/logout.test.ts]\n" });
    await importRepository({ repositoryId });
    expect((await links()).map(([key, path, missing]) => [key, path, missing])).toEqual([["FR-002", "tests/logout.test.ts", false]]);
  });

  it("survives reused ids, binary specs and a history row that someone tries to edit or delete", async () => {
    const repo = newRepo();
    repo.commit("odd", {
      [SPEC]: "- FR-001: one\n- FR-001: one reused\n",
      "specs/002-bin/spec.md": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x46, 0x52, 0x2d, 0x31]),
    });
    const repositoryId = await imported(repo);
    const reqs = await requirementsOf(repositoryId);
    expect(reqs.map((r) => r.key)).toEqual(["FR-001", "FR-001"]);
    await expect(pgPool().query(`UPDATE "RequirementOccurrence" SET text = 'x' WHERE "requirementId" = $1`, [reqs[0].id])).rejects.toThrow(/immutable/);
    await expect(pgPool().query(`DELETE FROM "RequirementOccurrence" WHERE "requirementId" = $1`, [reqs[0].id])).rejects.toThrow(/immutable/);
  });
});

describe("the byte check before a spec is decoded for requirements", () => {
  it("agrees with the text: ids, SHALL and Kiro headings next to multi-byte characters are found, look-alikes are not", () => {
    const cases: Array<[string, boolean]> = [
      ["- **FR-001**: Les utilisateurs doivent pouvoir se connecter — même hors ligne.", true],
      ["日本語の要件 REQ-12 です", true],
      ["WHEN ☃ arrives THE SYSTEM SHALL melt it", true],
      ["### Requirement 1: Über-Anmeldung", true],
      ["ＳＨＡＬＬ in full width, FR‑001 with a non-breaking hyphen", false],
      ["# Notes\n\nNothing here but prose, FR-x and SC-.\n", false],
    ];
    for (const [text, expected] of cases) expect([text, mayHoldRequirements(Buffer.from(text, "utf8"))]).toEqual([text, expected]);
  });
});

describe("a replay whose own read fails", () => {
  it("keeps the failure for the import to report, instead of the 'transaction aborted' the next statement would give", async () => {
    const client = await pgPool().connect();
    client.release(true); // closed: every query on it fails, as a read cut off by a dropped connection would
    const spec = {
      id: randomName("spec"),
      path: SPEC,
      kind: "spec" as const,
      deleted: false,
      deletedAt: null,
      deletedInCommit: null,
      currentHash: "h",
      versionCount: 1,
      isNew: false,
    };
    const version = { specId: spec.id, seq: 1, contentHash: "h", version: { commit: { sha: "c", committedAt: new Date() } } } as unknown as VersionRow;
    const replay = replayRequirements(client, { specs: [spec], versions: [version], textOf: () => "- **FR-001**: Users MUST sign in." });
    await expect(replay.finish()).rejects.toThrow();
    expect(replay.failure()).toBeInstanceOf(Error);
    replay.cancel();
  });
});

describe("what a failed import reports", () => {
  it("is the replay's read error when the import's statement failed only because that read had aborted the transaction, and the import's own error otherwise", async () => {
    const client = await pgPool().connect();
    try {
      await client.query("BEGIN");
      const cause = await client.query("SELECT 1 / 0").catch((e: unknown) => e);
      const aborted = await client.query("SELECT 1").catch((e: unknown) => e);
      await client.query("ROLLBACK");
      expect((cause as { code: string }).code).toBe("22012");
      expect((aborted as { code: string }).code).toBe("25P02");
      expect(importFailure(aborted, cause)).toBe(cause);
      // The import's own failure stays its own, whatever the replay's read met afterwards (a closed connection).
      const own = await client.query("SELECT * FROM no_such_table_here").catch((e: unknown) => e);
      expect(importFailure(own, new Error("Connection terminated"))).toBe(own);
      expect(importFailure(aborted, undefined)).toBe(aborted);
    } finally {
      client.release();
    }
  });
});
