import { randomUUID } from "node:crypto";
import path from "node:path";
import { db as defaultDb, type PrismaClient } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { readBlobs } from "@/lib/git/cat-file";
import { streamLog, type CommitRecord } from "@/lib/git/log";
import { countCommits, isAncestor, resolveSource } from "@/lib/git/source";
import { dataDir } from "@/lib/paths";
import { DEFAULT_MAX_FILE_BYTES, hashContent, inspectBlob } from "./content";
import { planHistory, type TrackedSpec } from "./history";
import { compileKindRules, featureOf, gitPathspecs, kindRulesFromEnv, type SpecKind } from "./kinds";

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

const BATCH = 1000;

/**
 * Imports a repository's default branch: every recognised file's history becomes versions.
 * Reads git first (one `git log` stream, one `git cat-file --batch`), then writes everything
 * in one transaction, so a failure leaves the database as it was. A second run reads only
 * the commits after the last imported head.
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
  const rules = kindRulesFromEnv();
  const classify = compileKindRules(rules);
  const pathspecs = gitPathspecs(rules);

  // 1. History: which files changed in which commits.
  const total = await countCommits(source.gitDir, range);
  progress({ phase: "scanning", done: 0, total });
  const commits: CommitRecord[] = [];
  let seen = 0;
  await streamLog({
    gitDir: source.gitDir,
    range,
    pathspecs,
    onCommit: (commit) => {
      commits.push(commit);
      if (++seen % 500 === 0) progress({ phase: "scanning", done: seen, total });
    },
  });
  progress({ phase: "scanning", done: total, total });

  const existing = await db.spec.findMany({
    where: { repositoryId: repo.id, deleted: false },
    select: { id: true, path: true, kind: true },
  });
  const live = new Map<string, TrackedSpec>(
    existing.map((s) => [s.path, { id: s.id, path: s.path, kind: s.kind as SpecKind, isNew: false }]),
  );
  const plan = planHistory({ commits, live, classify, newId: randomUUID });

  // 2. Content: read each blob not already stored (from any repository) once.
  const blobIds = [...new Set(plan.versions.map((v) => v.blobId))];
  const blobHash = new Map<string, string>();
  for (let i = 0; i < blobIds.length; i += 10_000) {
    const known = await db.specVersion.findMany({
      where: { blobId: { in: blobIds.slice(i, i + 10_000) } },
      select: { blobId: true, contentHash: true },
      distinct: ["blobId"],
    });
    for (const k of known) blobHash.set(k.blobId, k.contentHash);
  }
  const firstUse = new Map<string, { path: string; commitSha: string }>();
  for (const v of plan.versions) if (!firstUse.has(v.blobId)) firstUse.set(v.blobId, { path: v.path, commitSha: v.commit.sha });
  const toRead = blobIds.filter((id) => !blobHash.has(id));
  const contents = new Map<string, { size: number; text: string }>();
  const skips = new Map<string, Skip>();
  let read = 0;
  progress({ phase: "reading", done: 0, total: toRead.length });
  await readBlobs({
    gitDir: source.gitDir,
    blobIds: toRead,
    onBlob: (blobId, bytes) => {
      if (++read % 1000 === 0) progress({ phase: "reading", done: read, total: toRead.length });
      const use = firstUse.get(blobId)!;
      if (!bytes) {
        skips.set(blobId, { ...use, blobId, reason: "missing", detail: "The blob is missing from the repository." });
        return;
      }
      const inspected = inspectBlob(bytes, { maxBytes: maxFileBytes });
      if (!inspected.ok) {
        skips.set(blobId, { ...use, blobId, reason: inspected.reason, detail: inspected.detail });
        return;
      }
      const hash = hashContent(bytes);
      blobHash.set(blobId, hash);
      if (!contents.has(hash)) contents.set(hash, { size: bytes.length, text: inspected.text });
    },
  });
  progress({ phase: "reading", done: toRead.length, total: toRead.length });

  // 3. Decide the final state of every touched spec.
  const versionsBySpec = new Map<string, typeof plan.versions>();
  for (const v of plan.versions) {
    if (!blobHash.has(v.blobId)) continue; // skipped content makes no version
    const list = versionsBySpec.get(v.specId) ?? [];
    list.push(v);
    versionsBySpec.set(v.specId, list);
  }
  const deletedBy = new Map(plan.deletions.map((d) => [d.specId, d.commit]));
  const liveIds = new Set([...plan.live.values()].map((s) => s.id));
  // A new spec all of whose contents were skipped never becomes a spec.
  const touched = [...plan.touched.values()].filter((s) => !s.isNew || versionsBySpec.has(s.id));
  const existingCounts = new Map(
    (
      await db.spec.findMany({
        where: { id: { in: touched.filter((s) => !s.isNew).map((s) => s.id) } },
        select: { id: true, versionCount: true, currentHash: true },
      })
    ).map((s) => [s.id, s]),
  );
  const features = new Map<string, string>();
  for (const spec of touched) {
    const feature = featureOf(spec.path);
    if (feature) features.set(feature.key, feature.name);
  }

  const versionCount = [...versionsBySpec.values()].reduce((n, list) => n + list.length, 0);
  const writeTotal = contents.size + versionCount + touched.length;
  let written = 0;
  progress({ phase: "writing", done: 0, total: writeTotal });

  const result = await db.$transaction(
    async (tx) => {
      // Two imports of one repository must not interleave: the second waits, then sees the
      // first one's head and gives up rather than writing the same history twice.
      const locked = await tx.$queryRaw<{ headCommit: string | null }[]>`
        SELECT "headCommit" FROM "Repository" WHERE id = ${repo.id} FOR UPDATE`;
      if (locked[0]?.headCommit !== repo.headCommit) {
        throw new AppError("conflict", "Another import of this repository finished first; run the import again.");
      }

      const hashes = [...contents.keys()];
      for (let i = 0; i < hashes.length; i += BATCH) {
        const slice = hashes.slice(i, i + BATCH);
        await tx.$executeRawUnsafe(
          `INSERT INTO "Content" ("hash", "size", "text")
           SELECT * FROM unnest($1::text[], $2::int[], $3::text[]) ON CONFLICT DO NOTHING`,
          slice,
          slice.map((h) => contents.get(h)!.size),
          slice.map((h) => contents.get(h)!.text),
        );
        written += slice.length;
        progress({ phase: "writing", done: written, total: writeTotal });
      }

      const featureKeys = [...features.keys()];
      if (featureKeys.length > 0) {
        await tx.$executeRawUnsafe(
          `INSERT INTO "Feature" ("id", "repositoryId", "key", "name")
           SELECT gen_random_uuid()::text, $1, k, n FROM unnest($2::text[], $3::text[]) AS t(k, n)
           ON CONFLICT ("repositoryId", "key") DO NOTHING`,
          repo.id,
          featureKeys,
          featureKeys.map((k) => features.get(k)!),
        );
      }
      const featureIds = new Map(
        (await tx.feature.findMany({ where: { repositoryId: repo.id, key: { in: featureKeys } }, select: { id: true, key: true } })).map(
          (f) => [f.key, f.id],
        ),
      );

      // Final state per spec. Existing specs are first taken out of the live-path index so
      // that renames which swap paths within one import never collide half-way.
      const rows = touched.map((spec) => {
        const versions = versionsBySpec.get(spec.id) ?? [];
        const before = existingCounts.get(spec.id);
        const last = versions.at(-1);
        const deletion = liveIds.has(spec.id) ? null : deletedBy.get(spec.id) ?? null;
        return {
          id: spec.id,
          path: spec.path,
          kind: spec.kind,
          featureId: featureIds.get(featureOf(spec.path)?.key ?? "") ?? null,
          deleted: deletion !== null,
          deletedAt: deletion?.committedAt ?? null,
          deletedInCommit: deletion?.sha ?? null,
          currentHash: last ? blobHash.get(last.blobId)! : before?.currentHash ?? null,
          versionCount: (before?.versionCount ?? 0) + versions.length,
          isNew: spec.isNew,
        };
      });
      const updates = rows.filter((r) => !r.isNew);
      if (updates.length > 0) {
        await tx.$executeRawUnsafe(`UPDATE "Spec" SET "deleted" = true WHERE id = ANY($1::text[])`, updates.map((r) => r.id));
      }
      for (let i = 0; i < rows.length; i += BATCH) {
        const slice = rows.slice(i, i + BATCH);
        await tx.$executeRawUnsafe(
          `INSERT INTO "Spec" ("id", "repositoryId", "path", "kind", "featureId", "deleted", "deletedAt", "deletedInCommit",
                               "currentHash", "versionCount", "updatedAt")
           SELECT t.id, $1, t.path, t.kind, t.feature, t.deleted, t.deleted_at, t.deleted_in, t.current, t.count, now()
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::timestamptz[], $8::text[], $9::text[], $10::int[])
             AS t(id, path, kind, feature, deleted, deleted_at, deleted_in, current, count)
           ON CONFLICT ("id") DO UPDATE SET
             "path" = EXCLUDED."path", "kind" = EXCLUDED."kind", "featureId" = EXCLUDED."featureId",
             "deleted" = EXCLUDED."deleted", "deletedAt" = EXCLUDED."deletedAt", "deletedInCommit" = EXCLUDED."deletedInCommit",
             "currentHash" = EXCLUDED."currentHash", "versionCount" = EXCLUDED."versionCount", "updatedAt" = now()`,
          repo.id,
          slice.map((r) => r.id),
          slice.map((r) => r.path),
          slice.map((r) => r.kind),
          slice.map((r) => r.featureId),
          slice.map((r) => r.deleted),
          slice.map((r) => r.deletedAt),
          slice.map((r) => r.deletedInCommit),
          slice.map((r) => r.currentHash),
          slice.map((r) => r.versionCount),
        );
        written += slice.length;
      }

      const versionRows = [...versionsBySpec.entries()].flatMap(([specId, versions]) => {
        const start = existingCounts.get(specId)?.versionCount ?? 0;
        return versions.map((v, index) => ({ v, specId, seq: start + index + 1 }));
      });
      for (let i = 0; i < versionRows.length; i += BATCH) {
        const slice = versionRows.slice(i, i + BATCH);
        await tx.$executeRawUnsafe(
          `INSERT INTO "SpecVersion" ("id", "specId", "seq", "contentHash", "blobId", "path", "isSymlink", "commitSha",
                                      "authorName", "authorEmail", "committedAt")
           SELECT gen_random_uuid()::text, * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[],
                                                        $6::boolean[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
           ON CONFLICT DO NOTHING`,
          slice.map((r) => r.specId),
          slice.map((r) => r.seq),
          slice.map((r) => blobHash.get(r.v.blobId)!),
          slice.map((r) => r.v.blobId),
          slice.map((r) => r.v.path),
          slice.map((r) => r.v.isSymlink),
          slice.map((r) => r.v.commit.sha),
          slice.map((r) => r.v.commit.authorName),
          slice.map((r) => r.v.commit.authorEmail),
          slice.map((r) => r.v.commit.committedAt),
        );
        written += slice.length;
        progress({ phase: "writing", done: written, total: writeTotal });
      }

      if (rows.length > 0) {
        await tx.$executeRawUnsafe(
          `UPDATE "Spec" s SET "search" = setweight(to_tsvector('simple', replace(replace(s."path", '/', ' '), '.', ' ')), 'A')
                                       || setweight(to_tsvector('english', left(c."text", 200000)), 'B')
           FROM "Content" c WHERE c."hash" = s."currentHash" AND s.id = ANY($1::text[])`,
          rows.map((r) => r.id),
        );
      }

      const skipList = [...skips.values()];
      if (skipList.length > 0) {
        await tx.$executeRawUnsafe(
          `INSERT INTO "SkippedFile" ("id", "repositoryId", "path", "blobId", "commitSha", "reason", "detail")
           SELECT gen_random_uuid()::text, $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           ON CONFLICT DO NOTHING`,
          repo.id,
          skipList.map((s) => s.path),
          skipList.map((s) => s.blobId),
          skipList.map((s) => s.commitSha),
          skipList.map((s) => s.reason),
          skipList.map((s) => s.detail),
        );
      }

      await tx.repository.update({
        where: { id: repo.id },
        data: {
          headCommit: head,
          defaultBranch: source.branch,
          gitDir: source.gitDir,
          status: "ready",
          lastError: null,
          lastImportAt: new Date(),
        },
      });
      const liveCount = await tx.spec.count({ where: { repositoryId: repo.id, deleted: false } });
      return {
        ...empty,
        commitsRead: commits.length,
        versionsAdded: versionRows.length,
        specsAdded: rows.filter((r) => r.isNew).length,
        specsDeleted: rows.filter((r) => r.deleted).length,
        filesSkipped: skipList.length,
        warning:
          liveCount === 0
            ? `No recognised spec or agent files on ${source.branch}. Specledger looks for Spec Kit, Kiro, AGENTS.md, CLAUDE.md and contract files; see the kinds table.`
            : null,
      };
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );
  progress({ phase: "writing", done: writeTotal, total: writeTotal });
  return result;
}
