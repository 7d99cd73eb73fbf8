import { describe, expect, it } from "vitest";
import { checkedEvidence, EVIDENCE_TYPES, readEvidence, type TypedEvidence } from "./evidence";
import { REPOSITORY_TYPES, WORKSPACE_TYPES } from "./types";

const instruction = (text: string, line: number) => ({ text, line });

/** One example of each type's evidence, as its check writes it. */
const EXAMPLES: TypedEvidence[] = [
  {
    type: "unreviewed",
    evidence: { path: "specs/a/spec.md", approvedSeq: 1, approvedVersionId: "v1", currentSeq: 2, currentVersionId: "v2", diffHref: "/specs/s?from=1&to=2" },
  },
  {
    type: "stale",
    evidence: {
      path: "specs/a/spec.md",
      baseline: "a".repeat(40),
      baselineSource: "last approved version",
      head: "b".repeat(40),
      governedBy: "front matter",
      governs: ["src/pay/**"],
      commitCount: 1,
      added: 2,
      deleted: 0,
      commits: [{ sha: "c".repeat(40), author: "Ada", date: "2026-12-01T10:00:00+00:00", subject: "change pay", added: 2, deleted: 0, files: 1 }],
    },
  },
  {
    type: "broken-reference",
    evidence: { path: "AGENTS.md", reference: "`docs/runbook.md`", resolved: "docs/runbook.md", via: "code", line: 6, head: "b".repeat(40) },
  },
  {
    type: "competing-instructions",
    evidence: {
      a: { specId: "s1", path: "AGENTS.md" },
      b: { specId: "s2", path: "CLAUDE.md" },
      conflicts: [{ topic: "install dependencies [pnpm / npm]", a: instruction("Use pnpm.", 3), b: instruction("Use npm.", 3) }],
      onlyInA: [instruction("See the runbook.", 6)],
      onlyInB: [],
    },
  },
  {
    type: "effective-instructions",
    evidence: {
      agent: "cursor",
      directories: ["", "services/billing"],
      code: "contradiction",
      path: "AGENTS.md",
      line: 3,
      other: { specId: "s3", path: ".cursor/rules/deps.mdc" },
      conflicts: [{ topic: "package manager (pnpm vs npm)", a: instruction("Use npm.", 4), b: instruction("Use pnpm.", 3) }],
    },
  },
  {
    type: "requirement-oracle",
    evidence: {
      path: "specs/001-login/spec.md",
      requirementId: "r1",
      key: "FR-002",
      text: "FR-002: Users MUST sign out.",
      missingTests: ["tests/gone.test.ts"],
    },
  },
  {
    type: "deployed-stale",
    evidence: {
      deploymentId: "d1",
      service: "checkout",
      version: "1.0.0",
      environment: "production",
      path: "specs/a/spec.md",
      repository: "payments",
      deployedSeq: 1,
      approvedSeq: 2,
      diffHref: "/specs/s?from=1&to=2",
      deploymentHref: "/deployments/d1",
    },
  },
  {
    type: "duplicate",
    evidence: {
      clusterKey: "0".repeat(32),
      kind: "near",
      similarity: 0.91,
      members: [
        { specId: "s1", repository: "a", path: "specs/x.md", owners: ["@team-a"] },
        { specId: "s2", repository: "b", path: "specs/y.md", owners: [] },
      ],
      canonicalSpecId: null,
      compareHref: "/duplicates/compare?a=s1&b=s2",
    },
  },
  { type: "lint", evidence: { path: "AGENTS.md", line: 4, text: "- Ship TICKET-1 by Friday.", matches: ["TICKET-1"] } },
  { type: "lint", evidence: { path: "AGENTS.md", line: null, text: null, lines: 420, limit: 300 } },
  {
    type: "lint",
    evidence: { path: "AGENTS.md", line: 4, text: "- Use it for now.", matches: ["for now"], matched: "for now", reason: "Dates ... go stale." },
  },
  {
    type: "budget",
    evidence: { budgetId: "b1", period: "week", unit: "usd", limit: 40, spent: 33.5, periodStart: "2026-11-30T00:00:00.000Z", target: "spec:s1" },
  },
];

describe("finding evidence", () => {
  it("has a schema for every finding type", () => {
    // Budget findings are written when runs are reported (lib/runs/budgets.ts), not by a recomputation.
    expect([...EVIDENCE_TYPES].sort()).toEqual([...REPOSITORY_TYPES, ...WORKSPACE_TYPES, "budget"].sort());
    expect(new Set(EXAMPLES.map((e) => e.type))).toEqual(new Set(EVIDENCE_TYPES));
  });

  it.each(EXAMPLES.map((e) => [e.type, e] as const))("round-trips %s evidence through JSON storage", (type, example) => {
    const stored = JSON.parse(JSON.stringify(checkedEvidence({ fingerprint: `${type}:x`, ...example })));
    expect(readEvidence({ type, evidence: stored })).toEqual(example);
  });

  it("reads evidence in an older or broken shape as null instead of failing", () => {
    expect(readEvidence({ type: "stale", evidence: { path: "specs/a/spec.md", commits: "many" } })).toBeNull();
    expect(readEvidence({ type: "unreviewed", evidence: null })).toBeNull();
    expect(readEvidence({ type: "duplicate", evidence: { ...EXAMPLES[5].evidence, members: [] } })).toBeNull();
    expect(readEvidence({ type: "lint", evidence: { path: "a.md", line: 1, text: "x", nested: { deep: true } } })).toBeNull();
    // A type this version does not know (written by a newer one) is unreadable too, not a crash.
    expect(readEvidence({ type: "future-check", evidence: {} })).toBeNull();
  });

  it("keeps reading rows that gained a field later, and drops the field it does not know", () => {
    const withExtra = { ...EXAMPLES[0].evidence, reviewer: "someone" };
    expect(readEvidence({ type: "unreviewed", evidence: withExtra })).toEqual(EXAMPLES[0]);
  });

  it("reads why a finding fired (matched text, reason) when present, and rows stored before it without", () => {
    const withReason = readEvidence({ type: "broken-reference", evidence: { ...EXAMPLES[2].evidence, reason: "Not in the repository." } });
    expect(withReason?.type === "broken-reference" && withReason.evidence.reason).toBe("Not in the repository.");
    const older = readEvidence(EXAMPLES[2]);
    expect(older?.type === "broken-reference" && older.evidence.reason).toBeUndefined();
    expect(readEvidence({ type: "lint", evidence: { path: "a.md", line: 1, text: "x", matched: 3 } })).toBeNull();
    expect(readEvidence({ type: "broken-reference", evidence: { ...EXAMPLES[2].evidence, reason: 7 } })).toBeNull();
  });

  it("refuses to store a check's draft whose evidence does not match its type", () => {
    expect(() => checkedEvidence({ fingerprint: "stale:s:abc", type: "stale", evidence: { path: "x" } })).toThrow(/stale check produced evidence.*stale:s:abc/);
    expect(() => checkedEvidence({ fingerprint: "lint:x", type: "broken-reference", evidence: EXAMPLES[6].evidence })).toThrow(/broken-reference/);
  });
});
