import { describe, expect, it } from "vitest";
import { fixtureText } from "./corpus/evaluate";
import { fixFile } from "./fix";
import { lintFile } from "./lint";

const rulesOf = (file: { path: string; kind: "skill" | "agent"; text: string }) => lintFile(file).map((i) => i.rule);

describe("fixFile", () => {
  it("moves a SKILL.md's version under metadata in a real skill, and is idempotent", () => {
    // wshobson/agents at the corpus commit: `version: 1.0.2` beside name and description.
    const path = "plugins/agent-teams/skills/multi-reviewer-patterns/SKILL.md";
    const text = fixtureText({ repo: "wshobson/agents", path });
    expect(rulesOf({ path, kind: "skill", text })).toContain("agent-misplaced-field");
    const fixed = fixFile({ path, kind: "skill", text });
    expect(fixed.changes).toEqual(["moved version under metadata"]);
    expect(rulesOf({ path, kind: "skill", text: fixed.text })).not.toContain("agent-misplaced-field");
    expect(fixed.text).toMatch(/\nmetadata:\n {2}version: "[^"]+"\n---\n/);
    // Only the front matter changed: the body is byte for byte the same.
    expect(fixed.text.slice(fixed.text.indexOf("\n---\n", 4))).toBe(text.slice(text.indexOf("\n---\n", 4)));
    expect(fixFile({ path, kind: "skill", text: fixed.text })).toEqual({ text: fixed.text, changes: [] });
  });

  it("leaves a name that breaks the format alone: the right name is the author's choice", () => {
    // anthropics/claude-code plugin-dev: `name: Skill Development` and `version: 0.1.0`.
    const path = "plugins/plugin-dev/skills/skill-development/SKILL.md";
    const text = fixtureText({ repo: "anthropics/claude-code", path });
    const fixed = fixFile({ path, kind: "skill", text });
    expect(fixed.changes).toEqual(["moved version under metadata"]);
    expect(rulesOf({ path, kind: "skill", text: fixed.text })).toContain("agent-field-format");
  });

  it("moves a value as written: 1.0, 0x1F and 1e3 stay the text the author wrote", () => {
    for (const written of ["1.0", "1.10", "0x1F", "1e3", "010", "'quoted # not a comment'"]) {
      const text = `---\nname: a\ndescription: b\nversion: ${written} # a comment\n---\nBody\n`;
      const fixed = fixFile({ path: "skills/a/SKILL.md", kind: "skill", text });
      const expected = written.startsWith("'") ? written.slice(1, -1) : written;
      expect(fixed.text).toContain(`metadata:\n  version: ${JSON.stringify(expected)}\n---`);
    }
  });

  it("does not merge into a metadata block written by hand, nor move another tool's field", () => {
    const withMetadata = "---\nname: a\ndescription: b\nversion: 1\nmetadata:\n  author: x\n---\nBody\n";
    expect(fixFile({ path: "skills/a/SKILL.md", kind: "skill", text: withMetadata })).toEqual({ text: withMetadata, changes: [] });
    const globs = "---\nname: a\ndescription: b\nglobs: '*.ts'\n---\nBody\n";
    expect(fixFile({ path: "skills/a/SKILL.md", kind: "skill", text: globs }).changes).toEqual([]);
    const nested = "---\nname: a\ndescription: b\ntags:\n  - x\n---\nBody\n";
    expect(fixFile({ path: "skills/a/SKILL.md", kind: "skill", text: nested }).changes).toEqual([]);
  });

  it("quotes an unquoted glob in a Copilot instructions file, keeping CRLF line ends, and only when the result parses", () => {
    // github/awesome-copilot instructions/coldfusion-cfc.instructions.md, its applyTo written unquoted.
    const path = "instructions/coldfusion-cfc.instructions.md";
    const real = fixtureText({ repo: "github/awesome-copilot", path });
    const text = real.replace(/^applyTo: .*$/m, "applyTo: **/*.cfc");
    expect(rulesOf({ path, kind: "agent", text })).toContain("agent-frontmatter-yaml");
    const fixed = fixFile({ path, kind: "agent", text });
    expect(fixed.changes).toEqual(["line 3: quoted the glob **/*.cfc"]);
    expect(fixed.text).toBe(real);
    expect(rulesOf({ path, kind: "agent", text: fixed.text })).not.toContain("agent-frontmatter-yaml");
    expect(fixFile({ path, kind: "agent", text: fixed.text }).changes).toEqual([]);
    const crlf = fixFile({ path: "py.instructions.md", kind: "agent", text: "---\r\napplyTo: **/*.py\r\n---\r\nUse ruff.\r\n" });
    expect(crlf.text).toBe('---\r\napplyTo: "**/*.py"\r\n---\r\nUse ruff.\r\n');
    // Broken for another reason too: quoting alone would not make it readable, so nothing changes.
    const broken = "---\napplyTo: **/*.py\nname: [a\n---\n";
    expect(fixFile({ path: "py.instructions.md", kind: "agent", text: broken })).toEqual({ text: broken, changes: [] });
  });

  it("leaves a Cursor rule's bare glob as written: Cursor documents it so and would match a quoted one with its quotes", () => {
    // triggerdotdev/trigger.dev .cursor/rules/writing-tasks.mdc at the corpus commit (decision 028).
    const path = ".cursor/rules/writing-tasks.mdc";
    const text = fixtureText({ repo: "triggerdotdev/trigger.dev", path });
    expect(text).toMatch(/^globs: \*\*\/trigger\//m);
    expect(rulesOf({ path, kind: "agent", text })).not.toContain("agent-frontmatter-yaml");
    expect(fixFile({ path, kind: "agent", text })).toEqual({ text, changes: [] });
  });
});
