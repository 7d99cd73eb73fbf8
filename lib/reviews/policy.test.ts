import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, deriveState, evaluatePolicy, type DecisionInput, type ReviewPolicy } from "./policy";

const H1 = "a".repeat(64);
const H2 = "b".repeat(64);
let seq = 0;
const vote = (kind: DecisionInput["kind"], reviewerId: string | null, contentHash: string | null = H2): DecisionInput => ({
  kind,
  reviewerId,
  contentHash,
  seq: ++seq,
});

const everyone = new Set(["ann", "bob", "cat", "dan", "author"]);
const base = { currentHash: H2, authorIds: new Set(["author"]), ownerIds: new Set(["ann"]), eligibleIds: everyone };
const policy = (p: Partial<ReviewPolicy>): ReviewPolicy => ({ ...DEFAULT_POLICY, ...p });

describe("evaluatePolicy", () => {
  it.each([
    ["no votes", policy({}), [], false, "0 of 1"],
    ["one approval of the current content", policy({}), [vote("approve", "bob")], true, "1 of 1"],
    ["an approval of earlier content does not count", policy({}), [vote("approve", "bob", H1)], false, "0 of 1"],
    ["the author's own approval never counts", policy({}), [vote("approve", "author")], false, "0 of 1"],
    ["someone whose role may not review does not count", policy({}), [vote("approve", "vic")], false, "0 of 1"],
    ["two required, one given", policy({ requiredApprovals: 2 }), [vote("approve", "bob")], false, "1 of 2"],
    ["two required, two given", policy({ requiredApprovals: 2 }), [vote("approve", "bob"), vote("approve", "cat")], true, "2 of 2"],
    ["a reviewer's repeated approval counts once", policy({ requiredApprovals: 2 }), [vote("approve", "bob"), vote("approve", "bob")], false, "1 of 2"],
    [
      "a later request for changes replaces an approval",
      policy({ blockOnChangesRequested: false }),
      [vote("approve", "bob"), vote("request_changes", "bob")],
      false,
      "0 of 1",
    ],
    ["a later approval replaces a request for changes", policy({}), [vote("request_changes", "bob"), vote("approve", "bob")], true, "1 of 1"],
    ["comments are not votes", policy({}), [vote("approve", "bob"), vote("comment", "bob", null)], true, "1 of 1"],
    ["zero required still means one", policy({ requiredApprovals: 0 }), [], false, "0 of 1"],
  ])("%s", (_name, p, decisions, satisfied, detail) => {
    const result = evaluatePolicy({ ...base, policy: p, decisions });
    expect(result.satisfied).toBe(satisfied);
    expect(result.requirements[0].detail).toBe(detail);
  });

  it("requires an owner's approval when the policy says so", () => {
    const p = policy({ requireOwnerApproval: true });
    expect(evaluatePolicy({ ...base, policy: p, decisions: [vote("approve", "bob")] }).satisfied).toBe(false);
    expect(evaluatePolicy({ ...base, policy: p, decisions: [vote("approve", "ann")] }).satisfied).toBe(true);
    // An owner who wrote the revision cannot supply the owner's approval.
    const ownAuthor = { ...base, authorIds: new Set(["ann"]) };
    expect(evaluatePolicy({ ...ownAuthor, policy: p, decisions: [vote("approve", "ann"), vote("approve", "bob")] }).satisfied).toBe(false);
  });

  it("blocks while any reviewer asks for changes, unless the policy allows it", () => {
    const decisions = [vote("approve", "bob"), vote("request_changes", "cat", H1)];
    const blocked = evaluatePolicy({ ...base, policy: policy({}), decisions });
    expect(blocked.satisfied).toBe(false);
    expect(blocked.changesRequestedBy).toEqual(["cat"]);
    expect(evaluatePolicy({ ...base, policy: policy({ blockOnChangesRequested: false }), decisions }).satisfied).toBe(true);
  });

  it("says why an approval was not counted", () => {
    const result = evaluatePolicy({ ...base, policy: policy({}), decisions: [vote("approve", "author"), vote("approve", "bob", H1), vote("approve", "vic")] });
    expect(result.ignored).toEqual([
      { reviewerId: "author", reason: "author" },
      { reviewerId: "bob", reason: "earlier-content" },
      { reviewerId: "vic", reason: "not-a-reviewer" },
    ]);
  });
});

describe("deriveState", () => {
  it.each([
    ["a proposal with no decisions", "proposal", [], "proposed"],
    ["an imported version with no decisions", "import", [], "unreviewed"],
    ["accepted for the current content", "proposal", [vote("accept", null, H2)], "approved"],
    ["accepted for earlier content (a new revision reopened it)", "proposal", [vote("accept", null, H1)], "proposed"],
    ["overridden by an admin", "import", [vote("override", "admin", H2)], "approved"],
    ["carried from an approved proposal", "import", [vote("carry", null, H2)], "approved"],
    ["rejected", "proposal", [vote("approve", "bob"), vote("reject", "cat")], "rejected"],
    ["superseded by a newer version", "import", [vote("supersede", null, null)], "superseded"],
  ] as const)("%s", (_name, origin, decisions, state) => {
    expect(deriveState({ origin, currentHash: H2, decisions })).toBe(state);
  });
});

describe("breaking contract changes", () => {
  const breaking = { count: 1, summary: "1 breaking: removed `GET /pets`" };
  it.each([
    ["a non-owner's approval is not enough", policy({}), [vote("approve", "bob")], false, "0 of 1"],
    ["an owner's approval is", policy({}), [vote("approve", "ann")], true, "1 of 1"],
    ["two owner approvals when the rule asks for two", policy({ breakingOwnerApprovals: 2 }), [vote("approve", "ann")], false, "1 of 2"],
  ])("%s", (_name, p, decisions, satisfied, detail) => {
    const result = evaluatePolicy({ ...base, policy: p, decisions, breaking });
    expect(result.satisfied).toBe(satisfied);
    const requirement = result.requirements.find((r) => r.key === "breaking-owners");
    expect(requirement?.detail).toBe(detail);
    expect(requirement?.label).toContain("removed `GET /pets`");
  });

  it("cannot be met when nobody owns the contract: fail closed", () => {
    const result = evaluatePolicy({ ...base, ownerIds: new Set(), policy: policy({}), decisions: [vote("approve", "bob")], breaking });
    expect(result.satisfied).toBe(false);
    expect(result.requirements.find((r) => r.key === "breaking-owners")?.detail).toMatch(/nobody owns this contract/);
  });

  it("adds nothing when the rule sets zero, or when nothing breaks", () => {
    expect(evaluatePolicy({ ...base, policy: policy({ breakingOwnerApprovals: 0 }), decisions: [vote("approve", "bob")], breaking }).satisfied).toBe(true);
    expect(evaluatePolicy({ ...base, policy: policy({}), decisions: [vote("approve", "bob")], breaking: null }).requirements.map((r) => r.key)).not.toContain(
      "breaking-owners",
    );
  });
});
