import { isMachineReadableContract } from "@/lib/contracts";
import { compileKindRules, kindRulesFromEnv } from "@/lib/specs/kinds";
import { leafSpecs, LINT_RULES, lintFile } from "../lint";
import type { FindingsConfig } from "../settings";
import { silencedByRepo } from "../suppress";
import { base, digest, headTreeOf, type FindingDraft, type RepoContext } from "./context";

// Rule files whose globs are checked against the repository's files (lib/findings/agent-config/globs.ts).
const SCOPED_RULE_FILE = /(?:^|\/)\.(?:github\/instructions|cursor\/rules|claude\/rules)\//;

const REASON = new Map(LINT_RULES.map((r) => [r.id, r.description]));

/**
 * lint: per-file rules (lib/findings/lint.ts) over each live file's current content, minus what
 * the repository's `.specledger.yml` and the file's own comments silence.
 */
export async function checkLint(ctx: RepoContext, config: FindingsConfig): Promise<FindingDraft[]> {
  // Contracts in YAML or JSON are linted only for whether they parse; Markdown ones not at all.
  const specs = ctx.files.filter((f) => !f.isSymlink && (f.kind !== "contract" || isMachineReadableContract(f.path)));
  const leaves = leafSpecs(specs.filter((f) => f.kind === "spec"));
  // The tree is read only when a rule file scoped by globs exists.
  const tree = specs.some((f) => SCOPED_RULE_FILE.test(f.path)) ? (await headTreeOf(ctx)).files : undefined;
  const drafts: FindingDraft[] = [];
  for (const file of specs) {
    const lines = file.text.split(/\r?\n/);
    for (const issue of lintFile({ path: file.path, kind: file.kind, text: file.text, leaf: file.kind !== "spec" || leaves.has(file.id), tree }, config.lint)) {
      if (ctx.repoConfig && silencedByRepo(ctx.repoConfig, issue.rule, file.path)) continue;
      const subject = issue.line ? digest(lines[issue.line - 1] ?? "") : "file";
      drafts.push({
        ...base(ctx, file),
        fingerprint: `lint:${issue.rule}:${file.id}:${subject}`,
        type: "lint",
        rule: issue.rule,
        severity: issue.severity,
        line: issue.line,
        message: issue.message,
        suggestion: issue.suggestion,
        evidence: {
          path: file.path,
          line: issue.line,
          text: issue.line ? (lines[issue.line - 1] ?? "") : null,
          ...(issue.evidence ?? {}),
          matched: issue.matched,
          reason: REASON.get(issue.rule) ?? issue.message,
          contentHash: file.currentHash,
        },
        introducedAt: file.committedAt,
      });
    }
  }
  drafts.push(...unreadableDrafts(ctx, config));
  // Two issues of one rule on identical lines share a fingerprint: keep the first.
  const seen = new Set<string>();
  return drafts.filter((d) => !seen.has(d.fingerprint) && seen.add(d.fingerprint));
}

/**
 * Governed files at the head that are not text (the import skipped them): agent-config files get
 * agent-unreadable through the same rule settings and silencing as any other lint finding. Other
 * kinds have no such rule (a bundled skill file may well be an image).
 */
function unreadableDrafts(ctx: RepoContext, config: FindingsConfig): FindingDraft[] {
  if (!ctx.unreadable?.length) return [];
  const classify = compileKindRules(kindRulesFromEnv());
  const live = new Map(ctx.files.map((f) => [f.path, f]));
  return ctx.unreadable.flatMap((file) => {
    const kind = classify(file.path);
    if (!kind) return [];
    return lintFile({ path: file.path, kind, text: "", unreadable: file.why }, config.lint).flatMap((issue): FindingDraft[] => {
      if (ctx.repoConfig && silencedByRepo(ctx.repoConfig, issue.rule, file.path)) return [];
      // The path's spec, when an earlier version of it was text: the finding belongs to it.
      const spec = live.get(file.path);
      return [
        {
          ...(spec ? base(ctx, spec) : { repositoryId: ctx.repositoryId, specId: null }),
          fingerprint: `lint:${issue.rule}:${ctx.repositoryId}:${file.path}:${file.blobId}`,
          type: "lint",
          rule: issue.rule,
          severity: issue.severity,
          line: null,
          message: issue.message,
          suggestion: issue.suggestion,
          evidence: { path: file.path, line: null, text: null, matched: file.why, reason: REASON.get(issue.rule) ?? issue.message },
          introducedAt: null,
        },
      ];
    });
  });
}
