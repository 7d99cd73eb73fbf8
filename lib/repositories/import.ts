import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { db as defaultDb, type PrismaClient } from "@/lib/db";
import { withPgTransaction } from "@/lib/db/pg";
import { flushPendingAuditEvents } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { openBlobReader } from "@/lib/git/cat-file";
import { streamLog, type CommitRecord } from "@/lib/git/log";
import { resolveSource } from "@/lib/git/mirror";
import { countCommits, isAncestor } from "@/lib/git/source";
import { refreshOwnership, readCodeowners } from "@/lib/ownership";
import { recordImportedChanges } from "@/lib/reviews/imported";
import { ensureSignatures } from "@/lib/findings/duplicates";
import { BinaryCopyEncoder, copyEncodedRows, openBinaryCopy } from "@/lib/specs/binary-copy";
import { DEFAULT_MAX_FILE_BYTES, checkBlob, hashContent } from "@/lib/specs/content";
import { finalizePlan, planHistory, type StoredSpec, type TrackedSpec } from "@/lib/specs/history";
import { importWarning } from "@/lib/specs/import-summary";
import { compileKindRules, featureOf, kindRulesFromEnv, type SpecKind } from "@/lib/specs/kinds";

export type ImportPhase = "resolving" | "scanning" | "reading" | "writing";

export interface ImportProgress {
  phase: ImportPhase;
  done: number;
  total: number;
}

export interface ImportResult {
  fromCommit: string | null;
  toCommit: string;
  /** Every commit in the range read from git (all of them, whatever they changed). */
  commitsScanned: number;
  /** The commits among them that added, changed, renamed or deleted a recognised file. */
  commitsWithSpecChanges: number;
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
  /** Told how long each step of the write took, in milliseconds (the benchmark prints them). */
  onStep?: (step: string, ms: number) => void;
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
 * fed with the blob ids as the log names them, whose bytes stream into a staging table
 * (binary COPY); then writes everything in one transaction, so a failure leaves the database
 * as it was. A later run reads only the commits after the last imported head.
 * docs/decisions/002-reading-git.md says what runs at the same time as what, and why.
 */
export async function importRepository(opts: ImportRepositoryOptions): Promise<ImportResult> {
  const db = opts.db ?? defaultDb;
  const progress = opts.onProgress ?? (() => {});
  const maxFileBytes = opts.maxFileBytes ?? Number(process.env.SPECLEDGER_MAX_FILE_BYTES ?? DEFAULT_MAX_FILE_BYTES);
  const repo = await db.repository.findUnique({ where: { id: opts.repositoryId } });
  if (!repo) throw new AppError("not_found", "Repository not found");

  progress({ phase: "resolving", done: 0, total: 1 });
  const source = await resolveSource({ repository: repo, branch: repo.defaultBranch });
  if (!source.head) throw new AppError("unprocessable", `The branch ${source.branch} has no commits yet.`);
  const head = source.head;
  const empty: ImportResult = {
    fromCommit: repo.headCommit,
    toCommit: head,
    commitsScanned: 0,
    commitsWithSpecChanges: 0,
    versionsAdded: 0,
    specsAdded: 0,
    specsDeleted: 0,
    filesSkipped: 0,
    warning: null,
  };
  const rules = kindRulesFromEnv();
  const classifyPath = compileKindRules(rules);
  // A path is classified once: the log names the same few hundred paths tens of thousands of times.
  const kinds = new Map<string, SpecKind | null>();
  const classify = (filePath: string): SpecKind | null => {
    let kind = kinds.get(filePath);
    if (kind === undefined) kinds.set(filePath, (kind = classifyPath(filePath)));
    return kind;
  };
  const rulesHash = createHash("sha256").update(JSON.stringify(rules)).digest("hex");
  const result: ImportResult = { ...empty };
  let writeTotal = 0;

  // Everything from here runs in one transaction, so a failure leaves the database as it
  // was. The repository row lock makes imports of one repository take turns; the range to
  // read is decided only once the lock is held, so the second one reads what the first
  // one left, usually nothing.
  let stepStarted = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    opts.onStep?.(name, now - stepStarted);
    stepStarted = now;
  };
  // A second connection computes search vectors beside the transaction (the machine's other
  // core); it connects while git is read, when this process has time to answer the server.
  let helper: Promise<pg.Client | null> = Promise.resolve(null);
  const holdings = await withPgTransaction(async (client) => {
    await client.query(`SET LOCAL lock_timeout = '60s'`);
    // An import is re-derivable from git: if the server crashes in the instant after COMMIT
    // returns, the next import simply redoes it. Not waiting for that last WAL flush is a
    // fair trade here (never for reviews or audit events).
    await client.query(`SET LOCAL synchronous_commit = off`);
    // Contents move from staging to "Content" sorted by hash; their compressed texts mostly
    // stay inline, so the sort carries them (48 MB for the benchmark's 34,000). With the
    // default 4 MB it spilled to disk, on the import's serial path.
    await client.query(`SET LOCAL work_mem = '128MB'`);
    let locked;
    try {
      locked = await client.query<{ headCommit: string | null; kindRulesHash: string | null }>(
        `SELECT "headCommit", "kindRulesHash" FROM "Repository" WHERE id = $1 FOR UPDATE`,
        [repo.id],
      );
    } catch (error) {
      if ((error as { code?: string }).code === "55P03") throw new AppError("conflict", "Another import of this repository is still running.");
      throw error;
    }
    const previousHead = locked.rows[0]?.headCommit ?? null;
    result.fromCommit = previousHead;
    // Other kind rules classify paths differently: the history is replayed in full, as
    // after a force push, so files the rules now recognise (or no longer do) catch up.
    const rulesChanged = previousHead !== null && locked.rows[0].kindRulesHash !== rulesHash;
    if (previousHead === head && !rulesChanged) {
      await client.query(`UPDATE "Repository" SET status = 'ready', "lastError" = NULL, "lastImportAt" = now() WHERE id = $1`, [repo.id]);
      return null;
    }
    const incremental = previousHead !== null && !rulesChanged && (await isAncestor(source.gitDir, previousHead, head));
    const range = incremental ? `${previousHead}..${head}` : head;

    // The commit count only sizes the progress bar: git counts while the log streams.
    let total = 0;
    let seen = 0;
    let scanning = true;
    const countDone = countCommits(source.gitDir, range).then(
      (n) => {
        total = n;
        if (scanning) progress({ phase: "scanning", done: seen, total });
      },
      () => {}, // no count, no bar: the log itself reports any real problem
    );
    step("lock");
    helper = openHelper();

    // 1. History and contents, read concurrently: each recognised blob is requested from
    //    cat-file as soon as the log names it, and its bytes are streamed to the database
    //    (COPY into a staging table) while git keeps reading. The log is not limited by
    //    pathspecs: glob pathspecs made git 2.4x slower than classifying every path here.
    await client.query(`CREATE TEMP TABLE import_content (hash text, size int, text text) ON COMMIT DROP`);
    // The staging copy is compressed as it arrives, while git is still reading: "Content"
    // compresses its texts anyway, and INSERT ... SELECT keeps them compressed, so the
    // server does it once and off the critical path (storing contents took 1.5 s more).
    const contentSink = openBinaryCopy(client, "import_content", ["hash", "size", "text"]);
    const blobHash = new Map<string, string>();
    const staged = new Set<string>();
    // The newest content at each path (the log streams newest first) is also kept as text:
    // specs' search vectors and duplicate signatures are computed from it after the read,
    // instead of reading those blobs from git a second time.
    const pathsSeen = new Set<string>();
    const newestBlobs = new Set<string>();
    const texts = new Map<string, string>(); // content hash -> text
    const skipped = new Map<string, { reason: string; detail: string }>();
    const reader = openBlobReader({
      gitDir: source.gitDir,
      onBlob: (blobId, bytes) => {
        if (!bytes) return void skipped.set(blobId, { reason: "missing", detail: "The blob is missing from the repository." });
        const checked = checkBlob(bytes, { maxBytes: maxFileBytes });
        if (!checked.ok) return void skipped.set(blobId, { reason: checked.reason, detail: checked.detail });
        const hash = hashContent(bytes);
        blobHash.set(blobId, hash);
        if (newestBlobs.has(blobId)) texts.set(hash, Buffer.from(checked.body.buffer, checked.body.byteOffset, checked.body.byteLength).toString("utf8"));
        if (staged.has(hash)) return;
        staged.add(hash);
        contentSink.encoder.row(3).text(hash).int4(bytes.length).bytes(checked.body);
        contentSink.rowDone();
      },
    });
    const requested = new Set<string>();
    const commits: CommitRecord[] = [];
    try {
      await streamLog({
        gitDir: source.gitDir,
        range,
        onCommit: (commit) => {
          // Keep only recognised paths (and renames out of them): the planner needs no more.
          commit.changes = commit.changes.filter((c) => classify(c.path) || (c.oldPath !== c.path && classify(c.oldPath)));
          for (const change of commit.changes) {
            if (change.status === "D" || change.newBlob === NULL_BLOB || !classify(change.path)) continue;
            if (!pathsSeen.has(change.path)) {
              pathsSeen.add(change.path);
              newestBlobs.add(change.newBlob);
            }
            if (requested.has(change.newBlob)) continue;
            requested.add(change.newBlob);
            reader.request(change.newBlob);
          }
          if (commit.changes.length > 0) commits.push(commit);
          if (++seen % 500 === 0 && total > 0) progress({ phase: "scanning", done: seen, total });
        },
      });
      scanning = false;
      progress({ phase: "reading", done: blobHash.size + skipped.size, total: requested.size });
    } finally {
      await reader.close();
      await countDone;
    }
    await contentSink.end();
    step("read git and stage contents");
    progress({ phase: "reading", done: requested.size, total: requested.size });

    // 2. Replay the history over what is stored. A rewritten history (force push) is walked
    //    again from the start: a file first seen where a stored spec has a version keeps
    //    that spec's identity, and versions already stored are not written twice.
    const stored = await client.query<StoredSpec>(
      `SELECT s.id, s.path, s.kind, s.deleted, s."versionCount", s."currentHash",
              coalesce((SELECT max(v.seq) FROM "SpecVersion" v WHERE v."specId" = s.id), 0) AS "maxSeq"
       FROM "Spec" s WHERE s."repositoryId" = $1 ${incremental ? "AND NOT s.deleted" : ""}`,
      [repo.id],
    );
    const storedById = new Map(stored.rows.map((s) => [s.id, s]));
    const known = new Map<string, string>(); // "path commit" -> spec id, and "spec commit" -> ""
    if (!incremental && stored.rows.length > 0) {
      const versions = await client.query<{ specId: string; path: string; commitSha: string }>(
        `SELECT v."specId", v.path, v."commitSha" FROM "SpecVersion" v JOIN "Spec" s ON s.id = v."specId" WHERE s."repositoryId" = $1`,
        [repo.id],
      );
      for (const v of versions.rows) {
        known.set(`${v.path} ${v.commitSha}`, v.specId);
        known.set(`${v.specId} ${v.commitSha}`, "");
      }
    }
    // Contents go in hash order, so two imports sharing contents lock them in the same
    // order and wait for each other instead of deadlocking. The server stores them while
    // the history is planned here.
    const contentsStored = client.query(
      `INSERT INTO "Content" ("hash", "size", "text") SELECT "hash", "size", "text" FROM import_content ORDER BY "hash" ON CONFLICT DO NOTHING`,
    );
    contentsStored.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
    const codeowners = readCodeowners(source.gitDir, head); // never rejects: a missing file is null
    commits.reverse(); // the log streams newest first; history replays oldest first
    const live = new Map<string, TrackedSpec>(incremental ? stored.rows.map((s) => [s.path, { id: s.id, path: s.path, kind: s.kind, isNew: false }]) : []);
    const plan = planHistory({
      commits,
      live,
      classify,
      newId: randomUUID,
      identify: (specPath, commitSha) => (known.size > 0 ? known.get(`${specPath} ${commitSha}`) : undefined),
    });
    const headCommit = commits.at(-1);
    const { specs, versions } = finalizePlan({
      plan,
      stored: storedById,
      contentOf: (blobId) => blobHash.get(blobId),
      isStored: (specId, commitSha) => known.size > 0 && known.has(`${specId} ${commitSha}`),
      head: { sha: head, committedAt: headCommit?.sha === head ? headCommit.committedAt : new Date() },
      replayed: !incremental && stored.rows.length > 0,
    });
    const skips = new Map<string, Skip>();
    for (const v of plan.versions) {
      const skip = skipped.get(v.blobId);
      if (skip && !skips.has(v.blobId)) skips.set(v.blobId, { path: v.path, blobId: v.blobId, commitSha: v.commit.sha, ...skip });
    }
    const skipList = [...skips.values()];
    const features = new Map<string, string>();
    for (const spec of specs) {
      const feature = featureOf(spec.path);
      if (feature) features.set(feature.key, feature.name);
    }

    // 3. Write. While the server stores the contents, the version rows are encoded here and
    //    the search vectors are computed on a second connection (the machine's other core).
    writeTotal = staged.size + versions.length + specs.length;
    progress({ phase: "writing", done: 0, total: writeTotal });
    // Queued behind the contents on this connection (signatures refer to them); awaited below.
    // Contents whose text was not kept during the read are read back from the database.
    const signed = ensureSignatures(
      client,
      specs.filter((r) => !r.deleted && r.currentHash).map((r) => r.currentHash!),
      { texts },
    );
    signed.catch(() => {});
    // Versions go in index order: sorted by spec, with time-ordered ids (UUIDv7, increasing
    // within this process), every index on (specId, ...) and the primary key fills its
    // pages left to right instead of splitting them at random (10-20% of the COPY).
    versions.sort((a, b) => (a.specId < b.specId ? -1 : a.specId > b.specId ? 1 : a.seq - b.seq));
    const versionRows = new BinaryCopyEncoder();
    for (const { specId, seq, version: v, contentHash } of versions) {
      versionRows
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
    step("plan history and encode versions");
    // The helper computes the specs' search vectors while this connection stores contents
    // and versions: this process then has nothing to do and the machine's other core is free.
    const searchVectors = computeSearchVectors(
      helper,
      specs.flatMap((r) => (r.currentHash && texts.has(r.currentHash) ? [{ specId: r.id, path: r.path, text: texts.get(r.currentHash)! }] : [])),
    );
    await contentsStored;
    step("store contents (the rest)");
    progress({ phase: "writing", done: staged.size, total: writeTotal });

    const featureKeys = [...features.keys()];
    const featureIds = new Map<string, string>();
    if (featureKeys.length > 0) {
      await client.query(
        `INSERT INTO "Feature" ("id", "repositoryId", "key", "name")
         SELECT gen_random_uuid()::text, $1, k, n FROM unnest($2::text[], $3::text[]) AS t(k, n)
         ON CONFLICT ("repositoryId", "key") DO NOTHING`,
        [repo.id, featureKeys, featureKeys.map((k) => features.get(k)!)],
      );
      const found = await client.query<{ id: string; key: string }>(`SELECT id, key FROM "Feature" WHERE "repositoryId" = $1 AND key = ANY($2::text[])`, [
        repo.id,
        featureKeys,
      ]);
      for (const f of found.rows) featureIds.set(f.key, f.id);
    }

    // Existing specs are first taken out of the live-path index so that renames which swap
    // paths within one import never collide half-way.
    const updates = specs.filter((r) => !r.isNew).map((r) => r.id);
    if (updates.length > 0) await client.query(`UPDATE "Spec" SET "deleted" = true WHERE id = ANY($1::text[])`, [updates]);
    if (specs.length > 0) {
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
          specs.map((r) => r.id),
          specs.map((r) => r.path),
          specs.map((r) => r.kind),
          specs.map((r) => featureIds.get(featureOf(r.path)?.key ?? "") ?? null),
          specs.map((r) => r.deleted),
          specs.map((r) => r.deletedAt),
          specs.map((r) => r.deletedInCommit),
          specs.map((r) => r.currentHash),
          specs.map((r) => r.versionCount),
        ],
      );
    }

    step("features and specs");
    const columns = ["id", "specId", "seq", "contentHash", "blobId", "path", "isSymlink", "commitSha", "authorName", "authorEmail", "committedAt"];
    await copyEncodedRows(client, `"SpecVersion"`, columns, versionRows.finish());
    step("versions (COPY)");
    progress({ phase: "writing", done: staged.size + versions.length, total: writeTotal });

    const vectors = await searchVectors;
    if (vectors.size > 0) {
      await client.query(`UPDATE "Spec" s SET "search" = t.v FROM unnest($1::text[], $2::tsvector[]) AS t(id, v) WHERE s.id = t.id`, [
        [...vectors.keys()],
        [...vectors.values()],
      ]);
    }
    // Specs whose vector was not computed ahead (a content stored by an earlier import, or a
    // helper connection that failed) get theirs here.
    const unindexed = specs.filter((r) => r.currentHash && !vectors.has(r.id)).map((r) => r.id);
    if (unindexed.length > 0) {
      await client.query(
        `UPDATE "Spec" s SET "search" = ${SEARCH_VECTOR_SQL('s."path"', 'c."text"')}
         FROM "Content" c WHERE c."hash" = s."currentHash" AND s.id = ANY($1::text[])`,
        [unindexed],
      );
    }
    step("search vectors");
    if (skipList.length > 0) {
      await client.query(
        `INSERT INTO "SkippedFile" ("id", "repositoryId", "path", "blobId", "commitSha", "reason", "detail")
         SELECT gen_random_uuid()::text, $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         ON CONFLICT DO NOTHING`,
        [
          repo.id,
          skipList.map((s) => s.path),
          skipList.map((s) => s.blobId),
          skipList.map((s) => s.commitSha),
          skipList.map((s) => s.reason),
          skipList.map((s) => s.detail),
        ],
      );
    }
    await refreshOwnership(client, { repositoryId: repo.id, codeowners: await codeowners });
    step("skipped files and ownership");
    await recordImportedChanges(client, { repositoryId: repo.id, gitDir: source.gitDir, specIds: specs.map((r) => r.id) });
    step("review changes");
    await signed;
    await client.query(
      `UPDATE "Repository" SET "headCommit" = $2, "defaultBranch" = $3, "kindRulesHash" = $4,
              status = 'ready', "lastError" = NULL, "lastImportAt" = now()
       WHERE id = $1`,
      [repo.id, head, source.branch, rulesHash],
    );
    const counted = await client.query<{ live: number; all: number; versions: number }>(
      `SELECT count(*) FILTER (WHERE NOT deleted)::int AS live, count(*)::int AS all, coalesce(sum("versionCount"), 0)::int AS versions
       FROM "Spec" WHERE "repositoryId" = $1`,
      [repo.id],
    );
    result.commitsScanned = seen;
    result.commitsWithSpecChanges = commits.length;
    result.versionsAdded = versions.length;
    result.specsAdded = specs.filter((r) => r.isNew).length;
    result.specsDeleted = specs.filter((r) => r.deleted).length;
    result.filesSkipped = skipList.length;
    step("signatures and repository");
    return counted.rows[0];
  }).finally(() => void helper.then((h) => h?.end()).catch(() => {}));
  step("commit");
  // The audit events the transaction queued join the chain now, in a short transaction. The
  // import has landed either way: a failure here leaves them queued for the next flush.
  await flushPendingAuditEvents().catch((error) => console.error("[audit]", error));
  if (holdings === null) return result;
  progress({ phase: "writing", done: writeTotal, total: writeTotal });
  return {
    ...result,
    warning: importWarning({ branch: source.branch, liveSpecs: holdings.live, allSpecs: holdings.all, versions: holdings.versions }),
  };
}

/** A spec's full-text vector: its path words weigh more than its text (the first 200k characters). */
const SEARCH_VECTOR_SQL = (pathSql: string, textSql: string) =>
  `setweight(to_tsvector('simple', replace(replace(${pathSql}, '/', ' '), '.', ' ')), 'A') || setweight(to_tsvector('english', left(${textSql}, 200000)), 'B')`;

/** Opens a helper connection; null when there is none to be had (the import then works alone). */
async function openHelper(): Promise<pg.Client | null> {
  if (!process.env.DATABASE_URL) return null;
  const helper = new pg.Client({ connectionString: process.env.DATABASE_URL });
  helper.on("error", () => {}); // a dropped helper only means the transaction does its work
  try {
    await helper.connect();
    return helper;
  } catch {
    await helper.end().catch(() => {});
    return null;
  }
}

/**
 * Computes search vectors on the helper connection, so that the server works on them while
 * the import's transaction stores contents and versions. Returns them as text, by spec id;
 * anything not computed here is left to the transaction. Never rejects.
 */
async function computeSearchVectors(
  helper: Promise<pg.Client | null>,
  targets: { specId: string; path: string; text: string }[],
): Promise<Map<string, string>> {
  const vectors = new Map<string, string>();
  const client = await helper;
  if (!client || targets.length === 0) return vectors;
  try {
    const { rows } = await client.query<{ v: string }>(
      `SELECT (${SEARCH_VECTOR_SQL("p", "t")})::text AS v FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(p, t, n) ORDER BY n`,
      [targets.map((t) => t.path), targets.map((t) => t.text)],
    );
    targets.forEach((t, i) => vectors.set(t.specId, rows[i].v));
  } catch {
    vectors.clear();
  }
  return vectors;
}
