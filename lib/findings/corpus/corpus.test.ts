import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LINT_RULE_IDS } from "../lint";
import { keyOf, loadManifest, score } from "./evaluate";
import { PRECISION_TARGET, lintBenchReport } from "./report";

const manifest = loadManifest();

describe("the lint corpus", () => {
  it("pins every file to a repository and commit, with its fixture and tree on disk", () => {
    const repos = new Map(manifest.repositories.map((r) => [r.name, r]));
    expect(manifest.files.length).toBeGreaterThanOrEqual(40);
    for (const file of manifest.files) {
      const repo = repos.get(file.repo);
      expect(repo?.commit, file.repo).toMatch(/^[0-9a-f]{40}$/);
      expect(existsSync(path.join(import.meta.dirname, "files", file.repo.replace("/", "+"), `${file.path}.fixture`)), file.path).toBe(true);
      expect(existsSync(path.join(import.meta.dirname, "trees", `${file.repo.replace("/", "+")}.txt`))).toBe(true);
    }
  });

  it("labels only known rules, once per finding, each with a reason", () => {
    const rules = new Set<string>([...LINT_RULE_IDS, "broken-reference"]);
    for (const file of manifest.files) {
      const keys = file.labels.map(keyOf);
      expect(new Set(keys).size, file.path).toBe(keys.length);
      for (const label of file.labels) {
        expect(rules.has(label.rule), label.rule).toBe(true);
        expect(label.why.length).toBeGreaterThan(10);
      }
    }
  });

  it("has a judged example, true or false, for every agent-file rule that is on by default", () => {
    const labelled = new Set(manifest.files.flatMap((f) => f.labels.map((l) => l.rule)));
    for (const rule of ["agent-instruction-count", "agent-too-long", "agent-task-specific", "broken-reference"]) expect(labelled.has(rule), rule).toBe(true);
  });

  it("labels real files for the agent-configuration rules: each rule that fired on the mirrored repositories, and clean files of every kind (decisions 040, 028)", () => {
    const scoped = manifest.files.filter((f) => f.scope === "agent-config");
    const labelled = new Set(scoped.flatMap((f) => f.labels.map((l) => l.rule)));
    for (const rule of [
      "agent-dangerous-grant",
      "agent-field-format",
      "agent-frontmatter-yaml",
      "agent-glob-no-match",
      "agent-mcp-unpinned",
      "agent-misplaced-field",
      "agent-required-field",
      "agent-unclosed-fence",
    ]) {
      expect(labelled.has(rule), rule).toBe(true);
    }
    for (const kind of ["skill", "subagent", "prompt", "tool-config", "agent"] as const) {
      expect(scoped.filter((f) => f.kind === kind && f.labels.length === 0).length, kind).toBeGreaterThanOrEqual(2);
    }
    // False alarms judged before the fixes stay in the corpus, so a regression shows as a false positive.
    expect(scoped.flatMap((f) => f.labels).filter((l) => !l.expected).length).toBeGreaterThanOrEqual(19);
  });

  it("labels real specs, plans, tasks and steering files for the spec rules, the false alarms judged before the fixes included (decision 050)", () => {
    const scoped = manifest.files.filter((f) => f.scope === "spec-lint");
    const labels = scoped.flatMap((f) => f.labels);
    expect(labels.filter((l) => l.rule === "spec-too-many-tokens" && l.expected).length).toBeGreaterThanOrEqual(3);
    for (const rule of ["spec-too-many-tokens", "spec-needs-clarification", "spec-ears-unparsed"]) {
      expect(labels.filter((l) => l.rule === rule && !l.expected).length, rule).toBeGreaterThanOrEqual(2);
    }
    for (const kind of ["spec", "plan", "tasks", "steering"] as const)
      expect(
        scoped.some((f) => f.kind === kind),
        kind,
      ).toBe(true);
  });

  it("every finding the rules report today is labelled, so the figures are not guessed", () => {
    const unlabelled = score(manifest).flatMap((s) => s.unlabelled);
    expect(unlabelled).toEqual([]);
  });

  it(`keeps every rule that is on by default at warning or error at ${PRECISION_TARGET} precision or more`, () => {
    const { failing, lines } = lintBenchReport();
    expect(failing, lines.join("\n")).toEqual([]);
  });
});
