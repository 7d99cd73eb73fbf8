import { describe, expect, it } from "vitest";
import { compileKindRules, DEFAULT_KIND_RULES } from "@/lib/specs/kinds";
import { governedBlobs } from "./record";

const classify = compileKindRules(DEFAULT_KIND_RULES);
const listing = (entries: [string, string][]) => entries.map(([path, blob]) => `100644 blob ${blob}\t${path}`).join("\0") + "\0";

describe("governedBlobs", () => {
  it("keeps governed files with paths verbatim (non-ASCII, spaces, tabs) and leaves ungoverned ones out", () => {
    const out = governedBlobs(
      listing([
        ["specs/café/spec.md", "a1"],
        ["specs/with\ttab/spec.md", "a2"],
        ["src/index.ts", "a3"],
        ["AGENTS.md", "a4"],
      ]) + "160000 commit b0\tvendor/sub\0",
      classify,
    );
    expect(out).toEqual([
      { path: "specs/café/spec.md", blob: "a1" },
      { path: "specs/with\ttab/spec.md", blob: "a2" },
      { path: "AGENTS.md", blob: "a4" },
    ]);
  });

  it("counts a skill's bundled file only where a SKILL.md is in the tree, as the import does", () => {
    const out = governedBlobs(
      listing([
        [".claude/skills/pdf/SKILL.md", "b1"],
        [".claude/skills/pdf/scripts/fill.py", "b2"],
        ["src/skills/parser/index.ts", "b3"],
      ]),
      classify,
    );
    expect(out.map((e) => e.path)).toEqual([".claude/skills/pdf/SKILL.md", ".claude/skills/pdf/scripts/fill.py"]);
  });
});
