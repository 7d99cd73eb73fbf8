import { describe, expect, it } from "vitest";
import { DEFAULT_LINT_CONFIG } from "@/lib/findings/lint";
import { applyPolicy, DEFAULT_CHECK_POLICY, lintDrafts, newLintIssues, policyOf } from "./policy";

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

describe("security findings on agent configuration", () => {
  const settings = (allow: string[]) => JSON.stringify({ permissions: { allow } }, null, 2);

  it("block the check by default, even when a repository only annotates new errors", () => {
    const issues = newLintIssues({
      path: ".claude/settings.json",
      kind: "tool-config",
      head: settings(["Bash", "Read"]),
      base: settings(["Read"]),
      config: DEFAULT_LINT_CONFIG,
    });
    expect(issues.map((i) => i.rule)).toEqual(["agent-dangerous-grant"]);
    const drafts = lintDrafts(issues);
    expect(drafts.map((d) => d.policyKey)).toEqual(["security"]);
    expect(applyPolicy(drafts, DEFAULT_CHECK_POLICY).map((i) => [i.rule, i.blocking])).toEqual([["agent-dangerous-grant", true]]);
    expect(applyPolicy(drafts, policyOf({ newErrors: "annotate" })).map((i) => i.blocking)).toEqual([true]);
    // A repository can still choose to only annotate them.
    expect(applyPolicy(drafts, policyOf({ security: "annotate" })).map((i) => i.blocking)).toEqual([false]);
  });

  it("do not count when the base already had them", () => {
    expect(
      newLintIssues({ path: ".claude/settings.json", kind: "tool-config", head: settings(["Bash"]), base: settings(["Bash"]), config: DEFAULT_LINT_CONFIG }),
    ).toEqual([]);
  });

  it("route other agent-config errors to newErrors", () => {
    const issues = newLintIssues({ path: "skills/a/SKILL.md", kind: "skill", head: "# no front matter\n", base: null, config: DEFAULT_LINT_CONFIG });
    expect(lintDrafts(issues).map((d) => [d.rule, d.policyKey])).toEqual([
      ["agent-required-field", "newErrors"],
      ["agent-required-field", "newErrors"],
    ]);
  });
});
