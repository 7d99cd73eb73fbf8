import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { positiveIntString, text } from "@/lib/schema";
import { lockChange, reviewContext } from "./context";
import { deriveState, evaluatePolicy, isOpen, type Evaluation } from "./policy";
import type { ChangeRef } from "./propose";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "contentHash is the SHA-256 (hex) of the content you reviewed.");

export const decisionSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("approve"),
      contentHash: sha256,
      body: text().max(10_000).default(""),
      breaking: z.boolean().default(false).describe("Deployments still built on the content this replaces are refused by can-i-deploy."),
    })
    .strict(),
  z.object({ kind: z.literal("request_changes"), contentHash: sha256, body: text().trim().min(1, "Say what should change.").max(10_000) }).strict(),
  z.object({ kind: z.literal("reject"), contentHash: sha256, body: text().max(10_000).default("") }).strict(),
  z.object({ kind: z.literal("comment"), contentHash: sha256.optional(), body: text().trim().min(1, "A comment needs some text.").max(10_000) }).strict(),
  z
    .object({
      kind: z.literal("override"),
      contentHash: sha256,
      breaking: z.boolean().default(false),
      body: text().trim().min(10, "An override needs a reason (at least 10 characters): it is shown on the version forever."),
    })
    .strict(),
]);
export type DecisionBody = z.input<typeof decisionSchema>;

export const decideInput = z.intersection(z.object({ number: positiveIntString() }), decisionSchema);

const ACTIONS: Record<string, string> = {
  approve: "change.approved",
  request_changes: "change.changes_requested",
  reject: "change.rejected",
  comment: "change.commented",
  override: "change.overridden",
};

export const decisionResult = z.object({ id: z.string(), number: z.number().int(), state: z.string(), currentHash: z.string(), satisfied: z.boolean() });

/**
 * Records a reviewer's decision. The decision names the content hash the reviewer saw; it is
 * refused (conflict) unless that is still the change's current content, checked under the
 * change's row lock in a Serializable transaction, so a racing revision or decision either
 * happened before (and the hash no longer matches) or waits.
 */
export async function decideChange(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  input: z.output<typeof decideInput>,
): Promise<RunResult<ChangeRef & { satisfied: boolean }>> {
  if (input.kind === "override") assertCan(viewer, "reviews:override");
  const change = await lockChange(tx, input.number);
  const context = await reviewContext(tx, change);
  const repeated = repeatOf(context, viewer.id, input);
  if (repeated) {
    // A double-clicked or resent form: the decision already stands, so nothing is written twice.
    return {
      result: { id: change.id, number: change.number, state: change.state, currentHash: change.currentHash, satisfied: context.evaluation.satisfied },
    };
  }
  if (input.kind !== "comment" && !isOpen(change.state)) {
    throw new AppError("conflict", `Change #${change.number} is ${change.state}; it takes no more decisions.`);
  }
  if (input.contentHash && input.contentHash !== change.currentHash) {
    throw new AppError("conflict", "The change has a newer revision than the one you reviewed: read it, then decide again.", {
      currentHash: change.currentHash,
    });
  }
  const author = context.authorIds.has(viewer.id);
  if (author && (input.kind === "approve" || input.kind === "override")) {
    throw new AppError(
      "forbidden",
      change.origin === "import"
        ? "This version's commit names you (as author, committer or signer): someone else must approve it."
        : "You opened this change or uploaded these bytes: someone else must approve it.",
    );
  }
  // Only the attributed author, not everyone a commit claims: a spoofed name must not keep its owner from rejecting.
  if (change.authorId === viewer.id && (input.kind === "request_changes" || input.kind === "reject") && change.origin === "import") {
    throw new AppError("forbidden", "You committed this version: someone else must review it.");
  }
  const revisionNumber = context.revision?.number ?? null;
  const decision = await tx.reviewDecision.create({
    data: {
      changeId: change.id,
      kind: input.kind,
      contentHash: input.contentHash ?? null,
      revisionNumber,
      reviewerId: viewer.id,
      reviewerLabel: viewer.email,
      body: input.body ?? "",
      breaking: "breaking" in input ? input.breaking : false,
    },
  });
  const decisions = [...context.decisions, decision];
  let evaluation: Evaluation = context.evaluation;
  if (input.kind === "approve" || input.kind === "request_changes") {
    // The new vote joins what was read above; the voter passed reviews:decide, so may review.
    evaluation = evaluatePolicy({
      policy: context.policy,
      currentHash: change.currentHash,
      authorIds: context.authorIds,
      ownerIds: context.ownerIds,
      eligibleIds: new Set([...context.eligibleIds, viewer.id]),
      decisions,
      breaking: context.breaking,
    });
    if (evaluation.satisfied) {
      decisions.push(
        await tx.reviewDecision.create({
          data: {
            changeId: change.id,
            kind: "accept",
            contentHash: change.currentHash,
            revisionNumber,
            reviewerId: null,
            reviewerLabel: "policy",
            body: evaluation.requirements.map((r) => `${r.label}: ${r.detail}`).join("; "),
          },
        }),
      );
    }
  }
  const state = deriveState({ origin: change.origin, currentHash: change.currentHash, decisions });
  if (state !== change.state) await tx.change.update({ where: { id: change.id }, data: { state } });
  return {
    result: { id: change.id, number: change.number, state, currentHash: change.currentHash, satisfied: evaluation.satisfied },
    audit: {
      action: ACTIONS[input.kind],
      subject: `change:${change.number}`,
      payload: {
        contentHash: input.contentHash ?? null,
        revision: revisionNumber,
        state,
        ...("breaking" in input && input.breaking ? { breaking: true } : {}),
        ...(input.kind === "override" || input.kind === "reject" ? { reason: input.body } : {}),
        ...(input.kind === "override" ? { unmet: context.evaluation.requirements.filter((r) => !r.met).map((r) => r.label) } : {}),
      },
    },
  };
}

/**
 * The viewer's identical decision when it is the last thing that happened on the change (no
 * revision or other decision since), so a repeat of the same request records nothing new.
 */
function repeatOf(context: Awaited<ReturnType<typeof reviewContext>>, viewerId: string, input: z.output<typeof decideInput>) {
  // The policy's "accept" is written in the same transaction right after the vote that met it.
  const last = context.decisions.filter((d) => d.kind !== "accept").at(-1);
  if (!last || last.reviewerId !== viewerId || last.kind !== input.kind) return null;
  if (context.revision && context.revision.seq > last.seq) return null;
  const breaking = "breaking" in input ? input.breaking : false;
  return last.contentHash === (input.contentHash ?? null) && last.body === (input.body ?? "") && last.breaking === breaking ? last : null;
}

/**
 * Recomputes a change's state from its revisions and decisions alone, and stores it if the
 * cached one differs. Returns both, so a check can tell whether anything had drifted.
 */
export async function rebuildReviewState(tx: Prisma.TransactionClient, changeId: string) {
  const change = await tx.change.findUniqueOrThrow({ where: { id: changeId } });
  const [revision] = await tx.changeRevision.findMany({ where: { changeId }, orderBy: { number: "desc" }, take: 1 });
  const decisions = await tx.reviewDecision.findMany({ where: { changeId }, orderBy: { seq: "asc" } });
  const derived = deriveState({ origin: change.origin, currentHash: revision.contentHash, decisions });
  if (derived !== change.state || revision.contentHash !== change.currentHash) {
    await tx.change.update({ where: { id: changeId }, data: { state: derived, currentHash: revision.contentHash } });
  }
  return { stored: change.state, derived };
}
