import { z } from "zod";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { positiveInt } from "@/lib/schema";
import { awaitingReviewSql, identityCtes, ownedBySql } from "@/lib/reviews";
import { sectionsFor, type Section } from "./sections";

export { latestSeq, sectionsFor, SECTIONS, type Section } from "./sections";

/** How many items each list shows; the counts say how many there are in all. */
export const INBOX_PAGE = 50;

// The three questions, as conditions over: c (Change) and s (Spec) for reviews and updates,
// f (Finding) and s for findings. Each needs identityCtes in the statement's WITH.

/** A change of the viewer's with a decision by someone else (or the system) after what they last saw. */
function updatesSql(userId: string): Prisma.Sql {
  return Prisma.sql`c."authorId" = ${userId}
      AND EXISTS (SELECT 1 FROM "ReviewDecision" d WHERE d."changeId" = c.id AND ${newDecisionSql(userId)})`;
}

/** Decision d is news to `userId`: not theirs, not the routine supersession by a newer import, after their marker. */
function newDecisionSql(userId: string): Prisma.Sql {
  return Prisma.sql`d."reviewerId" IS DISTINCT FROM ${userId} AND d.kind <> 'supersede'
        AND d.seq > COALESCE((SELECT m."seenSeq" FROM "ChangeSeen" m WHERE m."userId" = ${userId} AND m."changeId" = d."changeId"), 0)`;
}

const openFindingSql = Prisma.sql`f.status = 'open' AND NOT s.deleted AND ${ownedBySql}`;

export type InboxCounts = Record<Section, number> & { total: number };

/** The counts of the viewer's inbox in one statement (the navigation shows them on every page). */
export async function countInbox(viewer: Viewer): Promise<InboxCounts> {
  const allowed = sectionsFor(viewer);
  const zero = Prisma.sql`0`;
  const [row] = await db.$queryRaw<Record<Section, number>[]>`
    WITH ${identityCtes(viewer.id)}
    SELECT
      ${allowed.review ? Prisma.sql`(SELECT count(*) FROM "Change" c JOIN "Spec" s ON s.id = c."specId" WHERE ${awaitingReviewSql(viewer.id)})` : zero}::int AS review,
      ${allowed.updates ? Prisma.sql`(SELECT count(*) FROM "Change" c WHERE ${updatesSql(viewer.id)})` : zero}::int AS updates,
      ${allowed.findings ? Prisma.sql`(SELECT count(*) FROM "Finding" f JOIN "Spec" s ON s.id = f."specId" WHERE ${openFindingSql})` : zero}::int AS findings`;
  return { ...row, total: row.review + row.updates + row.findings };
}

export const inboxChange = z.object({
  number: z.number().int(),
  title: z.string(),
  state: z.string(),
  origin: z.string(),
  spec: z.object({ id: z.string(), path: z.string() }),
  repository: z.string(),
  createdAt: z.date(),
});
export const inboxUpdate = inboxChange.extend({
  /** Decisions since the viewer last opened the change. */
  newDecisions: z.number().int(),
  latestKind: z.string(),
  latestBy: z.string(),
  latestAt: z.date(),
});
export const inboxFinding = z.object({
  id: z.string(),
  type: z.string(),
  rule: z.string(),
  severity: z.string(),
  message: z.string(),
  spec: z.object({ id: z.string(), path: z.string() }),
  repository: z.string(),
  firstSeenAt: z.date(),
});
export type InboxChange = z.infer<typeof inboxChange>;
export type InboxUpdate = z.infer<typeof inboxUpdate>;
export type InboxFinding = z.infer<typeof inboxFinding>;

type ChangeRow = Omit<InboxChange, "spec"> & { specId: string; path: string };

const asChange = ({ specId, path, ...row }: ChangeRow): InboxChange => ({ ...row, spec: { id: specId, path } });

/**
 * The viewer's inbox: changes waiting for their review (oldest first), their own changes with
 * decisions they have not seen (newest first), open findings on specs they own (most severe
 * first). A section the viewer may not have is empty.
 */
export async function getInbox(viewer: Viewer) {
  // Something must be readable: a token that reaches none of the sections is refused.
  assertCan(viewer, "specs:read");
  const allowed = sectionsFor(viewer);
  const id = viewer.id;
  const [counts, review, updates, findings] = await Promise.all([
    countInbox(viewer),
    allowed.review
      ? db.$queryRaw<ChangeRow[]>`
          WITH ${identityCtes(id)}
          SELECT c.number, c.title, c.state::text AS state, c.origin::text AS origin, c."createdAt", s.id AS "specId", s.path, r.name AS repository
          FROM "Change" c JOIN "Spec" s ON s.id = c."specId" JOIN "Repository" r ON r.id = s."repositoryId"
          WHERE ${awaitingReviewSql(id)}
          ORDER BY c."createdAt" ASC, c.number ASC LIMIT ${INBOX_PAGE}`
      : [],
    allowed.updates
      ? db.$queryRaw<(ChangeRow & Omit<InboxUpdate, keyof InboxChange>)[]>`
          SELECT c.number, c.title, c.state::text AS state, c.origin::text AS origin, c."createdAt", s.id AS "specId", s.path, r.name AS repository,
                 n.count AS "newDecisions", n.kind AS "latestKind", n.label AS "latestBy", n.at AS "latestAt"
          FROM "Change" c JOIN "Spec" s ON s.id = c."specId" JOIN "Repository" r ON r.id = s."repositoryId"
          CROSS JOIN LATERAL (
            SELECT count(*) OVER ()::int AS count, d.kind::text AS kind, d."reviewerLabel" AS label, d."createdAt" AS at
            FROM "ReviewDecision" d WHERE d."changeId" = c.id AND ${newDecisionSql(id)}
            ORDER BY d.seq DESC LIMIT 1
          ) n
          WHERE c."authorId" = ${id}
          ORDER BY n.at DESC, c.number DESC LIMIT ${INBOX_PAGE}`
      : [],
    allowed.findings
      ? db.$queryRaw<(Omit<InboxFinding, "spec"> & { specId: string; path: string })[]>`
          WITH ${identityCtes(id)}
          SELECT f.id, f.type, f.rule, f.severity::text AS severity, f.message, f."firstSeenAt", s.id AS "specId", s.path, r.name AS repository
          FROM "Finding" f JOIN "Spec" s ON s.id = f."specId" JOIN "Repository" r ON r.id = s."repositoryId"
          WHERE ${openFindingSql}
          ORDER BY f.severity ASC, f."firstSeenAt" ASC, f.id ASC LIMIT ${INBOX_PAGE}`
      : [],
  ]);
  return {
    counts,
    review: review.map(asChange),
    updates: updates.map(({ newDecisions, latestKind, latestBy, latestAt, ...row }) => ({ ...asChange(row), newDecisions, latestKind, latestBy, latestAt })),
    findings: findings.map(({ specId, path, ...row }) => ({ ...row, spec: { id: specId, path } })),
  };
}

export const markSeenInput = z
  .object({
    number: positiveInt(),
    /** The review_seq of the latest revision or decision the viewer was shown. */
    seq: z.string().regex(/^[1-9][0-9]{0,17}$/, "a review sequence number"),
  })
  .strict();
export const markSeenResult = z.object({ number: z.number().int(), seenSeq: z.string() });

/**
 * Moves the viewer's "seen" marker on a change forward to `seq`, never past what the change
 * holds (a marker cannot hide decisions made later) and never backwards.
 */
export async function markChangeSeen(tx: Prisma.TransactionClient, viewer: Viewer, input: z.output<typeof markSeenInput>) {
  const rows = await tx.$queryRaw<{ seenSeq: bigint }[]>`
    INSERT INTO "ChangeSeen" ("userId", "changeId", "seenSeq")
    SELECT ${viewer.id}, c.id, LEAST(${input.seq}::bigint, GREATEST(
      COALESCE((SELECT max(r.seq) FROM "ChangeRevision" r WHERE r."changeId" = c.id), 0),
      COALESCE((SELECT max(d.seq) FROM "ReviewDecision" d WHERE d."changeId" = c.id), 0)))
    FROM "Change" c WHERE c.number = ${input.number}
    ON CONFLICT ("userId", "changeId") DO UPDATE SET "seenSeq" = GREATEST("ChangeSeen"."seenSeq", EXCLUDED."seenSeq"), "seenAt" = now()
    RETURNING "seenSeq"`;
  if (rows.length === 0) throw new AppError("not_found", "Change not found");
  return { result: { number: input.number, seenSeq: rows[0].seenSeq.toString() } };
}
