import { randomUUID } from "node:crypto";
import path from "node:path";
import { db as defaultDb, type PrismaClient } from "@/lib/db";
import { copyRows, openCopy, pgPool, withPgTransaction } from "@/lib/db/pg";
import { AppError } from "@/lib/errors";
import { openBlobReader } from "@/lib/git/cat-file";
import { streamLog, type CommitRecord } from "@/lib/git/log";
import { countCommits, isAncestor, resolveSource } from "@/lib/git/source";
import { dataDir } from "@/lib/paths";
import { DEFAULT_MAX_FILE_BYTES, checkBlob, hashContent } from "./content";
import { planHistory, type TrackedSpec } from "./history";
import { compileKindRules, featureOf, kindRulesFromEnv, type SpecKind } from "./kinds";

export type ImportPhase = "resolving" | "scanning" | "reading" | "writing";

export interface ImportProgress {
  phase: ImportPhase;
  done: number;
  total: number;
}

export interface ImportResult {
  fromCommit: string | null;
  toCommit: string;
  commitsRead: number;
  versionsAdded: number;
  specsAdded: number;
  specsDeleted: number;
  filesSkipped: number;
  /** Set when the import worked but there is something the user should know. */
  warning: string | null;
}

export interface ImportRepositoryOptions {
  repositoryId: string;
  onProgress?: (progress: ImportProgress) => void;
  maxFileBytes?: number;
  db?: PrismaClient;
}

interface Skip {
  path: string;
  blobId: string;
  commitSha: string;
  reason: string;
  detail: string;
}

const NULL_BLOB = "0000000000000000000000000000000000000000";

/**
 * Imports a repository's default branch: every recognised file's history becomes versions.
 * Reads git with one `git log` stream and, at the same time, one `git cat-file --batch`
 * fed with the blob ids as the log names them; then writes everything in one transaction
 * (COPY into staging tables), so a failure leaves the database as it was. A later run reads
 * only the commits after the last imported head.
 */
export async function importRepository(opts: ImportRepositoryOptions): Promise<ImportResult> {
  const db = opts.db ?? defaultDb;
  const progress = opts.onProgress ?? (() => {});
  const maxFileBytes = opts.maxFileBytes ?? Number(process.env.SPECLEDGER_MAX_FILE_BYTES ?? DEFAULT_MAX_FILE_BYTES);
  const repo = await db.repository.findUnique({ where: { id: opts.repositoryId } });
  if (!repo) throw new AppError("not_found", "Repository not found");

  progress({ phase: "resolving", done: 0, total: 1 });
  const source = await resolveSource({
    source: repo.source,
    mirrorDir: path.join(dataDir(), "mirrors", `${repo.id}.git`),
    branch: repo.defaultBranch,
  });
  if (!source.head) throw new AppError("unprocessable", `The branch ${source.branch} has no commits yet.`);
  const head = source.head;
  const empty: ImportResult = {
    fromCommit: repo.headCommit, toCommit: head, commitsRead: 0, versionsAdded: 0,
    specsAdded: 0, specsDeleted: 0, filesSkipped: 0, warning: null,
  };
  if (repo.headCommit === head) {
    await db.repository.update({ where: { id: repo.id }, data: { status: "ready", lastImportAt: new Date(), lastError: null } });
    return empty;
  }

  const incremental = repo.headCommit !== null && (await isAncestor(source.gitDir, repo.headCommit, head));
  const range = incremental ? `${repo.headCommit}..${head}` : head;
  const classify = compileKindRules(kindRulesFromEnv());
  const result: ImportResult = { ...empty };
  let writeTotalDone = 0;
  let seen = 0;

  // Everything from here runs in one transaction, so a failure leaves the database as it
  // was. Two imports of one repository must not interleave: the second waits for the row
  // lock, then sees the first one's head and gives up rather than writing history twice.
  const write = () => withPgTransaction(async (client) => {
    const locked = await client.query<{ headCommit: string | null }>(`SELECT "headCommit" FROM "Repository" WHERE id = $1 FOR UPDATE`, [repo.id]);
    // An import is re-derivable from git: if the server crashes in the instant after COMMIT
    // returns, the next import simply redoes it. Not waiting for that last WAL flush is a
    // fair trade here (never for reviews or audit events).
    await client.query(`SET LOCAL synchronous_commit = off`);
    if (locked.rows[0]?.headCommit !== repo.headCommit) {
      throw new AppError("conflict", "Another import of this repository finished first; run the import again.");
    }

    // 1. History and contents, read concurrently: each recognised blob is requested from
    //    cat-file as soon as the log names it, and its content is streamed to the database
    //    (COPY into a staging table) while git keeps reading. The log is not limited by
    //    pathspecs: glob pathspecs made git 2.4x slower than classifying every path here.
    const total = await countCommits(source.gitDir, range);
    progress({ phase: "scanning", done: 0, total });
    // Content goes straight into its table. What is already stored (by any repository) is
    // left out, checked per batch on a second connection; a concurrent import storing the
    // same content at the same moment makes the COPY fail and the import is retried once.
    const contentSink = openCopy(client, `"Content"`, ["hash", "size", "text"]);
    const blobHash = new Map<string, string>();
    const written = new Set<string>();
    const skipped = new Map<string, { reason: string; detail: string }>();
    let batch: { hash: string; size: number; body: Uint8Array }[] = [];
    let checking: Promise<void> = Promise.resolve();
    const flush = () => {
      const pending = batch;
      batch = [];
      checking = checking.then(async () => {
        const stored = await pgPool().query<{ hash: string }>(`SELECT hash FROM "Content" WHERE hash = ANY($1::text[])`, [pending.map((c) => c.hash)]);
        const storedSet = new Set(stored.rows.map((r) => r.hash));
        for (const c of pending) if (!storedSet.has(c.hash)) contentSink.write([c.hash, c.size, c.body]);
      });
      checking.catch(() => {}); // surfaced by the `await checking` below
    };
    const reader = openBlobReader({
      gitDir: source.gitDir,
      onBlob: (blobId, bytes) => {
        if (!bytes) return void skipped.set(blobId, { reason: "missing", detail: "The blob is missing from the repository." });
        const checked = checkBlob(bytes, { maxBytes: maxFileBytes });
        if (!checked.ok) return void skipped.set(blobId, { reason: checked.reason, detail: checked.detail });
        const hash = hashContent(bytes);
        blobHash.set(blobId, hash);
        if (written.has(hash)) return;
        written.add(hash);
        batch.push({ hash, size: bytes.length, body: checked.body });
        if (batch.length >= 1000) flush();
      },
    });
    const requested = new Set<string>();
    const commits: CommitRecord[] = [];
    try {
      await streamLog({
        gitDir: source.gitDir,
        range,
        pathspecs: [],
        onCommit: (commit) => {
          // Keep only recognised paths (and renames out of them): the planner needs no more.
          commit.changes = commit.changes.filter((c) => classify(c.path) || (c.oldPath !== c.path && classify(c.oldPath)));
          for (const change of commit.changes) {
            if (change.status === "D" || change.newBlob === NULL_BLOB || requested.has(change.newBlob) || !classify(change.path)) continue;
            requested.add(change.newBlob);
            reader.request(change.newBlob);
          }
          if (commit.changes.length > 0) commits.push(commit);
          if (++seen % 500 === 0) progress({ phase: "scanning", done: seen, total });
        },
      });
    } finally {
      progress({ phase: "reading", done: blobHash.size + skipped.size, total: requested.size });
      await reader.close();
    }
    flush();
    await checking;
    await contentSink.end();
    progress({ phase: "reading", done: requested.size, total: requested.size });

    const existing = await db.spec.findMany({
      where: { repositoryId: repo.id, deleted: false },
      select: { id: true, path: true, kind: true, versionCount: true, currentHash: true },
    });
    const live = new Map<string, TrackedSpec>(
      existing.map((s) => [s.path, { id: s.id, path: s.path, kind: s.kind as SpecKind, isNew: false }]),
    );
    const before = new Map(existing.map((s) => [s.id, s]));
    commits.reverse(); // the log streams newest first; history replays oldest first
    const plan = planHistory({ commits, live, classify, newId: randomUUID });

    // 2. Decide the final state of every touched spec.
    const versionsBySpec = new Map<string, typeof plan.versions>();
    const skips = new Map<string, Skip>();
    for (const v of plan.versions) {
      const skip = skipped.get(v.blobId);
      if (skip) {
        if (!skips.has(v.blobId)) skips.set(v.blobId, { path: v.path, blobId: v.blobId, commitSha: v.commit.sha, ...skip });
        continue; // skipped content makes no version
      }
      const list = versionsBySpec.get(v.specId) ?? [];
      list.push(v);
      versionsBySpec.set(v.specId, list);
    }
    const deletedBy = new Map(plan.deletions.map((d) => [d.specId, d.commit]));
    const liveIds = new Set([...plan.live.values()].map((s) => s.id));
    // A new spec all of whose contents were skipped never becomes a spec.
    const touched = [...plan.touched.values()].filter((s) => !s.isNew || versionsBySpec.has(s.id));
    const features = new Map<string, string>();
    for (const spec of touched) {
      const feature = featureOf(spec.path);
      if (feature) features.set(feature.key, feature.name);
    }
    const rows = touched.map((spec) => {
      const versions = versionsBySpec.get(spec.id) ?? [];
      const previous = before.get(spec.id);
      const last = versions.at(-1);
      const deletion = liveIds.has(spec.id) ? null : (deletedBy.get(spec.id) ?? null);
      return {
        id: spec.id,
        path: spec.path,
        kind: spec.kind,
        featureKey: featureOf(spec.path)?.key ?? null,
        deleted: deletion !== null,
        deletedAt: deletion?.committedAt ?? null,
        deletedInCommit: deletion?.sha ?? null,
        currentHash: last ? blobHash.get(last.blobId)! : (previous?.currentHash ?? null),
        versionCount: (previous?.versionCount ?? 0) + versions.length,
        isNew: spec.isNew,
      };
    });
    const versionRows = [...versionsBySpec.entries()].flatMap(([specId, versions]) => {
      const start = before.get(specId)?.versionCount ?? 0;
      return versions.map((v, index) => ({ v, specId, seq: start + index + 1 }));
    });
    const skipList = [...skips.values()];

    // 3. Write.
    const writeTotal = written.size + versionRows.length + rows.length;
    progress({ phase: "writing", done: 0, total: writeTotal });
    progress({ phase: "writing", done: written.size, total: writeTotal });

    const featureKeys = [...features.keys()];
    const featureIds = new Map<string, string>();
    if (featureKeys.length > 0) {
      await client.query(
        `INSERT INTO "Feature" ("id", "repositoryId", "key", "name")
         SELECT gen_random_uuid()::text, $1, k, n FROM unnest($2::text[], $3::text[]) AS t(k, n)
         ON CONFLICT ("repositoryId", "key") DO NOTHING`,
        [repo.id, featureKeys, featureKeys.map((k) => features.get(k)!)],
      );
      const found = await client.query<{ id: string; key: string }>(
        `SELECT id, key FROM "Feature" WHERE "repositoryId" = $1 AND key = ANY($2::text[])`,
        [repo.id, featureKeys],
      );
      for (const f of found.rows) featureIds.set(f.key, f.id);
    }

    // Existing specs are first taken out of the live-path index so that renames which swap
    // paths within one import never collide half-way.
    const updates = rows.filter((r) => !r.isNew).map((r) => r.id);
    if (updates.length > 0) await client.query(`UPDATE "Spec" SET "deleted" = true WHERE id = ANY($1::text[])`, [updates]);
    if (rows.length > 0) {
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
          repo.id,
          rows.map((r) => r.id),
          rows.map((r) => r.path),
          rows.map((r) => r.kind),
          rows.map((r) => (r.featureKey ? (featureIds.get(r.featureKey) ?? null) : null)),
          rows.map((r) => r.deleted),
          rows.map((r) => r.deletedAt),
          rows.map((r) => r.deletedInCommit),
          rows.map((r) => r.currentHash),
          rows.map((r) => r.versionCount),
        ],
      );
    }

    // A rewritten history is walked again in full; versions already stored are left out.
    const known = new Set<string>();
    if (!incremental && existing.length > 0) {
      const found = await client.query<{ key: string }>(
        `SELECT v."specId" || ' ' || v."commitSha" AS key FROM "SpecVersion" v JOIN "Spec" s ON s.id = v."specId" WHERE s."repositoryId" = $1`,
        [repo.id],
      );
      for (const row of found.rows) known.add(row.key);
    }
    const columns = ["id", "specId", "seq", "contentHash", "blobId", "path", "isSymlink", "commitSha", "authorName", "authorEmail", "committedAt"];
    await copyRows(client, `"SpecVersion"`, columns, (function* () {
      for (const r of versionRows) {
        const v = r.v;
        if (known.has(`${r.specId} ${v.commit.sha}`)) continue;
        yield [randomUUID(), r.specId, r.seq, blobHash.get(v.blobId)!, v.blobId, v.path, v.isSymlink, v.commit.sha, v.commit.authorName, v.commit.authorEmail, v.commit.committedAt];
      }
    })());
    progress({ phase: "writing", done: written.size + versionRows.length, total: writeTotal });

    if (rows.length > 0) {
      await client.query(
        `UPDATE "Spec" s SET "search" = setweight(to_tsvector('simple', replace(replace(s."path", '/', ' '), '.', ' ')), 'A')
                                     || setweight(to_tsvector('english', left(c."text", 200000)), 'B')
         FROM "Content" c WHERE c."hash" = s."currentHash" AND s.id = ANY($1::text[])`,
        [rows.map((r) => r.id)],
      );
    }
    if (skipList.length > 0) {
      await client.query(
        `INSERT INTO "SkippedFile" ("id", "repositoryId", "path", "blobId", "commitSha", "reason", "detail")
         SELECT gen_random_uuid()::text, $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         ON CONFLICT DO NOTHING`,
        [repo.id, skipList.map((s) => s.path), skipList.map((s) => s.blobId), skipList.map((s) => s.commitSha), skipList.map((s) => s.reason), skipList.map((s) => s.detail)],
      );
    }
    await client.query(
      `UPDATE "Repository" SET "headCommit" = $2, "defaultBranch" = $3, "gitDir" = $4, status = 'ready', "lastError" = NULL, "lastImportAt" = now()
       WHERE id = $1`,
      [repo.id, head, source.branch, source.gitDir],
    );
    const counted = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Spec" WHERE "repositoryId" = $1 AND NOT deleted`, [repo.id]);
    result.commitsRead = commits.length;
    result.versionsAdded = versionRows.length;
    result.specsAdded = rows.filter((r) => r.isNew).length;
    result.specsDeleted = rows.filter((r) => r.deleted).length;
    result.filesSkipped = skipList.length;
    writeTotalDone = writeTotal;
    return counted.rows[0].n;
  });
  let liveCount: number;
  try {
    liveCount = await write();
  } catch (error) {
    if ((error as { constraint?: string }).constraint !== "Content_pkey") throw error;
    seen = 0;
    liveCount = await write();
  }
  progress({ phase: "writing", done: writeTotalDone, total: writeTotalDone });
  return {
    ...result,
    warning:
      liveCount === 0
        ? `No recognised spec or agent files on ${source.branch}. Specledger looks for Spec Kit, Kiro, AGENTS.md, CLAUDE.md and contract files; see the kinds table.`
        : null,
  };
}
