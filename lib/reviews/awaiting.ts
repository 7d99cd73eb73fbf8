import { Prisma } from "@/lib/db";

// The review queue's rules as SQL fragments, so the review list, the inbox and the navigation
// count ask the same question (each composes them into one statement of its own).

/**
 * CTEs naming the user `userId` as owner lists and commits do: `identities` (email, @handle,
 * team slugs, lowercased) and `emails` (primary and confirmed emails, lowercased).
 */
export function identityCtes(userId: string): Prisma.Sql {
  return Prisma.sql`
    me AS (SELECT lower(email) AS email, lower(handle) AS handle FROM "User" WHERE id = ${userId}),
    identities AS (
      SELECT email AS identity FROM me
      UNION SELECT '@' || handle FROM me WHERE handle IS NOT NULL
      UNION SELECT lower(t.slug) FROM "TeamMember" m JOIN "Team" t ON t.id = m."teamId" WHERE m."userId" = ${userId}
    ),
    emails AS (
      SELECT email FROM me
      UNION SELECT lower(email) FROM "UserEmail" WHERE "userId" = ${userId} AND "confirmedAt" IS NOT NULL
    )`;
}

/** Whether spec `s` is owned by the user of identityCtes (directly, by handle or through a team). */
export const ownedBySql = Prisma.sql`EXISTS (SELECT 1 FROM unnest(s.owners) o WHERE lower(o) IN (SELECT identity FROM identities))`;

/**
 * Whether change `c` (of spec `s`) waits for `userId`'s review: open, to a spec they own, not
 * opened by them, bytes not uploaded by them, not named by an imported version's commit
 * (decision 014), and no vote of theirs on its current content. Needs identityCtes.
 */
export function awaitingReviewSql(userId: string): Prisma.Sql {
  return Prisma.sql`c.state IN ('proposed', 'unreviewed')
      AND ${ownedBySql}
      AND c."authorId" IS DISTINCT FROM ${userId}
      AND NOT EXISTS (
        SELECT 1 FROM "SpecVersion" v LEFT JOIN "VersionIdentity" i ON i."versionId" = v.id
        WHERE v.id = c."versionId"
          AND (lower(v."authorEmail") IN (SELECT email FROM emails) OR lower(i."committerEmail") IN (SELECT email FROM emails)
               OR (i.signature = 'G' AND lower(i."signerEmail") IN (SELECT email FROM emails))))
      AND NOT EXISTS (
        SELECT 1 FROM "ChangeRevision" r WHERE r."changeId" = c.id AND r."authorId" = ${userId} AND r."contentHash" = c."currentHash")
      AND NOT EXISTS (
        SELECT 1 FROM "ReviewDecision" d WHERE d."changeId" = c.id AND d."reviewerId" = ${userId}
          AND d.kind IN ('approve', 'request_changes', 'reject') AND d."contentHash" = c."currentHash")`;
}
