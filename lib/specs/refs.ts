import type pg from "pg";
import { z } from "zod";
import { limitedGit } from "@/lib/git/limit";
import { gitDirFor, type MirroredRepository } from "@/lib/git/mirror";
import { text } from "@/lib/schema";

// A spec version as runs and deployments name it: by content hash, or by repository, path
// and commit (resolved against the imported history, or failing that against git itself).

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "contentHash is a SHA-256 in lowercase hex.");
const commit = z.string().regex(/^[0-9a-f]{7,64}$/, "commit is a git commit id (7 to 64 lowercase hex digits).");

export const specRefSchema = z.union([
  z.object({ contentHash: sha256 }).strict(),
  z.object({ repository: text().min(1).max(200), path: text().min(1).max(1000), commit }).strict(),
]);
export type SpecRef = z.infer<typeof specRefSchema>;

export interface ResolvedRef {
  contentHash: string | null;
  repositoryName: string | null;
  path: string | null;
  commitSha: string | null;
  specVersionId: string | null;
}

/**
 * Resolves references to imported spec versions, in a few set-based queries. A content hash
 * names the earliest version with those bytes, preferring the given repository; a path at a
 * commit names the version written in that commit, or else the one git says the commit holds.
 * References that resolve to nothing are returned with a null version, never dropped.
 */
export async function resolveRefs(
  client: pg.PoolClient,
  refs: { ref: SpecRef; repositoryId?: string | null; repositoryName?: string | null }[],
): Promise<ResolvedRef[]> {
  const result: ResolvedRef[] = refs.map(({ ref }) =>
    "contentHash" in ref
      ? { contentHash: ref.contentHash, repositoryName: null, path: null, commitSha: null, specVersionId: null }
      : { contentHash: null, repositoryName: ref.repository, path: ref.path.replace(/^\.?\//, ""), commitSha: ref.commit, specVersionId: null },
  );
  const hashes = [...new Set(result.filter((r) => r.contentHash).map((r) => r.contentHash!))];
  if (hashes.length > 0) {
    const { rows } = await client.query<{ contentHash: string; repositoryId: string; repositoryName: string; id: string }>(
      `SELECT DISTINCT ON (v."contentHash", s."repositoryId") v."contentHash", s."repositoryId", r.name AS "repositoryName", v.id
       FROM "SpecVersion" v JOIN "Spec" s ON s.id = v."specId" JOIN "Repository" r ON r.id = s."repositoryId"
       WHERE v."contentHash" = ANY($1::text[])
       ORDER BY v."contentHash", s."repositoryId", v."committedAt", v.seq`,
      [hashes],
    );
    const byHash = new Map<string, { repositoryId: string; repositoryName: string; id: string }[]>();
    for (const row of rows) byHash.set(row.contentHash, [...(byHash.get(row.contentHash) ?? []), row]);
    result.forEach((r, i) => {
      if (!r.contentHash) return;
      const candidates = byHash.get(r.contentHash) ?? [];
      const preferred = candidates.find(
        (c) => c.repositoryId === refs[i].repositoryId || (refs[i].repositoryName && c.repositoryName === refs[i].repositoryName),
      );
      r.specVersionId = (preferred ?? candidates[0])?.id ?? null;
    });
  }
  const byPath = result.map((r, i) => ({ r, i })).filter(({ r }) => r.path);
  if (byPath.length > 0) {
    const { rows } = await client.query<{ i: string; id: string }>(
      `SELECT DISTINCT ON (t.i) t.i, v.id
       FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(repo, path, commit, i)
       JOIN "Repository" r ON r.name = t.repo
       JOIN "Spec" s ON s."repositoryId" = r.id
       JOIN "SpecVersion" v ON v."specId" = s.id AND v.path = t.path AND v."commitSha" LIKE t.commit || '%'
       ORDER BY t.i, v.seq`,
      [byPath.map(({ r }) => r.repositoryName), byPath.map(({ r }) => r.path), byPath.map(({ r }) => r.commitSha)],
    );
    for (const row of rows) byPath[Number(row.i) - 1].r.specVersionId = row.id;
    await resolveThroughGit(
      client,
      byPath.map(({ r }) => r).filter((r) => !r.specVersionId),
    );
  }
  return result;
}

/** At most this many distinct commits are read through git per request; references to others stay unresolved (and flagged). */
export const MAX_GIT_COMMITS = 50;
// Paths per `git ls-tree`, so one command line stays far below the system's limit.
const MAX_ARG_BYTES = 64 * 1024;

/**
 * The versions commits hold at paths they did not touch, in one batch: one `git ls-tree`
 * per distinct (repository, commit) naming all its paths (more only when the paths exceed
 * 64 KB), through the per-process git queue, then one query matching every (path, blob) to
 * a version. Unknown commits and paths stay unresolved.
 */
async function resolveThroughGit(client: pg.PoolClient, refs: ResolvedRef[]): Promise<void> {
  if (refs.length === 0) return;
  const names = [...new Set(refs.map((r) => r.repositoryName!))];
  const repos = await client.query<MirroredRepository & { name: string; headCommit: string | null }>(
    `SELECT id, name, source, credential, "headCommit" FROM "Repository" WHERE name = ANY($1::text[])`,
    [names],
  );
  // Only imported repositories have git data to read.
  const repoByName = new Map(repos.rows.filter((r) => r.headCommit).map((r) => [r.name, r]));
  const groups = new Map<string, { repo: MirroredRepository; commit: string; paths: Set<string> }>();
  for (const r of refs) {
    const repo = repoByName.get(r.repositoryName!);
    if (!repo) continue;
    const key = `${repo.id}\0${r.commitSha}`;
    if (!groups.has(key)) {
      if (groups.size >= MAX_GIT_COMMITS) continue;
      groups.set(key, { repo, commit: r.commitSha!, paths: new Set() });
    }
    groups.get(key)!.paths.add(r.path!);
  }
  const found: { repositoryId: string; commit: string; path: string; blob: string }[] = [];
  await Promise.all(
    [...groups.values()].flatMap((group) =>
      chunkByBytes([...group.paths], MAX_ARG_BYTES).map(async (paths) => {
        let listing: string;
        try {
          listing = await limitedGit([`--git-dir=${await gitDirFor(group.repo)}`, "ls-tree", "-z", "--full-tree", `${group.commit}^{commit}`, "--", ...paths], {
            timeoutMs: 30_000,
          });
        } catch {
          return; // an unknown commit: its references stay unresolved
        }
        for (const entry of listing.split("\0")) {
          const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
          if (match && group.paths.has(match[2])) found.push({ repositoryId: group.repo.id, commit: group.commit, path: match[2], blob: match[1] });
        }
      }),
    ),
  );
  if (found.length === 0) return;
  const { rows } = await client.query<{ i: string; id: string }>(
    `SELECT DISTINCT ON (t.i) t.i, v.id
     FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(repo, path, blob, i)
     JOIN "Spec" s ON s."repositoryId" = t.repo
     JOIN "SpecVersion" v ON v."specId" = s.id AND v.path = t.path AND v."blobId" = t.blob
     ORDER BY t.i, v.seq`,
    [found.map((f) => f.repositoryId), found.map((f) => f.path), found.map((f) => f.blob)],
  );
  const versionOf = new Map(
    rows.map((row) => {
      const f = found[Number(row.i) - 1];
      return [`${f.repositoryId}\0${f.commit}\0${f.path}`, row.id] as const;
    }),
  );
  for (const r of refs) {
    const repo = repoByName.get(r.repositoryName!);
    if (repo) r.specVersionId = versionOf.get(`${repo.id}\0${r.commitSha}\0${r.path}`) ?? null;
  }
}

/** Splits strings into runs whose total length stays under `limit` bytes (each run has at least one). */
export function chunkByBytes(items: string[], limit: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = Buffer.byteLength(item) + 1;
    if (current.length > 0 && size + bytes > limit) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
