import type pg from "pg";
import { appendAuditEvent, SYSTEM_ACTOR } from "@/lib/audit";

type Latest = {
  versionId: string;
  specId: string;
  seq: number;
  contentHash: string;
  path: string;
  commitSha: string;
  authorEmail: string;
  deleted: boolean;
  deletedInCommit: string | null;
};
type Open = { id: string; number: number; specId: string; origin: "proposal" | "import"; state: string; currentHash: string };

/**
 * After an import has written its versions, in the same transaction: each spec whose
 * newest version is new gets a change for it. If an approved proposal for that spec holds
 * exactly these bytes, the version arrives approved (the approval carries over and the
 * proposal is marked as landed); otherwise it waits for an after-the-fact review. Reviews
 * the new version makes moot are superseded: earlier unreviewed versions, and open
 * proposals written against content that is no longer current.
 */
export async function recordImportedChanges(client: pg.PoolClient, opts: { repositoryId: string; specIds: string[] }) {
  if (opts.specIds.length === 0) return { unreviewed: 0, carried: 0, superseded: 0 };
  // Each changed spec's newest version, unless it already has a change (a replay that
  // found nothing new); deleted specs have no new version but end their open reviews.
  const latest = await client.query<Latest>(
    `SELECT l.* FROM (
       SELECT DISTINCT ON (v."specId") v.id AS "versionId", v."specId", v.seq, v."contentHash", v.path, v."commitSha", v."authorEmail",
              s.deleted, s."deletedInCommit"
       FROM "SpecVersion" v JOIN "Spec" s ON s.id = v."specId"
       WHERE v."specId" = ANY($1::text[])
       ORDER BY v."specId", v.seq DESC
     ) l
     WHERE l.deleted OR NOT EXISTS (SELECT 1 FROM "Change" c WHERE c."versionId" = l."versionId")`,
    [opts.specIds],
  );
  const fresh = latest.rows;
  if (fresh.length === 0) return { unreviewed: 0, carried: 0, superseded: 0 };
  const specIds = fresh.map((l) => l.specId);
  const open = await client.query<Open>(
    `SELECT id, number, "specId", origin::text AS origin, state::text AS state, "currentHash" FROM "Change"
     WHERE "specId" = ANY($1::text[])
       AND (state IN ('proposed', 'unreviewed') OR (origin = 'proposal' AND state = 'approved' AND "landedVersionId" IS NULL))
     ORDER BY number FOR UPDATE`,
    [specIds],
  );
  const openBySpec = new Map<string, Open[]>();
  for (const c of open.rows) {
    openBySpec.set(c.specId, [...(openBySpec.get(c.specId) ?? []), c]);
  }
  const authors = await client.query<{ id: string; email: string }>(`SELECT id, lower(email) AS email FROM "User" WHERE lower(email) = ANY($1::text[])`, [
    [...new Set(fresh.map((l) => l.authorEmail.toLowerCase()))],
  ]);
  const userByEmail = new Map(authors.rows.map((u) => [u.email, u.id]));

  const counts = { unreviewed: 0, carried: 0, superseded: 0 };
  const supersede = async (change: Open, note: string) => {
    await client.query(
      `INSERT INTO "ReviewDecision" (id, "changeId", kind, "reviewerLabel", body) VALUES (gen_random_uuid()::text, $1, 'supersede', 'import', $2)`,
      [change.id, note],
    );
    await client.query(`UPDATE "Change" SET state = 'superseded', "updatedAt" = now() WHERE id = $1`, [change.id]);
    counts.superseded++;
  };

  for (const version of fresh) {
    const short = version.commitSha.slice(0, 7);
    let carriedFrom: Open | undefined;
    for (const change of openBySpec.get(version.specId) ?? []) {
      if (change.origin === "proposal" && change.currentHash === version.contentHash && !version.deleted) {
        if (change.state === "approved" && !carriedFrom) {
          carriedFrom = change;
          continue;
        }
        if (change.state === "proposed") continue; // the same bytes, still under review
      }
      await supersede(
        change,
        version.deleted ? `The file was deleted in ${version.deletedInCommit?.slice(0, 7) ?? "a later commit"}.` : `Version ${version.seq} (${short}) changed ${version.path}.`,
      );
    }
    if (version.deleted) continue;
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO "Change" (id, "specId", origin, title, "currentHash", "versionId", state, "authorId")
       VALUES (gen_random_uuid()::text, $1, 'import', $2, $3, $4, $5, $6) RETURNING id`,
      [version.specId, `${version.path} at ${short}`, version.contentHash, version.versionId, carriedFrom ? "approved" : "unreviewed", userByEmail.get(version.authorEmail.toLowerCase()) ?? null],
    );
    const changeId = inserted.rows[0].id;
    await client.query(
      `INSERT INTO "ChangeRevision" (id, "changeId", number, "contentHash", "authorId", "authorLabel", "versionId")
       VALUES (gen_random_uuid()::text, $1, 1, $2, $3, $4, $5)`,
      [changeId, version.contentHash, userByEmail.get(version.authorEmail.toLowerCase()) ?? null, version.authorEmail, version.versionId],
    );
    if (carriedFrom) {
      // A proposal approved as breaking lands as breaking: the gate reads it on the version.
      await client.query(
        `INSERT INTO "ReviewDecision" (id, "changeId", kind, "contentHash", "revisionNumber", "reviewerLabel", body, "carriedFromId", breaking)
         SELECT gen_random_uuid()::text, $1, 'carry', $2, 1, 'import', $3, $4,
                coalesce((SELECT bool_or(breaking) FROM "ReviewDecision" WHERE "changeId" = $4 AND kind IN ('approve', 'override') AND "contentHash" = $2), false)`,
        [changeId, version.contentHash, `The approved proposal #${carriedFrom.number} holds exactly these bytes.`, carriedFrom.id],
      );
      await client.query(`UPDATE "Change" SET "landedVersionId" = $2, "updatedAt" = now() WHERE id = $1`, [carriedFrom.id, version.versionId]);
      counts.carried++;
    } else {
      counts.unreviewed++;
    }
  }
  if (counts.unreviewed + counts.carried + counts.superseded > 0) {
    await appendAuditEvent({ client, actor: SYSTEM_ACTOR, action: "import.reviews_recorded", subject: `repository:${opts.repositoryId}`, payload: counts });
  }
  return counts;
}
