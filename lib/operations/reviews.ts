import { emitChangeEvent } from "@/lib/notifications/events";
import { queueFindingsForChange } from "@/lib/findings/jobs";
import { decideChange as decide, decideInput, decisionResult, rebuildReviewState as rebuild } from "@/lib/reviews/decide";
import { changeRef, proposeChange as propose, proposeInput, reviseChange as revise, reviseInput } from "@/lib/reviews/propose";
import { z } from "zod";
import { operation } from "./operation";

/** Opens a proposal to change a spec, named by id or by repository and path. */
export const proposeChange = operation({
  name: "changes.propose",
  summary: "Propose a change to a spec",
  input: proposeInput,
  output: changeRef,
  permission: "reviews:propose",
  run: ({ tx, viewer, input }) => propose(tx, viewer, input),
  after: ({ result, viewer }) => [emitChangeEvent("change.proposed", result.number, viewer.email)],
});

/** Uploads a new revision of an open proposal; approvals of other bytes stop counting. */
export const reviseChange = operation({
  name: "changes.revise",
  summary: "Upload a new revision of a proposal",
  input: reviseInput,
  output: changeRef,
  permission: "reviews:propose",
  run: ({ tx, viewer, input }) => revise(tx, viewer, input),
});

/** Approve, request changes, reject, comment or override, bound to the content hash reviewed. */
export const decideChange = operation({
  name: "changes.decide",
  summary: "Approve, request changes, reject, comment or override (409 if the content changed)",
  input: decideInput,
  output: decisionResult,
  permission: "reviews:decide",
  run: ({ tx, viewer, input }) => decide(tx, viewer, input),
  // Unreviewed and deployed-stale findings depend on review states.
  after: ({ result, viewer, input }) => [
    queueFindingsForChange(result.number),
    ...(input.kind === "request_changes" ? [emitChangeEvent("change.changes_requested", result.number, viewer.email)] : []),
    ...((input.kind === "approve" || input.kind === "override") && result.state === "approved"
      ? [emitChangeEvent("change.approved", result.number, viewer.email)]
      : []),
  ],
});

/** Recomputes a change's cached state from its revisions and decisions (admins; a repair tool). */
export const rebuildReviewState = operation({
  name: "changes.rebuild-state",
  summary: "Recompute a change's state from its history",
  input: z.object({ changeId: z.string().min(1).max(100) }).strict(),
  output: z.object({ stored: z.string(), derived: z.string() }),
  permission: "policies:manage",
  run: async ({ tx, input }) => ({ result: await rebuild(tx, input.changeId) }),
});
