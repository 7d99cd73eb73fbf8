import { describe, expect, it } from "vitest";
import type { CommitRecord, FileChange } from "@/lib/git/log";
import { classifyPath } from "./kinds";
import { planHistory, type TrackedSpec } from "./history";

let counter = 0;
function commit(sha: string, changes: Partial<FileChange>[]): CommitRecord {
  return {
    sha,
    parents: [],
    authorName: "A",
    authorEmail: "a@example.com",
    committedAt: new Date("2026-01-01T00:00:00Z"),
    changes: changes.map((c) => ({
      status: "M",
      oldMode: "100644",
      newMode: "100644",
      oldBlob: "0".repeat(40),
      newBlob: `blob-${++counter}`,
      oldPath: c.path ?? "",
      path: "",
      ...c,
    })) as FileChange[],
  };
}

function plan(commits: CommitRecord[], live = new Map<string, TrackedSpec>()) {
  let id = 0;
  return planHistory({ commits, live, classify: (p) => classifyPath(p), newId: () => `new-${++id}` });
}

describe("planHistory", () => {
  it("records a version for each change of a recognised file and ignores others", () => {
    const result = plan([
      commit("c1", [
        { status: "A", path: "specs/001-a/spec.md" },
        { status: "A", path: "src/index.ts" },
      ]),
      commit("c2", [{ status: "M", path: "specs/001-a/spec.md" }]),
    ]);
    expect(result.versions.map((v) => [v.specId, v.commit.sha])).toEqual([
      ["new-1", "c1"],
      ["new-1", "c2"],
    ]);
    expect([...result.live.keys()]).toEqual(["specs/001-a/spec.md"]);
  });

  it("keeps a spec's identity across a rename and updates its path and kind", () => {
    const result = plan([
      commit("c1", [{ status: "A", path: "specs/002-refunds/spec.md" }]),
      commit("c2", [{ status: "R", oldPath: "specs/002-refunds/spec.md", path: "specs/002-refund-requests/spec.md" }]),
    ]);
    expect(new Set(result.versions.map((v) => v.specId))).toEqual(new Set(["new-1"]));
    expect(result.versions[1].path).toBe("specs/002-refund-requests/spec.md");
    expect(result.live.get("specs/002-refund-requests/spec.md")?.id).toBe("new-1");
    expect(result.live.has("specs/002-refunds/spec.md")).toBe(false);
  });

  it("ends a spec moved out of recognised paths and starts one moved in", () => {
    const result = plan([
      commit("c1", [
        { status: "A", path: "specs/001-a/spec.md" },
        { status: "A", path: "notes/b.md" },
      ]),
      commit("c2", [
        { status: "R", oldPath: "specs/001-a/spec.md", path: "archive/a.md" },
        { status: "R", oldPath: "notes/b.md", path: "AGENTS.md" },
      ]),
    ]);
    expect(result.deletions.map((d) => d.specId)).toEqual(["new-1"]);
    expect(result.live.get("AGENTS.md")?.kind).toBe("agent");
    expect(result.live.get("AGENTS.md")?.id).toBe("new-2");
  });

  it("marks deletions and gives a re-added path a new identity", () => {
    const result = plan([
      commit("c1", [{ status: "A", path: "CLAUDE.md" }]),
      commit("c2", [{ status: "D", path: "CLAUDE.md", newMode: "000000" }]),
      commit("c3", [{ status: "A", path: "CLAUDE.md" }]),
    ]);
    expect(result.deletions).toHaveLength(1);
    expect(result.deletions[0].specId).toBe("new-1");
    expect(result.live.get("CLAUDE.md")?.id).toBe("new-2");
  });

  it("continues specs that already exist and flags symlinks, skipping submodules", () => {
    const live = new Map<string, TrackedSpec>([["AGENTS.md", { id: "db-1", path: "AGENTS.md", kind: "agent", isNew: false }]]);
    const result = plan(
      [
        commit("c9", [
          { status: "T", path: "AGENTS.md", newMode: "120000" },
          { status: "A", path: "specs/vendor", newMode: "160000" },
        ]),
      ],
      live,
    );
    expect(result.versions).toHaveLength(1);
    expect(result.versions[0]).toMatchObject({ specId: "db-1", isSymlink: true });
    expect(result.touched.get("db-1")?.isNew).toBe(false);
  });

  it("versions a skill's bundled files only inside a folder with a SKILL.md, even listed before it", () => {
    const result = plan([
      commit("c1", [
        // git lists paths in byte order: README.md and assets/ come around SKILL.md.
        { status: "A", path: ".claude/skills/deploy/README.md" },
        { status: "A", path: ".claude/skills/deploy/SKILL.md" },
        { status: "A", path: ".claude/skills/deploy/scripts/run.sh" },
        // A skills/ folder without SKILL.md is somebody's code, not a skill.
        { status: "A", path: "src/skills/combat/attack.ts" },
        { status: "A", path: "skills/README.md" },
      ]),
      // Later commits find the skill among the live specs.
      commit("c2", [{ status: "A", path: ".claude/skills/deploy/references/api.md" }]),
      commit("c3", [{ status: "R", oldPath: ".claude/skills/deploy/scripts/run.sh", path: "src/skills/combat/run.sh" }]),
    ]);
    const kinds = [...result.live.values()].map((s) => [s.path, s.kind]).sort();
    expect(kinds).toEqual([
      [".claude/skills/deploy/README.md", "skill-file"],
      [".claude/skills/deploy/SKILL.md", "skill"],
      [".claude/skills/deploy/references/api.md", "skill-file"],
    ]);
    // Moved out of the skill folder, the script's spec ends.
    expect(result.deletions.map((d) => d.commit.sha)).toEqual(["c3"]);
  });
});
