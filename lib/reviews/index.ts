import { createTwoFilesPatch } from "diff";
import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit";
import { allows, assertCan } from "@/lib/auth/permissions";
import { db, type Prisma, type Role } from "@/lib/db";
import { serializable } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { checkBlob, hashContent } from "@/lib/specs/content";
import { text } from "@/lib/http/schema";
import { DEFAULT_POLICY, deriveState, evaluatePolicy, isOpen, type DecisionKindName, type Evaluation, type ReviewPolicy, type ReviewStateName } from "./policy";

import { authorVerification, commitIdentityUserIds } from "./identity";
export { recordImportedChanges } from "./imported";

export type Viewer = { id: string; email: string; role: Role; scopes?: readonly string[] };

const actor = (viewer: Viewer) => ({ id: viewer.id, label: viewer.email });
const REVIEWER_ROLES: Role[] = ["admin", "maintainer", "reviewer"];

export const MAX_PROPOSAL_BYTES = 1_048_576;

// ---------------------------------------------------------------------------------------
// Inputs

export const proposalSchema = z.object({
  specId: z.string().min(1).max(100),
  content: z.string().max(MAX_PROPOSAL_BYTES, "The content is larger than 1 MB."),
  title: text().trim().min(1, "Give the change a title.").max(200),
  description: text().max(10_000).default(""),
  supersedes: z.coerce.number().int().min(1).optional(),
});

export const revisionSchema = z.object({ content: z.string().max(MAX_PROPOSAL_BYTES, "The content is larger than 1 MB.") });

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "contentHash is the SHA-256 (hex) of the content you reviewed.");

export const decisionSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("approve"),
    contentHash: sha256,
    body: text().max(10_000).default(""),
    breaking: z.boolean().default(false).describe("Deployments still built on the content this replaces are refused by can-i-deploy."),
  }),
  z.object({ kind: z.literal("request_changes"), contentHash: sha256, body: text().max(10_000).default("") }),
  z.object({ kind: z.literal("reject"), contentHash: sha256, body: text().max(10_000).default("") }),
  z.object({ kind: z.literal("comment"), contentHash: sha256.optional(), body: text().trim().min(1, "A comment needs some text.").max(10_000) }),
  z.object({
    kind: z.literal("override"),
    contentHash: sha256,
    breaking: z.boolean().default(false),
    body: text().trim().min(10, "An override needs a reason (at least 10 characters): it is shown on the version forever."),
  }),
]);
export type DecisionInputBody = z.input<typeof decisionSchema>;

/**
 * HTML forms submit a textarea's line breaks as CRLF whatever the file uses. Content typed in
 * the browser takes the line endings of the file it edits, so the approved bytes are the
 * bytes that will be committed.
 */
export function matchLineEndings(text: string, like: string | null): string {
  const crlf = like !== null && like.includes("\r\n") && !/(^|[^\r])\n/.test(like);
  const lf = text.replace(/\r\n/g, "\n");
  return crlf ? lf.replace(/\n/g, "\r\n") : lf;
}

/** Text a proposal may hold: what an import would store for the same file. */
function contentBytes(text: string): { bytes: Buffer; hash: string } {
  const bytes = Buffer.from(text, "utf8");
  const checked = checkBlob(bytes, { maxBytes: MAX_PROPOSAL_BYTES });
  if (!checked.ok) throw new AppError("unprocessable", `The content cannot be stored: ${checked.detail}.`);
  if (bytes.length !== checked.body.length) throw new AppError("unprocessable", "The content starts with a byte-order mark; remove it.");
  return { bytes, hash: hashContent(bytes) };
}

async function storeContent(tx: Prisma.TransactionClient, text: string, hash: string, size: number) {
  await tx.$executeRaw`INSERT INTO "Content" (hash, size, text) VALUES (${hash}, ${size}, ${text}) ON CONFLICT (hash) DO NOTHING`;
}

// ---------------------------------------------------------------------------------------
// Who owns, who may approve

/** The users named by owners: emails, @handles, and members of @org/team teams. */
export async function resolveOwnerIds(client: Prisma.TransactionClient | typeof db, owners: readonly string[]): Promise<Set<string>> {
  if (owners.length === 0) return new Set();
  const emails = owners.filter((o) => !o.startsWith("@")).map((o) => o.toLowerCase());
  const handles = owners.filter((o) => o.startsWith("@") && !o.includes("/")).map((o) => o.slice(1).toLowerCase());
  const teams = owners.filter((o) => o.startsWith("@") && o.includes("/")).map((o) => o.toLowerCase());
  const rows = await client.$queryRaw<{ id: string }[]>`
    SELECT id FROM "User" WHERE lower(email) = ANY(${emails}::text[]) OR lower(handle) = ANY(${handles}::text[])
    UNION SELECT m."userId" FROM "TeamMember" m JOIN "Team" t ON t.id = m."teamId" WHERE lower(t.slug) = ANY(${teams}::text[])`;
  return new Set(rows.map((r) => r.id));
}

/** How a user appears in owner lists: their email, @handle and teams, lowercased. */
export async function identitiesOf(viewer: Viewer): Promise<string[]> {
  const user = await db.user.findUnique({ where: { id: viewer.id }, select: { email: true, handle: true, teams: { select: { team: { select: { slug: true } } } } } });
  if (!user) return [];
  return [user.email, ...(user.handle ? [`@${user.handle}`] : []), ...user.teams.map((t) => t.team.slug)].map((s) => s.toLowerCase());
}

function policyOf(rule: { requiredApprovals: number; requireOwnerApproval: boolean; blockOnChangesRequested: boolean } | null): ReviewPolicy {
  return rule
    ? { requiredApprovals: rule.requiredApprovals, requireOwnerApproval: rule.requireOwnerApproval, blockOnChangesRequested: rule.blockOnChangesRequested }
    : DEFAULT_POLICY;
}

type LockedChange = {
  id: string;
  number: number;
  origin: "proposal" | "import";
  state: ReviewStateName;
  currentHash: string;
  specId: string;
  landedVersionId: string | null;
  versionId: string | null;
  authorId: string | null;
};

/** Reads a change and locks its row until the transaction ends: decisions and revisions on it take turns. */
async function lockChange(tx: Prisma.TransactionClient, number: number): Promise<LockedChange> {
  if (!Number.isSafeInteger(number) || number < 1) throw new AppError("not_found", "Change not found");
  const [change] = await tx.$queryRaw<LockedChange[]>`
    SELECT id, number, origin::text AS origin, state::text AS state, "currentHash", "specId", "landedVersionId", "versionId", "authorId"
    FROM "Change" WHERE number = ${number} FOR UPDATE`;
  if (!change) throw new AppError("not_found", `Change #${number} not found`);
  return change;
}

/** Everything the policy needs about one change, read inside the caller's transaction. */
async function reviewContext(
  tx: Prisma.TransactionClient,
  change: { id: string; specId: string; currentHash: string; authorId: string | null; versionId: string | null },
) {
  const spec = await tx.spec.findUniqueOrThrow({ where: { id: change.specId }, include: { ownerRule: true } });
  const revisions = await tx.changeRevision.findMany({ where: { changeId: change.id }, orderBy: { number: "desc" } });
  const revision = revisions[0];
  // Never an approver: whoever opened the change, whoever uploaded these exact bytes, and
  // for an imported version everyone its commit names as author, committer or signer.
  const authorIds = new Set(
    [change.authorId, ...revisions.filter((r) => r.contentHash === change.currentHash).map((r) => r.authorId), ...(await commitIdentityUserIds(tx, change.versionId))].filter(
      (id): id is string => !!id,
    ),
  );
  const decisions = await tx.reviewDecision.findMany({ where: { changeId: change.id }, orderBy: { seq: "asc" } });
  const voterIds = [...new Set(decisions.map((d) => d.reviewerId).filter((id): id is string => !!id))];
  const eligible = await tx.user.findMany({ where: { id: { in: voterIds }, role: { in: REVIEWER_ROLES } }, select: { id: true } });
  const ownerIds = await resolveOwnerIds(tx, spec.owners);
  const policy = policyOf(spec.ownerRule);
  const eligibleIds = new Set(eligible.map((u) => u.id));
  const evaluation = evaluatePolicy({ policy, currentHash: change.currentHash, authorIds, ownerIds, eligibleIds, decisions });
  return { spec, revision, decisions, policy, evaluation, ownerIds, authorIds, eligibleIds };
}

// ---------------------------------------------------------------------------------------
// Proposals and revisions

/**
 * Opens a proposal. `supersedes` names an open proposal to the same spec that this one
 * replaces (say, redone on top of newer content); that one ends as superseded.
 */
export async function proposeChange(opts: {
  viewer: Viewer;
  specId: string;
  content: string;
  title: string;
  description?: string;
  supersedes?: number;
  /** The content comes from an HTML textarea: give it the file's own line endings. */
  fromTextarea?: boolean;
}) {
  assertCan(opts.viewer, "reviews:propose");
  const input = proposalSchema.parse(opts);
  return serializable(async (tx) => {
    const spec = await tx.spec.findUnique({ where: { id: input.specId } });
    if (!spec) throw new AppError("not_found", "Spec not found");
    if (opts.fromTextarea) {
      const current = spec.currentHash ? await tx.content.findUnique({ where: { hash: spec.currentHash }, select: { text: true } }) : null;
      input.content = matchLineEndings(input.content, current?.text ?? null);
    }
    const { bytes, hash } = contentBytes(input.content);
    if (spec.deleted) throw new AppError("conflict", `${spec.path} was deleted; a proposal needs a live spec.`);
    if (spec.currentHash === hash) throw new AppError("conflict", "This is the spec's current content: there is nothing to propose.");
    await storeContent(tx, input.content, hash, bytes.length);
    const change = await tx.change.create({
      data: {
        specId: spec.id,
        origin: "proposal",
        title: input.title,
        description: input.description,
        baseHash: spec.currentHash,
        currentHash: hash,
        authorId: opts.viewer.id,
        state: "proposed",
        revisions: { create: { number: 1, contentHash: hash, authorId: opts.viewer.id, authorLabel: opts.viewer.email } },
      },
    });
    await appendAuditEvent({
      tx,
      actor: actor(opts.viewer),
      action: "change.proposed",
      subject: `change:${change.number}`,
      payload: { specId: spec.id, path: spec.path, contentHash: hash, baseHash: spec.currentHash, supersedes: input.supersedes ?? null },
    });
    if (input.supersedes) {
      const old = await lockChange(tx, input.supersedes);
      if (old.origin !== "proposal" || old.specId !== spec.id) throw new AppError("conflict", `#${old.number} is not a proposal to ${spec.path}.`);
      if (old.landedVersionId || (old.state !== "proposed" && old.state !== "approved")) throw new AppError("conflict", `#${old.number} is ${old.landedVersionId ? "landed" : old.state}; only open proposals can be superseded.`);
      if (old.authorId !== opts.viewer.id && !allows(opts.viewer, "repositories:write")) {
        throw new AppError("forbidden", "Only the proposal's author or a maintainer may supersede it.");
      }
      await tx.reviewDecision.create({
        data: { changeId: old.id, kind: "supersede", reviewerId: opts.viewer.id, reviewerLabel: opts.viewer.email, body: `Superseded by #${change.number}.` },
      });
      await tx.change.update({ where: { id: old.id }, data: { state: "superseded" } });
      await appendAuditEvent({ tx, actor: actor(opts.viewer), action: "change.superseded", subject: `change:${old.number}`, payload: { by: change.number } });
    }
    return change;
  });
}

/**
 * A new revision of a proposal. Approvals name content, so they stop counting unless the new
 * content is byte-identical to what they approved.
 */
export async function reviseChange(opts: { viewer: Viewer; number: number; content: string; fromTextarea?: boolean }) {
  assertCan(opts.viewer, "reviews:propose");
  const input = revisionSchema.parse(opts);
  return serializable(async (tx) => {
    const change = await lockChange(tx, opts.number);
    if (opts.fromTextarea) {
      const current = await tx.content.findUnique({ where: { hash: change.currentHash }, select: { text: true } });
      input.content = matchLineEndings(input.content, current?.text ?? null);
    }
    const { bytes, hash } = contentBytes(input.content);
    if (change.origin !== "proposal") throw new AppError("conflict", "An imported version cannot be revised: push a new commit instead.");
    if (change.landedVersionId) throw new AppError("conflict", `Change #${change.number} has landed; propose a new change.`);
    if (change.state !== "proposed" && change.state !== "approved") throw new AppError("conflict", `Change #${change.number} is ${change.state}; it takes no new revisions.`);
    if (change.authorId !== opts.viewer.id && !allows(opts.viewer, "repositories:write")) {
      throw new AppError("forbidden", "Only the proposal's author or a maintainer may revise it.");
    }
    const last = await tx.changeRevision.findFirstOrThrow({ where: { changeId: change.id }, orderBy: { number: "desc" } });
    await storeContent(tx, input.content, hash, bytes.length);
    const revision = await tx.changeRevision.create({
      data: { changeId: change.id, number: last.number + 1, contentHash: hash, authorId: opts.viewer.id, authorLabel: opts.viewer.email },
    });
    const decisions = await tx.reviewDecision.findMany({ where: { changeId: change.id }, orderBy: { seq: "asc" } });
    const state = deriveState({ origin: change.origin, currentHash: hash, decisions });
    await tx.change.update({ where: { id: change.id }, data: { currentHash: hash, state } });
    const dismissed = hash === change.currentHash ? 0 : decisions.filter((d) => d.kind === "approve" && d.contentHash === change.currentHash).length;
    await appendAuditEvent({
      tx,
      actor: actor(opts.viewer),
      action: "change.revised",
      subject: `change:${change.number}`,
      payload: { revision: revision.number, contentHash: hash, previousHash: change.currentHash, dismissedApprovals: dismissed, state },
    });
    return { ...revision, state };
  });
}

// ---------------------------------------------------------------------------------------
// Decisions

const ACTIONS: Record<string, string> = {
  approve: "change.approved",
  request_changes: "change.changes_requested",
  reject: "change.rejected",
  comment: "change.commented",
  override: "change.overridden",
};

/**
 * Records a reviewer's decision. The decision names the content hash the reviewer saw; it is
 * refused (409) unless that is still the change's current content, checked under the
 * change's row lock in a Serializable transaction, so a racing revision or decision either
 * happened before (and the hash no longer matches) or waits.
 */
export async function decideChange(opts: { viewer: Viewer; number: number } & DecisionInputBody) {
  assertCan(opts.viewer, "reviews:decide");
  const input = decisionSchema.parse(opts);
  if (input.kind === "override") assertCan(opts.viewer, "reviews:override");
  return serializable(async (tx) => {
    const change = await lockChange(tx, opts.number);
    if (input.kind !== "comment" && !isOpen(change.state)) {
      throw new AppError("conflict", `Change #${change.number} is ${change.state}; it takes no more decisions.`);
    }
    if (input.contentHash && input.contentHash !== change.currentHash) {
      throw new AppError("conflict", "The change has a newer revision than the one you reviewed: read it, then decide again.", {
        currentHash: change.currentHash,
      });
    }
    const context = await reviewContext(tx, change);
    const author = context.authorIds.has(opts.viewer.id);
    if (author && (input.kind === "approve" || input.kind === "override")) {
      throw new AppError(
        "forbidden",
        change.origin === "import"
          ? "This version's commit names you (as author, committer or signer): someone else must approve it."
          : "You opened this change or uploaded these bytes: someone else must approve it.",
      );
    }
    // Only the attributed author, not everyone a commit claims: a spoofed name must not keep its owner from rejecting.
    if (change.authorId === opts.viewer.id && (input.kind === "request_changes" || input.kind === "reject") && change.origin === "import") {
      throw new AppError("forbidden", "You committed this version: someone else must review it.");
    }
    const revisionNumber = context.revision?.number ?? null;
    const decision = await tx.reviewDecision.create({
      data: {
        changeId: change.id,
        kind: input.kind,
        contentHash: input.contentHash ?? null,
        revisionNumber,
        reviewerId: opts.viewer.id,
        reviewerLabel: opts.viewer.email,
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
        eligibleIds: new Set([...context.eligibleIds, opts.viewer.id]),
        decisions,
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
    await appendAuditEvent({
      tx,
      actor: actor(opts.viewer),
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
    });
    return { decision, state, evaluation };
  });
}

/**
 * Recomputes a change's state from its revisions and decisions alone, and stores it if the
 * cached one differs. Returns both, so a check can tell whether anything had drifted.
 */
export async function rebuildReviewState(changeId: string) {
  return serializable(async (tx) => {
    const change = await tx.change.findUniqueOrThrow({ where: { id: changeId } });
    const [revision] = await tx.changeRevision.findMany({ where: { changeId }, orderBy: { number: "desc" }, take: 1 });
    const decisions = await tx.reviewDecision.findMany({ where: { changeId }, orderBy: { seq: "asc" } });
    const derived = deriveState({ origin: change.origin, currentHash: revision.contentHash, decisions });
    if (derived !== change.state || revision.contentHash !== change.currentHash) {
      await tx.change.update({ where: { id: changeId }, data: { state: derived, currentHash: revision.contentHash } });
    }
    return { stored: change.state as ReviewStateName, derived };
  });
}

// ---------------------------------------------------------------------------------------
// Reading

export const QUEUES = ["mine", "open", "authored", "all"] as const;
export type Queue = (typeof QUEUES)[number];

export const changeFiltersSchema = z.object({
  queue: z.enum(QUEUES).default("mine"),
  state: z.enum(["proposed", "approved", "rejected", "unreviewed", "superseded"]).optional(),
  origin: z.enum(["proposal", "import"]).optional(),
  repositoryId: z.string().max(100).optional(),
  unowned: z
    .union([z.boolean(), z.enum(["true", "false", "1", "0"])])
    .transform((v) => v === true || v === "true" || v === "1")
    .optional(),
  take: z.coerce.number().int().min(1).max(200).default(50),
});
export type ChangeFilters = z.input<typeof changeFiltersSchema>;

/**
 * Ids of open changes the viewer should review: an owner (directly, by handle or through a
 * team) of the spec, not the author of the current revision nor named by an imported
 * version's commit (decision 014), and no vote yet on its content.
 */
async function awaiting(viewer: Viewer, opts: { take: number }): Promise<{ ids: string[]; total: number }> {
  if (!allows(viewer, "reviews:decide")) return { ids: [], total: 0 };
  const identities = await identitiesOf(viewer);
  const rows = await db.$queryRaw<{ id: string; total: number }[]>`
    WITH mine AS (
      SELECT lower(email) AS email FROM "User" WHERE id = ${viewer.id}
      UNION SELECT email FROM "UserEmail" WHERE "userId" = ${viewer.id} AND "confirmedAt" IS NOT NULL
    )
    SELECT c.id, count(*) OVER ()::int AS total FROM "Change" c JOIN "Spec" s ON s.id = c."specId"
    WHERE c.state IN ('proposed', 'unreviewed')
      AND EXISTS (SELECT 1 FROM unnest(s.owners) o WHERE lower(o) = ANY(${identities}::text[]))
      AND c."authorId" IS DISTINCT FROM ${viewer.id}
      AND NOT EXISTS (
        SELECT 1 FROM "SpecVersion" v LEFT JOIN "VersionIdentity" i ON i."versionId" = v.id
        WHERE v.id = c."versionId"
          AND (lower(v."authorEmail") IN (SELECT email FROM mine) OR lower(i."committerEmail") IN (SELECT email FROM mine)
               OR (i.signature = 'G' AND lower(i."signerEmail") IN (SELECT email FROM mine))))
      AND NOT EXISTS (
        SELECT 1 FROM "ChangeRevision" r WHERE r."changeId" = c.id AND r."authorId" = ${viewer.id} AND r."contentHash" = c."currentHash")
      AND NOT EXISTS (
        SELECT 1 FROM "ReviewDecision" d WHERE d."changeId" = c.id AND d."reviewerId" = ${viewer.id}
          AND d.kind IN ('approve', 'request_changes', 'reject') AND d."contentHash" = c."currentHash")
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
  if (!Number.isSafeInteger(number) || number < 1) throw new AppError("not_found", "Change not found");
  const change = await db.change.findUnique({
    where: { number },
    include: {
      spec: { include: { repository: { select: { id: true, name: true } }, ownerRule: true } },
      author: { select: { id: true, email: true, name: true } },
      version: { select: { id: true, seq: true, commitSha: true, committedAt: true, authorEmail: true } },
      landedVersion: { select: { id: true, seq: true, commitSha: true, committedAt: true, authorEmail: true } },
      revisions: { orderBy: { number: "asc" }, select: { id: true, number: true, contentHash: true, authorId: true, authorLabel: true, createdAt: true, seq: true } },
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
      ? await db.specVersion.findFirst({ where: { specId: change.specId, seq: { lt: change.version.seq } }, orderBy: { seq: "desc" }, include: { content: { select: { text: true } } } })
      : null;
  const carriedFrom = await db.change.findMany({
    where: { id: { in: change.decisions.map((d) => d.carriedFromId).filter((id): id is string => !!id) } },
    select: { id: true, number: true, title: true },
  });
  const landedAs = change.landedVersion;
  const viewerIsAuthor = context.authorIds.has(viewer.id);
  const identity = change.versionId ? await db.versionIdentity.findUnique({ where: { versionId: change.versionId } }) : null;
  return {
    change,
    currentText: current.text,
    currentSize: current.size,
    baseText: base?.text ?? previous?.content.text ?? "",
    baseLabel: change.origin === "proposal" ? (change.baseHash ? "current version" : "empty") : previous ? `version ${previous.seq}` : "empty",
    policy: context.policy,
    evaluation: context.evaluation,
    owners: context.spec.owners,
    // For an imported version: whether a trusted signature vouches for who made it (decision 014).
    authorVerification: authorVerification(identity),
    carriedFrom,
    landedAs,
    can: {
      decide: isOpen(change.state as ReviewStateName) && allows(viewer, "reviews:decide"),
      approve: isOpen(change.state as ReviewStateName) && allows(viewer, "reviews:decide") && !viewerIsAuthor,
      override: isOpen(change.state as ReviewStateName) && allows(viewer, "reviews:override") && !viewerIsAuthor,
      revise:
        change.origin === "proposal" &&
        !change.landedVersionId &&
        (change.state === "proposed" || change.state === "approved") &&
        (change.authorId === viewer.id || allows(viewer, "repositories:write")),
      comment: allows(viewer, "reviews:decide"),
    },
  };
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
    select: { number: true, title: true, state: true, origin: true, createdAt: true, version: { select: { seq: true } }, landedVersion: { select: { seq: true } } },
  });
}

export type { DecisionKindName, ReviewStateName };

/** A live spec named by repository (id or name) and path, for proposals sent from a working tree. */
export async function findLiveSpecOrThrow(viewer: Viewer, opts: { repository: string; path: string }) {
  assertCan(viewer, "specs:read");
  const spec = await db.spec.findFirst({
    where: { deleted: false, path: opts.path.replace(/^\.\//, ""), repository: { OR: [{ id: opts.repository }, { name: opts.repository }] } },
    select: { id: true },
  });
  if (!spec) throw new AppError("not_found", `No live spec at ${opts.path} in ${opts.repository}. Import the repository first, or check the path.`);
  return spec;
}

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

/** POST /api/v1/changes body: the spec by id, or by repository and path. */
export const proposeRequestSchema = z
  .object({
    specId: z.string().min(1).max(100).optional(),
    repository: z.string().min(1).max(200).optional(),
    path: z.string().min(1).max(1000).optional(),
    content: z.string(),
    title: z.string(),
    description: z.string().optional(),
    supersedes: z.number().int().min(1).optional(),
  })
  .refine((b) => b.specId || (b.repository && b.path), { message: "Name the spec: specId, or repository and path." });
