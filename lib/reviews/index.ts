import { createTwoFilesPatch } from "diff";
import { z } from "zod";
import { allows, assertCan, type Viewer } from "@/lib/auth/permissions";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { MAX_INT4, positiveIntString, text } from "@/lib/schema";
import { reviewContext } from "./context";
import { authorVerification } from "./identity";
import { awaitingReviewSql, identityCtes } from "./awaiting";
import { isOpen, type DecisionKindName, type ReviewStateName } from "./policy";
import { approveHint, standingChangeRequests } from "./summary";

export { recordImportedChanges } from "./imported";
export { resolveOwnerIds, identitiesOf } from "./owners";
export { awaitingReviewSql, identityCtes, ownedBySql } from "./awaiting";
// Writes are operations (lib/operations/reviews.ts); these are their schemas.
export { decideInput, decisionResult, decisionSchema, type DecisionBody } from "./decide";
export { changeRef, matchLineEndings, MAX_PROPOSAL_BYTES, proposeInput, reviseInput, revisionSchema, type ChangeRef } from "./propose";
export type { Viewer };

// ---------------------------------------------------------------------------------------
// Reading

export const QUEUES = ["mine", "open", "authored", "all"] as const;
export type Queue = (typeof QUEUES)[number];

export const changeFiltersSchema = z.object({
  queue: z.enum(QUEUES).default("mine"),
  state: z.enum(["proposed", "approved", "rejected", "unreviewed", "superseded"]).optional(),
  origin: z.enum(["proposal", "import"]).optional(),
  repositoryId: text().max(100).optional(),
  unowned: z
    .union([z.boolean(), z.enum(["true", "false", "1", "0"])])
    .transform((v) => v === true || v === "true" || v === "1")
    .optional(),
  take: positiveIntString(200).default(50),
});
export type ChangeFilters = z.input<typeof changeFiltersSchema>;

/**
 * Ids of open changes the viewer should review: an owner (directly, by handle or through a
 * team) of the spec, not the author of the current revision nor named by an imported
 * version's commit (decision 014), and no vote yet on its content.
 */
async function awaiting(viewer: Viewer, opts: { take: number }): Promise<{ ids: string[]; total: number }> {
  if (!allows(viewer, "reviews:decide")) return { ids: [], total: 0 };
  const rows = await db.$queryRaw<{ id: string; total: number }[]>`
    WITH ${identityCtes(viewer.id)}
    SELECT c.id, count(*) OVER ()::int AS total FROM "Change" c JOIN "Spec" s ON s.id = c."specId"
    WHERE ${awaitingReviewSql(viewer.id)}
    ORDER BY c."createdAt" ASC, c.number ASC
    LIMIT ${opts.take}`;
  return { ids: rows.map((r) => r.id), total: rows[0]?.total ?? 0 };
}

/**
 * Open changes the viewer should review: to specs they own (directly, by handle or through a
 * team), not opened by them, bytes not uploaded by them, no vote yet on the current content.
 */
export async function countAwaitingReview(viewer: Viewer): Promise<number> {
  assertCan(viewer, "reviews:read");
  return (await awaiting(viewer, { take: 1 })).total;
}

const LIST_INCLUDE = {
  spec: { select: { id: true, path: true, kind: true, owners: true, repository: { select: { id: true, name: true } } } },
  author: { select: { id: true, email: true, name: true } },
  revisions: { orderBy: { number: "desc" }, take: 1, select: { number: true, authorLabel: true, createdAt: true } },
} satisfies Prisma.ChangeInclude;

export async function listChanges(viewer: Viewer, filters: ChangeFilters = {}) {
  assertCan(viewer, "reviews:read");
  const f = changeFiltersSchema.parse(filters);
  const where: Prisma.ChangeWhereInput = {
    ...(f.state ? { state: f.state } : f.queue === "open" || f.queue === "mine" ? { state: { in: ["proposed", "unreviewed"] } } : {}),
    ...(f.origin ? { origin: f.origin } : {}),
    ...(f.queue === "authored" ? { authorId: viewer.id } : {}),
    spec: {
      ...(f.repositoryId ? { repositoryId: f.repositoryId } : {}),
      ...(f.unowned ? { owners: { isEmpty: true } } : {}),
    },
  };
  if (f.queue === "mine") {
    // The queue itself is computed in SQL; the filters narrow what it returns.
    const { ids } = await awaiting(viewer, { take: 5000 });
    where.id = { in: ids };
  }
  const [changes, total] = await Promise.all([
    db.change.findMany({ where, include: LIST_INCLUDE, orderBy: f.queue === "mine" ? { createdAt: "asc" } : { number: "desc" }, take: f.take }),
    db.change.count({ where }),
  ]);
  return { changes, total, filters: f };
}

export async function getChangeOrThrow(viewer: Viewer, number: number) {
  assertCan(viewer, "reviews:read");
  if (!Number.isSafeInteger(number) || number < 1 || number > MAX_INT4) throw new AppError("not_found", "Change not found");
  const change = await db.change.findUnique({
    where: { number },
    include: {
      spec: { include: { repository: { select: { id: true, name: true } }, ownerRule: true } },
      author: { select: { id: true, email: true, name: true } },
      version: { select: { id: true, seq: true, commitSha: true, committedAt: true, authorEmail: true } },
      landedVersion: { select: { id: true, seq: true, commitSha: true, committedAt: true, authorEmail: true } },
      revisions: {
        orderBy: { number: "asc" },
        select: { id: true, number: true, contentHash: true, authorId: true, authorLabel: true, createdAt: true, seq: true },
      },
      decisions: { orderBy: { seq: "asc" } },
    },
  });
  if (!change) throw new AppError("not_found", "Change not found");
  const context = await reviewContext(db as unknown as Prisma.TransactionClient, change);
  const [current, base] = await Promise.all([
    db.content.findUniqueOrThrow({ where: { hash: change.currentHash }, select: { text: true, size: true } }),
    change.baseHash ? db.content.findUnique({ where: { hash: change.baseHash }, select: { text: true } }) : null,
  ]);
  // For an imported version the base is the version before it.
  const previous =
    change.origin === "import" && change.version
      ? await db.specVersion.findFirst({
          where: { specId: change.specId, seq: { lt: change.version.seq } },
          orderBy: { seq: "desc" },
          include: { content: { select: { text: true } } },
        })
      : null;
  const carriedFrom = await db.change.findMany({
    where: { id: { in: change.decisions.map((d) => d.carriedFromId).filter((id): id is string => !!id) } },
    select: { id: true, number: true, title: true },
  });
  const landedAs = change.landedVersion;
  const viewerIsAuthor = context.authorIds.has(viewer.id);
  const identity = change.versionId ? await db.versionIdentity.findUnique({ where: { versionId: change.versionId } }) : null;
  const open = isOpen(change.state as ReviewStateName);
  const can = {
    decide: open && allows(viewer, "reviews:decide"),
    approve: open && allows(viewer, "reviews:decide") && !viewerIsAuthor,
    override: open && allows(viewer, "reviews:override") && !viewerIsAuthor,
    revise:
      change.origin === "proposal" &&
      !change.landedVersionId &&
      (change.state === "proposed" || change.state === "approved") &&
      (change.authorId === viewer.id || allows(viewer, "repositories:write")),
    comment: allows(viewer, "reviews:decide"),
  };
  return {
    change,
    currentText: current.text,
    currentSize: current.size,
    baseText: base?.text ?? previous?.content.text ?? "",
    baseLabel: change.origin === "proposal" ? (change.baseHash ? "current version" : "empty") : previous ? `version ${previous.seq}` : "empty",
    policy: context.policy,
    evaluation: context.evaluation,
    // The contract classification of the base against the current content, already made for the policy.
    contract: context.contract,
    owners: context.spec.owners,
    // For an imported version: whether a trusted signature vouches for who made it (decision 014).
    authorVerification: authorVerification(identity),
    carriedFrom,
    landedAs,
    can,
    // Who stands on a request for changes, and why the viewer has no Approve button.
    changeRequests: open ? standingChangeRequests(context.evaluation.changesRequestedBy, change.decisions) : [],
    approveHint: approveHint({
      state: change.state as ReviewStateName,
      origin: change.origin,
      canDecide: can.decide,
      canApprove: can.approve,
      viewerIsAuthor,
    }),
  };
}

/** The content of one revision of a change (numbered from 1), for comparing revisions. */
export async function getRevisionTextOrThrow(viewer: Viewer, number: number, revision: number): Promise<string> {
  assertCan(viewer, "reviews:read");
  if (![number, revision].every((n) => Number.isSafeInteger(n) && n >= 1 && n <= MAX_INT4)) throw new AppError("not_found", "Revision not found");
  const found = await db.changeRevision.findFirst({ where: { number: revision, change: { number } }, select: { contentHash: true } });
  if (!found) throw new AppError("not_found", "Revision not found");
  return (await db.content.findUniqueOrThrow({ where: { hash: found.contentHash }, select: { text: true } })).text;
}

/** A unified diff from the proposal's base to its current content, for `git apply`. */
export async function changePatch(viewer: Viewer, number: number): Promise<{ filename: string; patch: string }> {
  const { change, baseText, currentText } = await getChangeOrThrow(viewer, number);
  const path = change.spec.path;
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, baseText, currentText, undefined, undefined, { timeout: 5000 });
  if (patch === undefined) throw new AppError("unprocessable", "The change is too large to express as a patch in time.");
  return { filename: `specledger-change-${change.number}.patch`, patch };
}

/** A spec's open or landed review items, for its page. */
export async function listSpecChanges(viewer: Viewer, specId: string) {
  assertCan(viewer, "reviews:read");
  return db.change.findMany({
    where: { specId },
    orderBy: { number: "desc" },
    take: 50,
    select: {
      number: true,
      title: true,
      state: true,
      origin: true,
      createdAt: true,
      version: { select: { seq: true } },
      landedVersion: { select: { seq: true } },
    },
  });
}

export type { DecisionKindName, ReviewStateName };

/** A change as the API returns it: the exact content under review, and where the policy stands. */
export function publicChange(detail: Awaited<ReturnType<typeof getChangeOrThrow>>) {
  const { change } = detail;
  return {
    number: change.number,
    title: change.title,
    description: change.description,
    origin: change.origin,
    state: change.state,
    spec: { id: change.spec.id, path: change.spec.path, repository: change.spec.repository, owners: detail.owners },
    author: change.author,
    baseHash: change.baseHash,
    currentHash: change.currentHash,
    content: detail.currentText,
    version: change.version,
    // For an imported version: { verified, title } (decision 014); null for a proposal.
    authorVerification: change.origin === "import" ? detail.authorVerification : null,
    landedVersion: detail.landedAs,
    policy: detail.policy,
    requirements: detail.evaluation.requirements,
    revisions: change.revisions.map((r) => ({ number: r.number, contentHash: r.contentHash, author: r.authorLabel, createdAt: r.createdAt })),
    decisions: change.decisions.map((d) => ({
      kind: d.kind,
      reviewer: d.reviewerLabel,
      contentHash: d.contentHash,
      revision: d.revisionNumber,
      body: d.body,
      createdAt: d.createdAt,
    })),
    createdAt: change.createdAt,
    updatedAt: change.updatedAt,
  };
}
