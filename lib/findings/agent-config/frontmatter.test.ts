import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { simpleMapping, splitFrontmatter } from "./frontmatter";

/** What the YAML parser makes of the same lines, as splitFrontmatter reads them without the shortcut. */
function byYaml(lines: string[]): unknown {
  const doc = parseDocument(lines.join("\n"), { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) return "error";
  try {
    return doc.toJS({ maxAliasCount: 50 });
  } catch {
    return "error";
  }
}

// Front matter as agent files write it, and lines made to look simple while YAML reads them otherwise.
const CASES: string[][] = [
  ["name: code-review", "description: Reviews a pull request for bugs, style and tests.", "allowed-tools: Bash, Read"],
  ["description: Rule 1", 'globs: "src/m1/**/*.ts"'],
  ["applyTo: 'src/**/*.py,**/*.go'"],
  ["name: a1", "", "description: Agent's job is [to] {review} (all) files, 100% of them!", "model: sonnet"],
  ["description: trailing spaces   ", "name: x"],
  ['description: "quoted: with # and, commas"', "name: 'single # quoted: value'"],
  ["description: uses a: colon"],
  ["description: has # a comment"],
  ["enabled: true"],
  ["enabled: False"],
  ["value: null"],
  ["version: 1.0"],
  ["date: 2024-01-01"],
  ["name: x", "name: y"],
  ["name: x", "  nested: y"],
  ["tools:", "  - Bash"],
  ["description: >", "  folded"],
  ["name: *alias"],
  ["name: &anchor value"],
  ["name: !tag value"],
  ['name: "escaped \\" quote"'],
  ["name: 'it''s'"],
  ['name: "tab\there"'],
  ["key:value"],
  ["description: Yes"],
  ["description: on"],
  ["__proto__: x"],
  ["name: café ünïcode"],
  ["name: ~"],
  ["- item"],
  ["# a comment line", "name: x"],
];

describe("simpleMapping", () => {
  it.each(CASES.map((lines) => [lines.join(" | "), lines] as const))("reads %s as YAML does, or leaves it to YAML", (_, lines) => {
    const fast = simpleMapping(lines);
    if (fast !== null) expect(fast).toEqual(byYaml(lines));
  });

  it("takes the shortcut for the simple front matter most agent files have", () => {
    for (const lines of CASES.slice(0, 6)) expect(simpleMapping(lines), lines.join(" | ")).not.toBeNull();
  });

  it("leaves to YAML what is not a plain string field", () => {
    for (const lines of CASES.slice(6)) {
      const yaml = byYaml(lines);
      const allStrings = yaml !== "error" && typeof yaml === "object" && yaml !== null && Object.values(yaml).every((v) => typeof v === "string");
      // Only the cases YAML reads as plain strings may take the shortcut.
      if (!allStrings) expect(simpleMapping(lines), lines.join(" | ")).toBeNull();
    }
  });

  it("gives splitFrontmatter the same fields and lines either way", () => {
    const text = "---\nname: s1\ndescription: Skill 1.\n---\n# Body\n";
    const split = splitFrontmatter(text);
    expect(split.frontmatter).toEqual({
      kind: "ok",
      data: { name: "s1", description: "Skill 1." },
      startLine: 2,
      endLine: 3,
      lines: ["name: s1", "description: Skill 1."],
    });
    expect(split.bodyLine).toBe(5);
    // A repeated key still fails as YAML reports it.
    expect(splitFrontmatter("---\nname: a\nname: b\n---\n").frontmatter.kind).toBe("invalid");
  });
});
