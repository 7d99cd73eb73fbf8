// Precision and recall of the lint rules (agent files, and the spec rules since decision 050) on the labelled corpus (manifest.json beside
// this file): each rule's findings are compared with the labels by rule, line and subject.
// Pure apart from reading the fixtures; `npm run bench -- lint` prints the result.
import { readFileSync } from "node:fs";
import path from "node:path";
import { AGENT_CONFIG_RULE_IDS } from "../agent-config";
import { leafSpecs, lintFile, type LintConfig, DEFAULT_LINT_CONFIG, LINT_RULES } from "../lint";
import { brokenReferences } from "../references";
import { classifyPath, type SpecKind } from "@/lib/specs/kinds";

export interface CorpusLabel {
  rule: string;
  line: number | null;
  /** What the finding is about on that line (the resolved path of a reference); empty for lint rules. */
  subject?: string;
  /** True when a maintainer would fix it (an expected finding); false for a judged false alarm. */
  expected: boolean;
  why: string;
}

export interface CorpusFile {
  repo: string;
  path: string;
  kind: SpecKind;
  /** Added and labelled after the rules were tuned on the other files: a check against fitting them. */
  heldOut?: boolean;
  /**
   * The rules this file was labelled for: "agent-config" files (decision 040) are scored on the 13
   * agent-configuration rules only, "spec-lint" files (specs, plans, tasks, steering; decision 050) on
   * the spec rules only; without it, on every agent-file rule and broken references.
   */
  scope?: "agent-config" | "spec-lint";
  /**
   * Ranges of a live-looking credential (1-based line, 0-based columns, end excluded) that scripts/lint-corpus.mjs
   * scrambles letter for letter and digit for digit: the fixture keeps its shape, not its value (decision 028).
   */
  redact?: { line: number; start: number; end: number }[];
  labels: CorpusLabel[];
}

export interface CorpusManifest {
  repositories: { name: string; commit: string; gitignores?: Record<string, string> }[];
  files: CorpusFile[];
}

export interface Predicted {
  rule: string;
  line: number | null;
  subject: string;
  message: string;
}

const CORPUS = path.join(import.meta.dirname);

export function loadManifest(): CorpusManifest {
  return JSON.parse(readFileSync(path.join(CORPUS, "manifest.json"), "utf8")) as CorpusManifest;
}

const trees = new Map<string, Set<string>>();
export function treeOf(repo: string): Set<string> {
  if (!trees.has(repo)) {
    const text = readFileSync(path.join(CORPUS, "trees", `${repo.replace("/", "+")}.txt`), "utf8");
    trees.set(repo, new Set(text.split("\n").filter(Boolean)));
  }
  return trees.get(repo)!;
}

/** The repository's spec-kind paths at its pinned commit, as ids and paths for leafSpecs. */
function specPathsOf(repo: string): { id: string; path: string }[] {
  return [...treeOf(repo)].filter((p) => classifyPath(p) === "spec").map((p) => ({ id: p, path: p }));
}

export function fixtureText(file: { repo: string; path: string }): string {
  return readFileSync(path.join(CORPUS, "files", file.repo.replace("/", "+"), `${file.path}.fixture`), "utf8");
}

/** Every finding the agent-file rules and the broken-reference check report on one corpus file. */
export function predict(manifest: CorpusManifest, file: CorpusFile, config: LintConfig = DEFAULT_LINT_CONFIG): Predicted[] {
  const text = fixtureText(file);
  // The head tree lets agent-glob-no-match check globs against the repository's real files.
  // A spec with another spec below its folder is a parent, not a leaf, as the import's lint check reads it.
  const leaf = file.kind !== "spec" || leafSpecs(specPathsOf(file.repo)).has(file.path);
  const lint = lintFile({ path: file.path, kind: file.kind, text, tree: treeOf(file.repo), leaf }, config).map((i) => ({
    rule: i.rule,
    line: i.line,
    subject: "",
    message: i.message,
  }));
  if (file.scope === "agent-config") return lint.filter((p) => CONFIG_RULES.has(p.rule));
  if (file.scope === "spec-lint") return lint.filter((p) => SPEC_RULES.has(p.rule));
  const gitignores = manifest.repositories.find((r) => r.name === file.repo)?.gitignores ?? {};
  const refs = brokenReferences({ filePath: file.path, text, tree: treeOf(file.repo), gitignores }).broken.map((b) => ({
    rule: "broken-reference",
    line: b.ref.line,
    subject: b.ref.path,
    message: `${b.ref.written}: ${b.reason}`,
  }));
  return [...lint, ...refs];
}

const CONFIG_RULES: ReadonlySet<string> = new Set(AGENT_CONFIG_RULE_IDS);
const SPEC_RULES: ReadonlySet<string> = new Set(LINT_RULES.filter((r) => r.appliesTo === "spec").map((r) => r.id));

export const keyOf = (x: { rule: string; line: number | null; subject?: string }) => `${x.rule}:${x.line ?? "file"}:${x.subject ?? ""}`;

export interface RuleScore {
  rule: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Predicted findings nobody labelled yet (counted as false positives). */
  unlabelled: string[];
  precision: number | null;
  recall: number | null;
}

/** Per-rule precision and recall of the current rules against the labels. */
export function score(manifest: CorpusManifest = loadManifest(), config: LintConfig = DEFAULT_LINT_CONFIG, only?: (file: CorpusFile) => boolean): RuleScore[] {
  const byRule = new Map<string, RuleScore>();
  const entry = (rule: string) => {
    if (!byRule.has(rule)) byRule.set(rule, { rule, truePositives: 0, falsePositives: 0, falseNegatives: 0, unlabelled: [], precision: null, recall: null });
    return byRule.get(rule)!;
  };
  for (const file of only ? manifest.files.filter(only) : manifest.files) {
    const labels = new Map(file.labels.map((l) => [keyOf(l), l]));
    const predicted = predict(manifest, file, config);
    const seen = new Set<string>();
    for (const p of predicted) {
      const key = keyOf(p);
      seen.add(key);
      const label = labels.get(key);
      const s = entry(p.rule);
      if (label?.expected) s.truePositives++;
      else {
        s.falsePositives++;
        if (!label) s.unlabelled.push(`${file.repo} ${file.path}:${p.line ?? "-"} ${p.subject} ${p.message}`);
      }
    }
    for (const l of file.labels) if (l.expected && !seen.has(keyOf(l))) entry(l.rule).falseNegatives++;
  }
  for (const s of byRule.values()) {
    const predicted = s.truePositives + s.falsePositives;
    const actual = s.truePositives + s.falseNegatives;
    s.precision = predicted ? s.truePositives / predicted : null;
    s.recall = actual ? s.truePositives / actual : null;
  }
  return [...byRule.values()].sort((a, b) => a.rule.localeCompare(b.rule));
}
