// `specledger lint` on a working tree (decision 040): the same rules the import runs (lint rules,
// agent-configuration rules, broken references), silenced the same way (inline comments and
// .specledger.yml), over files read from disk. Pure: the CLI walks the folder and reads the files.
import type { SpecKind } from "@/lib/specs/kinds";
import { DEFAULT_LINT_CONFIG, type LintConfig, type Severity, lintFile } from "./lint";
import { brokenReferences } from "./references";
import { type RepoConfig, silencedByRepo } from "./suppress";

export interface LocalFile {
  /** Repository-relative, with forward slashes. */
  path: string;
  kind: SpecKind;
  text: string;
}

export interface LocalFinding {
  path: string;
  kind: SpecKind;
  rule: string;
  severity: Severity;
  /** 1-based, or null for the whole file. */
  line: number | null;
  message: string;
  suggestion: string;
  /** What made the rule fire (the line, or the figure); empty when it would reveal a secret. */
  matched: string;
}

export interface LocalLintInput {
  files: readonly LocalFile[];
  /** Every file and folder of the working tree that git would not ignore. */
  tree: ReadonlySet<string>;
  /** `.gitignore` texts by folder ("" is the root), for the broken-reference check. */
  gitignores: Readonly<Record<string, string>>;
  repoConfig: RepoConfig;
  config?: LintConfig;
}

// The import checks references in Markdown-like files only (lib/findings/checks/references.ts).
const TEXT_FILE = /\.(?:md|mdc|markdown|txt)$|(?:^|\/)\.(?:cursorrules|windsurfrules)$/;

/** localeCompare's order, from one collator instead of one per comparison (a tenth of the lint's time on 500 files). */
export const comparePaths = new Intl.Collator().compare;

/** Every finding on the given files, ordered by path and line. */
export function lintWorkingTree(input: LocalLintInput): LocalFinding[] {
  const config = input.config ?? DEFAULT_LINT_CONFIG;
  const findings: LocalFinding[] = [];
  for (const file of input.files) {
    for (const issue of lintFile({ path: file.path, kind: file.kind, text: file.text, tree: input.tree }, config)) {
      if (silencedByRepo(input.repoConfig, issue.rule, file.path)) continue;
      findings.push({ path: file.path, kind: file.kind, ...pick(issue) });
    }
    if (!TEXT_FILE.test(file.path) || silencedByRepo(input.repoConfig, "broken-reference", file.path)) continue;
    for (const { ref, reason } of brokenReferences({ filePath: file.path, text: file.text, tree: input.tree, gitignores: input.gitignores }).broken) {
      findings.push({
        path: file.path,
        kind: file.kind,
        rule: "broken-reference",
        severity: "warning",
        line: ref.line,
        message: `${ref.written} names a path that does not exist. ${reason}`,
        suggestion: "Fix the path, or silence it with <!-- specledger-disable-next-line broken-reference --> if it is right.",
        matched: ref.written,
      });
    }
  }
  return findings.sort((a, b) => comparePaths(a.path, b.path) || (a.line ?? 0) - (b.line ?? 0));
}

function pick(issue: ReturnType<typeof lintFile>[number]) {
  return { rule: issue.rule, severity: issue.severity, line: issue.line, message: issue.message, suggestion: issue.suggestion, matched: issue.matched };
}

/** The exit code's basis: a finding at error severity fails the run. */
export const hasErrors = (findings: readonly LocalFinding[]) => findings.some((f) => f.severity === "error");
