import type pg from "pg";
import { queueAuditEvent, SYSTEM_ACTOR } from "@/lib/audit";
import { readCommitIdentities, type CommitIdentity } from "@/lib/git/log";
import { attributeCommit } from "./identity";

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
// An earlier decided change of the same spec with exactly the new version's bytes.
type Decided = { specId: string; id: string; number: number; state: "approved" | "rejected" };

/**
 * After an import has written its versions, in the same transaction: each spec whose
 * newest version is new gets a change for it. If an approved proposal for that spec holds
 * exactly these bytes, the version arrives approved (the approval carries over and the
 * proposal is marked as landed). If the spec held exactly these bytes before and they were
 * approved or rejected, that decision carries too: a byte-identical copy keeps its state, so
 * reverting to rejected content does not reopen it as merely unreviewed, and the gate gives
 * one answer whichever version of those bytes a deployment names. Otherwise the version
 * waits for an after-the-fact review. Reviews
 * the new version makes moot are superseded: earlier unreviewed versions, and open
 * proposals written against content that is no longer current.
 */
export async function recordImportedChanges(client: pg.PoolClient, opts: { repositoryId: string; gitDir: string; specIds: string[] }) {
  if (opts.specIds.length === 0) return { unreviewed: 0, carried: 0, rejectedAgain: 0, superseded: 0 };
  // Each changed spec's newest version, unless it already has a change (a replay that
  // found nothing new); deleted specs have no new version but end their open reviews.
  // One backward probe of the (specId, seq) index per spec: sorting every version of every
  // changed spec to keep the last one cost ~100 ms on a first import of 34k versions.
  const latest = await client.query<Latest>(
    `SELECT v.id AS "versionId", s.id AS "specId", v.seq, v."contentHash", v.path, v."commitSha", v."authorEmail",
            s.deleted, s."deletedInCommit"
     FROM "Spec" s
     CROSS JOIN LATERAL (
       SELECT v.id, v.seq, v."contentHash", v.path, v."commitSha", v."authorEmail" FROM "SpecVersion" v
       WHERE v."specId" = s.id ORDER BY v.seq DESC LIMIT 1
     ) v
     WHERE s.id = ANY($1::text[])
       AND (s.deleted OR NOT EXISTS (SELECT 1 FROM "Change" c WHERE c."versionId" = v.id))`,
    [opts.specIds],
  );
  const fresh = latest.rows;
  if (fresh.length === 0) return { unreviewed: 0, carried: 0, rejectedAgain: 0, superseded: 0 };
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

  // Decide everything first, then write it in a few set-based statements.
  const superseded: { id: string; note: string }[] = [];
  const created: { version: Latest; carriedFrom: Open | null }[] = [];
  for (const version of fresh) {
    let carriedFrom: Open | null = null;
    for (const change of openBySpec.get(version.specId) ?? []) {
      if (change.origin === "proposal" && change.currentHash === version.contentHash && !version.deleted) {
        if (change.state === "approved" && !carriedFrom) {
          carriedFrom = change;
          continue;
        }
        if (change.state === "proposed") continue; // the same bytes, still under review
      }
      superseded.push({
        id: change.id,
        note: version.deleted
          ? `The file was deleted in ${version.deletedInCommit?.slice(0, 7) ?? "a later commit"}.`
          : `Version ${version.seq} (${version.commitSha.slice(0, 7)}) changed ${version.path}.`,
      });
    }
    if (!version.deleted) created.push({ version, carriedFrom });
  }

  const decided = await earlierDecisions(
    client,
    created.filter((c) => !c.carriedFrom).map((c) => c.version),
  );

  if (superseded.length > 0) {
    await client.query(
      `INSERT INTO "ReviewDecision" (id, "changeId", kind, "reviewerLabel", body)
       SELECT gen_random_uuid()::text, t.id, 'supersede', 'import', t.note FROM unnest($1::text[], $2::text[]) AS t(id, note)`,
      [superseded.map((x) => x.id), superseded.map((x) => x.note)],
    );
    await client.query(`UPDATE "Change" SET state = 'superseded', "updatedAt" = now() WHERE id = ANY($1::text[])`, [superseded.map((x) => x.id)]);
  }
  if (created.length > 0) {
    // Who committed and who signed each version under review (decision 014): one small git
    // call for the newest versions only, so the history read stays as fast as before.
    const identities = await readCommitIdentities({ gitDir: opts.gitDir, shas: created.map(({ version }) => version.commitSha) });
    const identityOf = (v: Latest): CommitIdentity | null => identities.get(v.commitSha) ?? null;
    const emails = created.flatMap(({ version }) => [version.authorEmail, identityOf(version)?.signerEmail ?? ""]);
    const users = await client.query<{ id: string; email: string }>(
      `SELECT id, email FROM (
         SELECT id, lower(email) AS email, 0 AS rank FROM "User" WHERE lower(email) = ANY($1::text[])
         UNION ALL
         SELECT "userId", email, 1 FROM "UserEmail" WHERE "confirmedAt" IS NOT NULL AND email = ANY($1::text[])
       ) matches ORDER BY rank`,
      [[...new Set(emails.filter(Boolean).map((e) => e.toLowerCase()))]],
    );
    const userByEmail = new Map<string, string>();
    // An account's own email wins over someone's confirmed extra email (linking refuses that clash anyway).
    for (const u of users.rows) if (!userByEmail.has(u.email)) userByEmail.set(u.email, u.id);
    const authorOf = (v: Latest) => attributeCommit({ authorEmail: v.authorEmail, identity: identityOf(v), userByEmail });
    const withIdentity = created.map(({ version }) => ({ version, identity: identityOf(version) })).filter((x) => x.identity !== null);
    if (withIdentity.length > 0) {
      await client.query(
        `INSERT INTO "VersionIdentity" ("versionId", "committerEmail", signature, "signerKey", "signerEmail")
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`,
        [
          withIdentity.map(({ version }) => version.versionId),
          withIdentity.map(({ identity }) => identity!.committerEmail),
          withIdentity.map(({ identity }) => identity!.signature),
          withIdentity.map(({ identity }) => identity!.signerKey),
          withIdentity.map(({ identity }) => identity!.signerEmail),
        ],
      );
    }
    const inserted = await client.query<{ id: string; versionId: string }>(
      `INSERT INTO "Change" (id, "specId", origin, title, "currentHash", "versionId", state, "authorId")
       SELECT gen_random_uuid()::text, t.spec, 'import', t.title, t.hash, t.version, t.state::"ReviewState", t.author
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(spec, title, hash, version, state, author)
       RETURNING id, "versionId"`,
      [
        created.map(({ version }) => version.specId),
        created.map(({ version }) => `${version.path} at ${version.commitSha.slice(0, 7)}`),
        created.map(({ version }) => version.contentHash),
        created.map(({ version }) => version.versionId),
        created.map(({ version, carriedFrom }) => (carriedFrom ? "approved" : (decided.get(version.specId)?.state ?? "unreviewed"))),
        created.map(({ version }) => authorOf(version)),
      ],
    );
    const changeOf = new Map(inserted.rows.map((r) => [r.versionId, r.id]));
    await client.query(
      `INSERT INTO "ChangeRevision" (id, "changeId", number, "contentHash", "authorId", "authorLabel", "versionId")
       SELECT gen_random_uuid()::text, t.change, 1, t.hash, t.author, t.label, t.version
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(change, hash, author, label, version)`,
      [
        created.map(({ version }) => changeOf.get(version.versionId)),
        created.map(({ version }) => version.contentHash),
        created.map(({ version }) => authorOf(version)),
        created.map(({ version }) => version.authorEmail),
        created.map(({ version }) => version.versionId),
      ],
    );
    // Carried approvals are rare (an approved proposal landing): one pair of statements each.
    for (const { version, carriedFrom } of created) {
      if (!carriedFrom) continue;
      // A proposal approved as breaking lands as breaking: the gate reads it on the version.
      await client.query(
        `INSERT INTO "ReviewDecision" (id, "changeId", kind, "contentHash", "revisionNumber", "reviewerLabel", body, "carriedFromId", breaking)
         SELECT gen_random_uuid()::text, $1, 'carry', $2, 1, 'import', $3, $4,
                coalesce((SELECT bool_or(breaking) FROM "ReviewDecision" WHERE "changeId" = $4 AND kind IN ('approve', 'override') AND "contentHash" = $2), false)`,
        [changeOf.get(version.versionId), version.contentHash, `The approved proposal #${carriedFrom.number} holds exactly these bytes.`, carriedFrom.id],
      );
      await client.query(`UPDATE "Change" SET "landedVersionId" = $2, "updatedAt" = now() WHERE id = $1`, [carriedFrom.id, version.versionId]);
    }
    const again = created.filter(({ version, carriedFrom }) => !carriedFrom && decided.has(version.specId));
    if (again.length > 0) {
      // The earlier decision, restated for these bytes: an approval as a carry (with its
      // breaking mark), a rejection as a rejection. Either one names the change it came from.
      await client.query(
        `INSERT INTO "ReviewDecision" (id, "changeId", kind, "contentHash", "revisionNumber", "reviewerLabel", body, "carriedFromId", breaking)
         SELECT gen_random_uuid()::text, t.change, t.kind::"DecisionKind", t.hash, 1, 'import', t.body, t.source,
                t.kind = 'carry' AND coalesce((SELECT bool_or(d.breaking) FROM "ReviewDecision" d
                  WHERE d."changeId" = t.source AND d.kind IN ('approve', 'override', 'accept', 'carry') AND d."contentHash" = t.hash), false)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(change, kind, hash, body, source)`,
        [
          again.map(({ version }) => changeOf.get(version.versionId)),
          again.map(({ version }) => (decided.get(version.specId)!.state === "approved" ? "carry" : "reject")),
          again.map(({ version }) => version.contentHash),
          again.map(({ version }) => {
            const earlier = decided.get(version.specId)!;
            return `These are exactly the bytes ${earlier.state === "approved" ? "approved" : "rejected"} in change #${earlier.number}.`;
          }),
          again.map(({ version }) => decided.get(version.specId)!.id),
        ],
      );
    }
  }
  const counts = {
    unreviewed: created.filter((c) => !c.carriedFrom && !decided.has(c.version.specId)).length,
    carried: created.filter((c) => c.carriedFrom || decided.get(c.version.specId)?.state === "approved").length,
    rejectedAgain: created.filter((c) => !c.carriedFrom && decided.get(c.version.specId)?.state === "rejected").length,
    superseded: superseded.length,
  };
  if (counts.unreviewed + counts.carried + counts.rejectedAgain + counts.superseded > 0) {
    // Queued, not chained: the import's transaction is long and must not hold the chain's
    // lock; the event commits with these changes and is chained right after (decision 005).
    await queueAuditEvent({ client, actor: SYSTEM_ACTOR, action: "import.reviews_recorded", subject: `repository:${opts.repositoryId}`, payload: counts });
  }
  return counts;
}

/**
 * The latest approved or rejected change of each spec whose content equals its new version's
 * bytes (the newest decision on those bytes wins). Proposals count too: their bytes were judged.
 */
async function earlierDecisions(client: pg.PoolClient, versions: Latest[]): Promise<Map<string, Decided>> {
  if (versions.length === 0) return new Map();
  const { rows } = await client.query<Decided>(
    `SELECT DISTINCT ON (t.spec) t.spec AS "specId", c.id, c.number, c.state::text AS state
     FROM unnest($1::text[], $2::text[], $3::text[]) AS t(spec, hash, version)
     JOIN "Change" c ON c."specId" = t.spec AND c."currentHash" = t.hash AND c.state IN ('approved', 'rejected')
       AND c."versionId" IS DISTINCT FROM t.version
     ORDER BY t.spec, c.number DESC`,
    [versions.map((v) => v.specId), versions.map((v) => v.contentHash), versions.map((v) => v.versionId)],
  );
  return new Map(rows.map((r) => [r.specId, r]));
}
