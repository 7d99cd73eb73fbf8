import type pg from "pg";
import { z } from "zod";
import { git } from "@/lib/git/git";
import { gitDirFor, type MirroredRepository } from "@/lib/git/mirror";

// A spec version as runs and deployments name it: by content hash, or by repository, path
// and commit (resolved against the imported history, or failing that against git itself).

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "contentHash is a SHA-256 in lowercase hex.");
const commit = z.string().regex(/^[0-9a-f]{7,64}$/, "commit is a git commit id (7 to 64 lowercase hex digits).");

export const specRefSchema = z.union([
  z.object({ contentHash: sha256 }).strict(),
  z.object({ repository: z.string().min(1).max(200), path: z.string().min(1).max(1000), commit }).strict(),
]);
export type SpecRef = z.infer<typeof specRefSchema>;

export const MAX_GIT_LOOKUPS = 200;

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
      const preferred = candidates.find((c) => c.repositoryId === refs[i].repositoryId || (refs[i].repositoryName && c.repositoryName === refs[i].repositoryName));
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
    // Each distinct (repository, commit, path) is asked of git once, and at most
    // MAX_GIT_LOOKUPS per request; references beyond that stay unresolved (and flagged).
    const viaGit = new Map<string, Promise<string | null>>();
    for (const { r } of byPath) {
      if (r.specVersionId) continue;
      const key = `${r.repositoryName}\0${r.commitSha}\0${r.path}`;
      if (!viaGit.has(key)) {
        if (viaGit.size >= MAX_GIT_LOOKUPS) continue;
        viaGit.set(key, resolveThroughGit(client, r));
      }
      r.specVersionId = await viaGit.get(key)!;
    }
  }
  return result;
}

/** The version a commit holds at a path when the commit itself did not touch the file. */
async function resolveThroughGit(client: pg.PoolClient, ref: ResolvedRef): Promise<string | null> {
  const repo = await client.query<MirroredRepository & { headCommit: string | null }>(
    `SELECT id, source, credential, "headCommit" FROM "Repository" WHERE name = $1`,
    [ref.repositoryName],
  );
  if (!repo.rows[0]?.headCommit) return null; // never imported: no git data to read
  let blob: string;
  try {
    const gitDir = await gitDirFor(repo.rows[0]);
    const line = await git([`--git-dir=${gitDir}`, "ls-tree", "--full-tree", `${ref.commitSha}^{commit}`, "--", ref.path!], { timeoutMs: 10_000 });
    blob = /^\d+ blob ([0-9a-f]+)\t/.exec(line)?.[1] ?? "";
  } catch {
    return null; // an unknown commit, or git data this node cannot read: kept unresolved
  }
  if (!blob) return null;
  const { rows } = await client.query<{ id: string }>(
    `SELECT v.id FROM "SpecVersion" v JOIN "Spec" s ON s.id = v."specId"
     WHERE s."repositoryId" = $1 AND v.path = $2 AND v."blobId" = $3 ORDER BY v.seq LIMIT 1`,
    [repo.rows[0].id, ref.path, blob],
  );
  return rows[0]?.id ?? null;
}
