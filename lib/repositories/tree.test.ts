import { describe, expect, it } from "vitest";
import { buildFileTree, importDuration, type GovernedFile } from "./tree";

const file = (path: string): GovernedFile => ({ id: path, path, kind: "spec", owners: [], review: "unreviewed", openFindings: 0 });

describe("buildFileTree", () => {
  it("nests files under their folders, sorted, and counts every file under each folder", () => {
    const tree = buildFileTree([file("specs/002-refunds/spec.md"), file("AGENTS.md"), file("specs/001-checkout/spec.md"), file("specs/001-checkout/plan.md")]);
    expect(tree.count).toBe(4);
    expect(tree.files.map((f) => f.name)).toEqual(["AGENTS.md"]);
    expect(tree.folders.map((f) => [f.name, f.count])).toEqual([["specs", 3]]);
    const specs = tree.folders[0];
    expect(specs.folders.map((f) => [f.path, f.count])).toEqual([
      ["specs/001-checkout", 2],
      ["specs/002-refunds", 1],
    ]);
    expect(specs.folders[0].files.map((f) => f.name)).toEqual(["plan.md", "spec.md"]);
  });

  it("collapses a chain of single folders into one node", () => {
    const tree = buildFileTree([file("docs/specs/deep/a.md"), file("docs/specs/deep/b.md")]);
    expect(tree.folders).toHaveLength(1);
    expect(tree.folders[0]).toMatchObject({ name: "docs/specs/deep", path: "docs/specs/deep", count: 2 });
  });

  it("is empty for no files", () => {
    expect(buildFileTree([])).toEqual({ name: "", path: "", folders: [], files: [], count: 0 });
  });
});

describe("importDuration", () => {
  it("says how long a finished import took, and nothing for one still running", () => {
    const t = new Date("2026-12-03T10:00:00Z");
    expect(importDuration(t, new Date(t.getTime() + 450))).toBe("450 ms");
    expect(importDuration(t, new Date(t.getTime() + 12_400))).toBe("12 s");
    expect(importDuration(t, new Date(t.getTime() + 125_000))).toBe("2 min 5 s");
    expect(importDuration(t, null)).toBeNull();
    expect(importDuration(null, t)).toBeNull();
  });
});
