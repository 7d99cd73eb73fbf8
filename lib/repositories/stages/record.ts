import type pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { AppError } from "@/lib/errors";
import { BinaryCopyEncoder, copyEncodedRows } from "@/lib/specs/binary-copy";
import type { SpecRow, VersionRow } from "@/lib/specs/history";
import { featureOf } from "@/lib/specs/kinds";
import type { SkippedFileRow } from "./plan-versions";

/**
 * Takes the repository's row lock for the import's transaction and returns what the last
 * import left: imports of one repository take turns, and the range to read is decided only
 * once the lock is held (the second one reads what the first one left, usually nothing).
 * A lock not had within the transaction's lock_timeout is a conflict. It is FOR NO KEY UPDATE,
 * not FOR UPDATE: rows that merely reference the repository (a webhook delivery, the next
 * import's request) take a key-share lock, which this one lets through, so they are not held
 * for the import's whole transaction (docs/decisions/033).
 */
export async function lockRepository(client: pg.PoolClient, repositoryId: string): Promise<{ headCommit: string | null; kindRulesHash: string | null }> {
  try {
    const locked = await client.query<{ headCommit: string | null; kindRulesHash: string | null }>(
      `SELECT "headCommit", "kindRulesHash" FROM "Repository" WHERE id = $1 FOR NO KEY UPDATE`,
      [repositoryId],
    );
    if (locked.rows.length === 0) throw new AppError("not_found", "Repository not found");
    return locked.rows[0];
  } catch (error) {
    if ((error as { code?: string }).code === "55P03") throw new AppError("conflict", "Another import of this repository is still running.");
    throw error;
  }
}

/** Marks an import that found nothing new as done. */
export async function markUpToDate(client: pg.PoolClient, repositoryId: string): Promise<void> {
  await client.query(`UPDATE "Repository" SET status = 'ready', "lastError" = NULL, "lastImportAt" = now() WHERE id = $1`, [repositoryId]);
}

/**
 * Encodes the version rows for the binary COPY, in the order given, with time-ordered ids
 * (UUIDv7, increasing within this process) so that the primary key fills its pages left to right.
 */
export function encodeVersionRows(versions: readonly VersionRow[]): Buffer[] {
  const rows = new BinaryCopyEncoder();
  for (const { specId, seq, version: v, contentHash } of versions) {
    rows
      .row(11)
      .text(uuidv7())
      .text(specId)
      .int4(seq)
      .text(contentHash)
      .text(v.blobId)
      .text(v.path)
      .bool(v.isSymlink)
      .text(v.commit.sha)
      .text(v.commit.authorName)
      .text(v.commit.authorEmail)
      .timestamp(v.commit.committedAt);
  }
  return rows.finish();
}

/**
 * Stage 6, record: writes the specs (insert or update by id). Existing specs are first taken
 * out of the live-path index so that renames which swap paths within one import never
 * collide half-way.
 */
export async function recordSpecs(client: pg.PoolClient, opts: { repositoryId: string; specs: readonly SpecRow[]; featureIds: Map<string, string> }) {
  const { specs } = opts;
  const updates = specs.filter((r) => !r.isNew).map((r) => r.id);
  if (updates.length > 0) await client.query(`UPDATE "Spec" SET "deleted" = true WHERE id = ANY($1::text[])`, [updates]);
  if (specs.length === 0) return;
  await client.query(
    `INSERT INTO "Spec" ("id", "repositoryId", "path", "kind", "featureId", "deleted", "deletedAt", "deletedInCommit",
                         "currentHash", "versionCount", "updatedAt")
     SELECT t.id, $1, t.path, t.kind, t.feature, t.deleted, t.deleted_at, t.deleted_in, t.current, t.count, now()
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::timestamptz[], $8::text[], $9::text[], $10::int[])
       AS t(id, path, kind, feature, deleted, deleted_at, deleted_in, current, count)
     ON CONFLICT ("id") DO UPDATE SET
       "path" = EXCLUDED."path", "kind" = EXCLUDED."kind", "featureId" = EXCLUDED."featureId",
       "deleted" = EXCLUDED."deleted", "deletedAt" = EXCLUDED."deletedAt", "deletedInCommit" = EXCLUDED."deletedInCommit",
       "currentHash" = EXCLUDED."currentHash", "versionCount" = EXCLUDED."versionCount", "updatedAt" = now()`,
    [
      opts.repositoryId,
      specs.map((r) => r.id),
      specs.map((r) => r.path),
      specs.map((r) => r.kind),
      specs.map((r) => opts.featureIds.get(featureOf(r.path)?.key ?? "") ?? null),
      specs.map((r) => r.deleted),
      specs.map((r) => r.deletedAt),
      specs.map((r) => r.deletedInCommit),
      specs.map((r) => r.currentHash),
      specs.map((r) => r.versionCount),
    ],
  );
}

const VERSION_COLUMNS = ["id", "specId", "seq", "contentHash", "blobId", "path", "isSymlink", "commitSha", "authorName", "authorEmail", "committedAt"];

/** Writes the encoded version rows with one binary COPY (their specs and contents must be stored). */
export async function recordVersions(client: pg.PoolClient, encoded: Buffer[]): Promise<void> {
  await copyEncodedRows(client, `"SpecVersion"`, VERSION_COLUMNS, encoded);
}

/** Records the files that were skipped, with the reason; a file already recorded is kept as it was. */
export async function recordSkippedFiles(client: pg.PoolClient, repositoryId: string, skips: readonly SkippedFileRow[]): Promise<void> {
  if (skips.length === 0) return;
  await client.query(
    `INSERT INTO "SkippedFile" ("id", "repositoryId", "path", "blobId", "commitSha", "reason", "detail")
     SELECT gen_random_uuid()::text, $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
     ON CONFLICT DO NOTHING`,
    [repositoryId, skips.map((s) => s.path), skips.map((s) => s.blobId), skips.map((s) => s.commitSha), skips.map((s) => s.reason), skips.map((s) => s.detail)],
  );
}

/** Records the head the repository is now imported at, and returns its spec counts (for the import's warning). */
export async function recordHead(
  client: pg.PoolClient,
  opts: { repositoryId: string; head: string; branch: string; kindRulesHash: string },
): Promise<{ live: number; all: number; versions: number }> {
  await client.query(
    `UPDATE "Repository" SET "headCommit" = $2, "defaultBranch" = $3, "kindRulesHash" = $4,
            status = 'ready', "lastError" = NULL, "lastImportAt" = now()
     WHERE id = $1`,
    [opts.repositoryId, opts.head, opts.branch, opts.kindRulesHash],
  );
  const counted = await client.query<{ live: number; all: number; versions: number }>(
    `SELECT count(*) FILTER (WHERE NOT deleted)::int AS live, count(*)::int AS all, coalesce(sum("versionCount"), 0)::int AS versions
     FROM "Spec" WHERE "repositoryId" = $1`,
    [opts.repositoryId],
  );
  return counted.rows[0];
}
