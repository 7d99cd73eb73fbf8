import { describe, expect, it } from "vitest";
import { approveHint, lastReviewedRevision, rolesWith, standingChangeRequests } from "./summary";

describe("standingChangeRequests", () => {
  const decisions = [
    { kind: "request_changes", reviewerId: "a", reviewerLabel: "a@x", revisionNumber: 1 },
    { kind: "comment", reviewerId: "a", reviewerLabel: "a@x", revisionNumber: 2 },
    { kind: "request_changes", reviewerId: "a", reviewerLabel: "a@x", revisionNumber: 2 },
    { kind: "request_changes", reviewerId: "b", reviewerLabel: "b@x", revisionNumber: 1 },
    { kind: "approve", reviewerId: "b", reviewerLabel: "b@x", revisionNumber: 2 },
  ];

  it("names each reviewer the evaluation counts, with the revision of their latest request", () => {
    expect(standingChangeRequests(["a"], decisions)).toEqual([{ reviewerId: "a", reviewerLabel: "a@x", revisionNumber: 2 }]);
  });

  it("is empty when nobody stands on a request, even if someone asked once", () => {
    expect(standingChangeRequests([], decisions)).toEqual([]);
  });
});

describe("rolesWith", () => {
  it("lists the roles holding a permission, lowest first", () => {
    expect(rolesWith("reviews:decide")).toBe("reviewer, maintainer or admin");
    expect(rolesWith("reviews:override")).toBe("admin");
  });
});

describe("approveHint", () => {
  const open = { state: "proposed" as const, origin: "proposal" as const, canDecide: true, canApprove: false, viewerIsAuthor: true };

  it("tells the author someone else must approve", () => {
    expect(approveHint(open)).toBe("You proposed this change; someone else must approve it.");
    expect(approveHint({ ...open, state: "unreviewed", origin: "import" })).toMatch(/commit names you/);
  });

  it("tells a viewer which role may act", () => {
    expect(approveHint({ ...open, canDecide: false, viewerIsAuthor: false })).toMatch(/reviewer, maintainer or admin can approve/);
  });

  it("says nothing to someone who may approve, or on a closed change", () => {
    expect(approveHint({ ...open, canApprove: true, viewerIsAuthor: false })).toBeNull();
    expect(approveHint({ ...open, state: "approved" })).toBeNull();
    expect(approveHint({ ...open, state: "rejected", canDecide: false })).toBeNull();
  });
});

describe("lastReviewedRevision", () => {
  const decisions = [
    { reviewerId: "me", kind: "comment", revisionNumber: 1 },
    { reviewerId: "me", kind: "request_changes", revisionNumber: 2 },
    { reviewerId: "other", kind: "approve", revisionNumber: 3 },
    { reviewerId: null, kind: "accept", revisionNumber: 3 },
  ];

  it("is the revision of the viewer's latest review when the change has moved past it", () => {
    expect(lastReviewedRevision(decisions, "me", 3)).toBe(2);
  });

  it("is null when the viewer reviewed the current revision, or never reviewed", () => {
    expect(lastReviewedRevision(decisions, "me", 2)).toBeNull();
    expect(lastReviewedRevision(decisions, "nobody", 3)).toBeNull();
  });
});
