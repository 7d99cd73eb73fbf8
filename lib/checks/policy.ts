// Which findings of a pull-request check fail it: a default here, overridable per repository
// (Repository.checkPolicy). Pure functions; lib/checks/run.ts applies them.
import { z } from "zod";
import { SECURITY_RULE_IDS } from "@/lib/findings/agent-config";
import { lintFile, type LintConfig, type LintIssue } from "@/lib/findings/lint";
import type { SpecKind } from "@/lib/specs/kinds";
import type { CheckItem, ItemCategory } from "./schema";

/** For each kind of item: fail the check, annotate it, or leave it out. */
const action = z.enum(["fail", "annotate", "off"]);

export const checkPolicySchema = z
  .object({
    /** New content of a file with owners that no approved change covers. */
    unapprovedOwned: action.default("fail"),
    /** New content of a file nobody owns that no approved change covers. */
    unapprovedUnowned: action.default("annotate"),
    /** An owned spec deleted: Specledger has no review of deletions, so by default it only annotates. */
    deletedOwned: action.default("annotate"),
    /** New lint findings of error severity. */
    newErrors: action.default("fail"),
    /** New lint findings of warning or info severity. */
    newWarnings: action.default("annotate"),
    /** New security findings on agent configuration (dangerous grants, plain-text secrets, unsafe MCP servers), whatever their severity. */
    security: action.default("fail"),
    /** References the pull request breaks: in the files it changes, and in unchanged files that name what it deletes. */
    brokenReferences: action.default("annotate"),
    nearDuplicates: action.default("annotate"),
    /** A contract's new content that is not approved and breaks its interface (or could not be classified in full). Approved content carries its review. */
    breakingContracts: action.default("fail"),
    /** Code a spec governs (by its `governs:` globs or its feature's tasks and plan) changed while the spec did not: the stale finding the merge would open. */
    drift: action.default("annotate"),
    /** A pull request that changes governed files and names no issue key, where the repository has a ticket policy (or one that cannot be read). */
    ticket: action.default("fail"),
  })
  .strict();
export type CheckPolicy = z.infer<typeof checkPolicySchema>;
export const DEFAULT_CHECK_POLICY: CheckPolicy = checkPolicySchema.parse({});

/** A repository's stored policy over the defaults; a stored value that no longer parses falls back to the default (and says so in the log). */
export function policyOf(stored: unknown): CheckPolicy {
  if (stored === null || stored === undefined) return DEFAULT_CHECK_POLICY;
  const parsed = checkPolicySchema.safeParse(stored);
  if (!parsed.success) console.error("[checks] a repository's checkPolicy does not parse; using the default", parsed.error.issues);
  return parsed.success ? parsed.data : DEFAULT_CHECK_POLICY;
}

type Draft = Omit<CheckItem, "blocking" | "level"> & {
  severity: "error" | "warning" | "info";
  policyKey: keyof CheckPolicy;
  /** Never fails the check, whatever the policy says (it can still be turned off): e.g. drift already on the base. */
  advisory?: boolean;
};

/** Turns drafts into items under `policy`: "off" drops them, "fail" makes them blocking errors. */
export function applyPolicy(drafts: Draft[], policy: CheckPolicy): CheckItem[] {
  const items: CheckItem[] = [];
  for (const { severity, policyKey, advisory, ...rest } of drafts) {
    const what = policy[policyKey];
    if (what === "off") continue;
    const blocking = what === "fail" && !advisory;
    items.push({ ...rest, blocking, level: blocking || severity === "error" ? "error" : severity === "warning" ? "warning" : "note" });
  }
  return items;
}

/**
 * The lint issues the head text has that the base text does not: matched by rule and
 * message, counting repeats, so a finding already on the base is not the PR's fault.
 */
export function newLintIssues(opts: { path: string; kind: SpecKind; head: string; base: string | null; config: LintConfig }): LintIssue[] {
  const head = lintFile({ path: opts.path, kind: opts.kind, text: opts.head }, opts.config);
  if (opts.base === null) return head;
  const before = new Map<string, number>();
  for (const issue of lintFile({ path: opts.path, kind: opts.kind, text: opts.base }, opts.config)) {
    const key = `${issue.rule}\n${issue.message}`;
    before.set(key, (before.get(key) ?? 0) + 1);
  }
  return head.filter((issue) => {
    const key = `${issue.rule}\n${issue.message}`;
    const left = before.get(key) ?? 0;
    if (left === 0) return true;
    before.set(key, left - 1);
    return false;
  });
}

export function lintDrafts(issues: LintIssue[]): Draft[] {
  return issues.map((issue) => ({
    category: "lint" as ItemCategory,
    rule: issue.rule,
    severity: issue.severity,
    policyKey: SECURITY_RULE_IDS.has(issue.rule) ? "security" : issue.severity === "error" ? "newErrors" : "newWarnings",
    line: issue.line,
    message: issue.suggestion ? `${issue.message} ${issue.suggestion}` : issue.message,
  }));
}

export type { Draft as CheckItemDraft };

export const checkPolicyInput = z.object({ repositoryId: z.string().min(1).max(100), policy: checkPolicySchema.nullable() }).strict();
