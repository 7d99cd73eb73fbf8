import { describe, expect, it } from "vitest";
import type { CommitRecord, FileChange } from "@/lib/git/log";
import { compileKindRules, kindRulesFromEnv } from "@/lib/specs/kinds";
import { planVersions, type StoredHistory } from "./plan-versions";

const classify = compileKindRules(kindRulesFromEnv());
const blob = (n: number) => n.toString(16).padStart(40, "0");
const hash = (n: number) => `h${n}`;

function change(status: FileChange["status"], path: string, newBlob: number, oldPath = path): FileChange {
  return {
    status,
    oldMode: "100644",
    newMode: status === "D" ? "000000" : "100644",
    oldBlob: blob(0),
    newBlob: status === "D" ? blob(0) : blob(newBlob),
    oldPath,
    path,
  };
}
function commit(n: number, changes: FileChange[]): CommitRecord {
  return { sha: `c${n}`.padEnd(40, "0"), parents: [], authorName: "A", authorEmail: "a@example.com", committedAt: new Date(Date.UTC(2026, 0, n)), changes };
}
const nothingStored: StoredHistory = { specs: [], known: new Map() };
let ids = 0;
const newId = () => `spec-${++ids}`;

describe("planVersions", () => {
  it("plans a first import: one spec per file, versions sorted by spec then seq, skipped blobs listed once", () => {
    const commits = [
      commit(1, [change("A", "specs/b/spec.md", 1), change("A", "AGENTS.md", 2)]),
      commit(2, [change("M", "specs/b/spec.md", 3), change("M", "AGENTS.md", 4)]),
      commit(3, [change("M", "AGENTS.md", 4)]),
    ];
    const blobHash = new Map([
      [blob(1), hash(1)],
      [blob(2), hash(2)],
      [blob(3), hash(3)],
    ]);
    const skipped = new Map([[blob(4), { reason: "binary", detail: "NUL byte" }]]);
    const plan = planVersions({ history: { commits, blobHash, skipped }, stored: nothingStored, incremental: false, head: commits[2].sha, classify, newId });

    expect(plan.specs.map((s) => [s.path, s.isNew, s.versionCount, s.currentHash])).toEqual([
      ["specs/b/spec.md", true, 2, hash(3)],
      ["AGENTS.md", true, 1, hash(2)],
    ]);
    const order = plan.versions.map((v) => [v.specId, v.seq]);
    expect(order).toEqual([...order].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : Number(a[1]) - Number(b[1]))));
    expect(plan.versions).toHaveLength(3);
    // The skipped blob is named twice in the history and listed once, at its first commit.
    expect(plan.skips).toEqual([{ path: "AGENTS.md", blobId: blob(4), commitSha: commits[1].sha, reason: "binary", detail: "NUL byte" }]);
  });

  it("continues stored specs on an incremental import, numbering after their highest version", () => {
    const stored: StoredHistory = {
      specs: [{ id: "stored-1", path: "CLAUDE.md", kind: "agent", deleted: false, versionCount: 2, maxSeq: 2, currentHash: hash(9) }],
      known: new Map(),
    };
    const commits = [commit(5, [change("M", "CLAUDE.md", 5)])];
    const plan = planVersions({
      history: { commits, blobHash: new Map([[blob(5), hash(5)]]), skipped: new Map() },
      stored,
      incremental: true,
      head: commits[0].sha,
      classify,
      newId,
    });
    expect(plan.specs.map((s) => [s.id, s.isNew, s.versionCount, s.currentHash])).toEqual([["stored-1", false, 3, hash(5)]]);
    expect(plan.versions.map((v) => [v.specId, v.seq, v.contentHash])).toEqual([["stored-1", 3, hash(5)]]);
  });

  it("writes nothing already stored when a rewritten history is replayed, and ends stored specs it no longer has", () => {
    const c1 = commit(1, [change("A", "GEMINI.md", 1), change("A", "CLAUDE.md", 2)]);
    const stored: StoredHistory = {
      specs: [
        { id: "g", path: "GEMINI.md", kind: "agent", deleted: false, versionCount: 1, maxSeq: 1, currentHash: hash(1) },
        { id: "c", path: "CLAUDE.md", kind: "agent", deleted: false, versionCount: 1, maxSeq: 1, currentHash: hash(2) },
        { id: "gone", path: "AGENTS.md", kind: "agent", deleted: false, versionCount: 1, maxSeq: 1, currentHash: hash(3) },
      ],
      known: new Map([
        [`GEMINI.md ${c1.sha}`, "g"],
        [`g ${c1.sha}`, ""],
        [`CLAUDE.md ${c1.sha}`, "c"],
        [`c ${c1.sha}`, ""],
      ]),
    };
    const history = {
      commits: [c1],
      blobHash: new Map([
        [blob(1), hash(1)],
        [blob(2), hash(2)],
      ]),
      skipped: new Map(),
    };
    const plan = planVersions({ history, stored, incremental: false, head: c1.sha, classify, newId });
    expect(plan.versions).toEqual([]);
    expect(plan.specs.find((s) => s.id === "gone")).toMatchObject({ deleted: true, deletedInCommit: c1.sha });
    expect(plan.specs.filter((s) => s.isNew)).toEqual([]);
  });

  it("leaves out a new file whose only content was skipped", () => {
    const commits = [commit(1, [change("A", "AGENTS.md", 7)])];
    const plan = planVersions({
      history: { commits, blobHash: new Map(), skipped: new Map([[blob(7), { reason: "too-large", detail: "big" }]]) },
      stored: nothingStored,
      incremental: false,
      head: commits[0].sha,
      classify,
      newId,
    });
    expect(plan.specs).toEqual([]);
    expect(plan.versions).toEqual([]);
    expect(plan.skips.map((s) => s.reason)).toEqual(["too-large"]);
  });
});
