// The review rules as pure functions: what a policy requires, whether the decisions on a
// change meet it, and which state the decisions put a change in. The database layer
// (./index.ts) only gathers the inputs and records the outputs.

import { plural } from "@/lib/text";

export type ReviewStateName = "proposed" | "approved" | "rejected" | "unreviewed" | "superseded";
export type DecisionKindName = "approve" | "request_changes" | "comment" | "reject" | "accept" | "override" | "carry" | "supersede";

export interface ReviewPolicy {
  /** Approvals of the current content a change needs (at least 1). */
  requiredApprovals: number;
  /** Whether one of those approvals must come from an owner. */
  requireOwnerApproval: boolean;
  /** Whether a reviewer's standing request for changes blocks approval. */
  blockOnChangesRequested: boolean;
  /** Owner approvals a contract change with breaking changes needs (0: none beyond the rest). */
  breakingOwnerApprovals: number;
}

/** For files no rule owns, and rules that never set one. */
export const DEFAULT_POLICY: ReviewPolicy = { requiredApprovals: 1, requireOwnerApproval: false, blockOnChangesRequested: true, breakingOwnerApprovals: 1 };

export const MAX_REQUIRED_APPROVALS = 10;

export interface DecisionInput {
  kind: DecisionKindName;
  reviewerId: string | null;
  contentHash: string | null;
  /** The one order of revisions and decisions (review_seq). */
  seq: bigint | number;
}

export interface Requirement {
  key: "approvals" | "owner" | "breaking-owners" | "no-changes-requested";
  label: string;
  met: boolean;
  detail: string;
}

export interface Evaluation {
  satisfied: boolean;
  requirements: Requirement[];
  /** Reviewers whose approval of the current content counts. */
  approvers: string[];
  /** Reviewers whose latest vote asks for changes. */
  changesRequestedBy: string[];
  /** Approvals that do not count, and why. */
  ignored: { reviewerId: string; reason: "author" | "earlier-content" | "not-a-reviewer" }[];
}

export interface EvaluationInput {
  policy: ReviewPolicy;
  currentHash: string;
  /** Who wrote or uploaded the current revision: never an approver. */
  authorIds: ReadonlySet<string>;
  /** The users the owners resolve to (people, and members of owning teams). */
  ownerIds: ReadonlySet<string>;
  /** Users whose role may decide on reviews. */
  eligibleIds: ReadonlySet<string>;
  decisions: readonly DecisionInput[];
  /** For a contract whose change breaks its consumers: how it breaks (lib/contracts). */
  breaking?: { count: number; summary: string } | null;
}

/**
 * Whether a change's votes meet its policy. A reviewer's latest vote (approve or request
 * changes) is the one that counts; an approval counts only for the exact content it named,
 * never from the current revision's author, and only from someone allowed to review.
 */
export function evaluatePolicy(input: EvaluationInput): Evaluation {
  const latest = new Map<string, DecisionInput>();
  for (const d of [...input.decisions].sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq)))) {
    if (d.reviewerId && (d.kind === "approve" || d.kind === "request_changes")) latest.set(d.reviewerId, d);
  }
  const approvers: string[] = [];
  const changesRequestedBy: string[] = [];
  const ignored: Evaluation["ignored"] = [];
  for (const [reviewerId, vote] of latest) {
    if (vote.kind === "request_changes") {
      if (input.eligibleIds.has(reviewerId) && !input.authorIds.has(reviewerId)) changesRequestedBy.push(reviewerId);
      continue;
    }
    if (input.authorIds.has(reviewerId)) ignored.push({ reviewerId, reason: "author" });
    else if (!input.eligibleIds.has(reviewerId)) ignored.push({ reviewerId, reason: "not-a-reviewer" });
    else if (vote.contentHash !== input.currentHash) ignored.push({ reviewerId, reason: "earlier-content" });
    else approvers.push(reviewerId);
  }
  const required = Math.max(1, input.policy.requiredApprovals);
  const requirements: Requirement[] = [
    {
      key: "approvals",
      label: `${plural(required, "approval")} of this content`,
      met: approvers.length >= required,
      detail: `${approvers.length} of ${required}`,
    },
  ];
  if (input.policy.requireOwnerApproval) {
    const owners = approvers.filter((id) => input.ownerIds.has(id)).length;
    requirements.push({
      key: "owner",
      label: "An owner approves",
      met: owners > 0,
      detail: input.ownerIds.size === 0 ? "nobody owns this file" : owners > 0 ? plural(owners, "owner") + " approved" : "no owner has approved",
    });
  }
  // A breaking contract change is the contract owners' call: it needs their approvals on top.
  if (input.breaking && input.policy.breakingOwnerApprovals > 0) {
    const needed = input.policy.breakingOwnerApprovals;
    const owners = approvers.filter((id) => input.ownerIds.has(id)).length;
    requirements.push({
      key: "breaking-owners",
      label: `${plural(needed, "owner approval")} for breaking contract changes (${input.breaking.summary})`,
      met: input.ownerIds.size > 0 && owners >= needed,
      detail: input.ownerIds.size === 0 ? "nobody owns this contract: assign owners, or an admin overrides" : `${owners} of ${needed}`,
    });
  }
  if (input.policy.blockOnChangesRequested) {
    requirements.push({
      key: "no-changes-requested",
      label: "No reviewer asks for changes",
      met: changesRequestedBy.length === 0,
      detail: changesRequestedBy.length === 0 ? "none" : plural(changesRequestedBy.length, "reviewer") + " asked for changes",
    });
  }
  return { satisfied: requirements.every((r) => r.met), requirements, approvers, changesRequestedBy, ignored };
}

/**
 * A change's state from its origin, current content and decisions alone; the stored state is
 * a cache of this. Ending decisions that approve (accept, override, carry) hold only for the
 * content they named, so a new revision reopens the review; a rejection or supersession ends
 * it for good.
 */
export function deriveState(input: { origin: "proposal" | "import"; currentHash: string; decisions: readonly DecisionInput[] }): ReviewStateName {
  let approved = false;
  for (const d of input.decisions) {
    if (d.kind === "supersede") return "superseded";
    if (d.kind === "reject") return "rejected";
    if ((d.kind === "accept" || d.kind === "override" || d.kind === "carry") && d.contentHash === input.currentHash) approved = true;
  }
  if (approved) return "approved";
  return input.origin === "proposal" ? "proposed" : "unreviewed";
}

/** Whether a change in `state` still takes revisions and votes. */
export const isOpen = (state: ReviewStateName) => state === "proposed" || state === "unreviewed";
