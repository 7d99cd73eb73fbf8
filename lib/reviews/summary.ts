// What the change page says about a review beyond its state: who asked for changes, and why
// the viewer has no Approve button. Pure functions over what getChangeOrThrow reads.

import type { Role } from "@/lib/db";
import { PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import type { DecisionKindName, ReviewStateName } from "./policy";

export interface ChangeRequest {
  reviewerId: string;
  reviewerLabel: string;
  /** The revision the request was made on; null for decisions recorded before revisions were numbered. */
  revisionNumber: number | null;
}

/**
 * The standing requests for changes: each reviewer named by the policy evaluation, with the
 * label and revision of their latest request (the evaluation knows ids only).
 */
export function standingChangeRequests(
  changesRequestedBy: readonly string[],
  decisions: readonly { kind: DecisionKindName | string; reviewerId: string | null; reviewerLabel: string; revisionNumber: number | null }[],
): ChangeRequest[] {
  return changesRequestedBy.flatMap((reviewerId) => {
    const latest = decisions.findLast((d) => d.reviewerId === reviewerId && d.kind === "request_changes");
    return latest ? [{ reviewerId, reviewerLabel: latest.reviewerLabel, revisionNumber: latest.revisionNumber }] : [];
  });
}

/** The roles that hold a permission, for telling a viewer who may act ("reviewer, maintainer or admin"). */
export function rolesWith(permission: Permission): string {
  const roles = [...(PERMISSIONS[permission] as readonly Role[])].reverse();
  return roles.length <= 1 ? (roles[0] ?? "nobody") : `${roles.slice(0, -1).join(", ")} or ${roles.at(-1)}`;
}

/**
 * Why the viewer sees no Approve button, or null when they see it (or the change is closed,
 * which the state badge already says).
 */
export function approveHint(opts: {
  state: ReviewStateName;
  origin: "proposal" | "import";
  canDecide: boolean;
  canApprove: boolean;
  viewerIsAuthor: boolean;
}): string | null {
  if (opts.state !== "proposed" && opts.state !== "unreviewed") return null;
  if (!opts.canDecide) return `Your role can read reviews but not decide them: a ${rolesWith("reviews:decide")} can approve or request changes.`;
  if (opts.canApprove) return null;
  if (opts.viewerIsAuthor) {
    return opts.origin === "proposal"
      ? "You proposed this change; someone else must approve it."
      : "This version's commit names you; someone else must approve it.";
  }
  return null;
}

/**
 * The revision the viewer last voted or commented on, when the change has moved past it:
 * what "changes since my last review" compares against. Null when they never reviewed it.
 */
export function lastReviewedRevision(
  decisions: readonly { reviewerId: string | null; kind: string; revisionNumber: number | null }[],
  viewerId: string,
  currentRevision: number,
): number | null {
  const mine = decisions.findLast(
    (d) => d.reviewerId === viewerId && d.revisionNumber !== null && ["approve", "request_changes", "comment", "reject"].includes(d.kind),
  );
  return mine?.revisionNumber && mine.revisionNumber < currentRevision ? mine.revisionNumber : null;
}
