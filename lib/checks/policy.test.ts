import { describe, expect, it } from "vitest";
import { DEFAULT_LINT_CONFIG } from "@/lib/findings/lint";
import { applyPolicy, DEFAULT_CHECK_POLICY, newLintIssues, policyOf } from "./policy";

const dup = "# S\n\n### FR-001: One\n\nWHEN x THE SYSTEM SHALL y.\n\n### FR-001: Again\n\nWHEN x THE SYSTEM SHALL z.\n";

describe("newLintIssues", () => {
  it("reports what the head adds and not what the base already had", () => {
    const fresh = newLintIssues({ path: "specs/a/spec.md", kind: "spec", head: dup, base: "# S\n", config: DEFAULT_LINT_CONFIG });
    expect(fresh.map((i) => i.rule)).toContain("spec-duplicate-requirement-id");
    const old = newLintIssues({ path: "specs/a/spec.md", kind: "spec", head: `${dup}\nMore text.\n`, base: dup, config: DEFAULT_LINT_CONFIG });
    expect(old.map((i) => i.rule)).not.toContain("spec-duplicate-requirement-id");
  });

  it("treats a new file's findings as all new", () => {
    expect(newLintIssues({ path: "specs/a/spec.md", kind: "spec", head: dup, base: null, config: DEFAULT_LINT_CONFIG }).length).toBeGreaterThan(0);
  });
});

describe("applyPolicy", () => {
  const drafts = [
    { category: "approval" as const, rule: "unapproved-owned", severity: "error" as const, policyKey: "unapprovedOwned" as const, line: null, message: "m" },
    { category: "lint" as const, rule: "agent-too-long", severity: "warning" as const, policyKey: "newWarnings" as const, line: 3, message: "w" },
    { category: "duplicate" as const, rule: "near-duplicate", severity: "info" as const, policyKey: "nearDuplicates" as const, line: null, message: "d" },
  ];

  it("fails on unapproved owned files and annotates warnings by default", () => {
    const items = applyPolicy(drafts, DEFAULT_CHECK_POLICY);
    expect(items.map((i) => [i.rule, i.blocking, i.level])).toEqual([
      ["unapproved-owned", true, "error"],
      ["agent-too-long", false, "warning"],
      ["near-duplicate", false, "note"],
    ]);
  });

  it("follows a repository's override, and drops what it turns off", () => {
    const items = applyPolicy(drafts, policyOf({ unapprovedOwned: "annotate", newWarnings: "fail", nearDuplicates: "off" }));
    expect(items.map((i) => [i.rule, i.blocking])).toEqual([
      ["unapproved-owned", false],
      ["agent-too-long", true],
    ]);
  });

  it("falls back to the default for a stored policy that does not parse", () => {
    expect(policyOf({ unapprovedOwned: "maybe" })).toEqual(DEFAULT_CHECK_POLICY);
    expect(policyOf(null)).toEqual(DEFAULT_CHECK_POLICY);
  });
});
