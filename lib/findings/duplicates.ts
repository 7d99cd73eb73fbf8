import { createHash } from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import type { AuditEntry, RunResult } from "@/lib/audit";
import { assertCan, type Actor, type Viewer } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { AppError } from "@/lib/errors";
import { idString } from "@/lib/schema";
import { candidatePairs, clusters, decodeSignature, DEFAULT_THRESHOLD, encodeSignature, jaccard, shingleSet, signature } from "./minhash";

/** Documents with fewer shingles than this are too short to call duplicates ("# Agents" is in every repository). */
export const MIN_SHINGLES = 8;

/**
 * Computes and stores the signatures of the contents that have none yet. Texts the caller
 * already holds (by hash) are signed at once, before any query, and not read back: the
 * importer calls this while the server is still storing the contents, so the work overlaps.
 */
export async function ensureSignatures(client: pg.PoolClient, hashes: string[], opts: { texts?: ReadonlyMap<string, string> } = {}): Promise<number> {
  if (hashes.length === 0) return 0;
  const sign = (hash: string, text: string) => {
    const shingles = shingleSet(text);
    return { hash, signature: encodeSignature(signature(shingles)), shingles: shingles.size };
  };
  const unique = [...new Set(hashes)];
  const computed = unique.filter((hash) => opts.texts?.has(hash)).map((hash) => sign(hash, opts.texts!.get(hash)!));
  const unread = unique.filter((hash) => !opts.texts?.has(hash));
  if (unread.length > 0) {
    const { rows } = await client.query<{ hash: string; text: string }>(
      `SELECT c.hash, c.text FROM "Content" c
       WHERE c.hash = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM "ContentSignature" s WHERE s.hash = c.hash)`,
      [unread],
    );
    computed.push(...rows.map((r) => sign(r.hash, r.text)));
  }
  if (computed.length === 0) return 0;
  const stored = await client.query(
    `INSERT INTO "ContentSignature" (hash, signature, shingles) SELECT * FROM unnest($1::text[], $2::bytea[], $3::int[]) ON CONFLICT DO NOTHING`,
    [computed.map((c) => c.hash), computed.map((c) => c.signature), computed.map((c) => c.shingles)],
  );
  return stored.rowCount ?? 0;
}

export interface ClusterMember {
  specId: string;
  repository: string;
  path: string;
  kind: string;
  owners: string[];
  contentHash: string;
}

export interface DuplicateCluster {
  key: string;
  kind: "exact" | "near";
  /** The lowest exact Jaccard similarity among the pairs that link the cluster. */
  similarity: number;
  members: ClusterMember[];
  dismissed: boolean;
  canonicalSpecId: string | null;
}

/** A cluster's identity: its members' specs and contents, so a changed member makes a new cluster. */
function clusterKey(members: ClusterMember[]): string {
  const parts = members.map((m) => `${m.specId}:${m.contentHash}`).sort();
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 32);
}

/**
 * Clusters of live specs that describe the same thing: the same bytes in several places, or
 * near duplicates whose exact Jaccard similarity (over word shingles of normalised Markdown)
 * is at least `threshold`. LSH proposes candidates; every candidate is checked exactly, so
 * nothing below the threshold is reported.
 */
export async function findDuplicateClusters(viewer: Actor, opts: ClusterOptions = {}): Promise<DuplicateCluster[]> {
  assertCan(viewer, "specs:read");
  const client = await pgPool().connect();
  try {
    return await clustersOn(client, opts);
  } finally {
    client.release();
  }
}

interface ClusterOptions {
  threshold?: number;
  includeDismissed?: boolean;
}

/** The clusters, read through `client` (a pooled connection, or an operation's transaction). */
async function clustersOn(client: pg.PoolClient, opts: ClusterOptions): Promise<DuplicateCluster[]> {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  // Skills' bundled files are scripts and data copied between skills on purpose (a LICENSE.txt in each).
  const readLive = () =>
    client.query<ClusterMember & { signature: Buffer | null; shingles: number | null }>(
      `SELECT s.id AS "specId", r.name AS repository, s.path, s.kind, s.owners, s."currentHash" AS "contentHash", g.signature, g.shingles
       FROM "Spec" s JOIN "Repository" r ON r.id = s."repositoryId" LEFT JOIN "ContentSignature" g ON g.hash = s."currentHash"
       WHERE NOT s.deleted AND s."currentHash" IS NOT NULL AND s.kind <> 'skill-file'`,
    );
  let live = await readLive();
  const missing = live.rows.filter((m) => !m.signature).map((m) => m.contentHash);
  if (missing.length > 0) {
    // Contents imported before signatures existed get theirs now, once.
    await ensureSignatures(client, missing);
    live = await readLive();
  }
  const byHash = new Map<string, ClusterMember[]>();
  const signatureOf = new Map<string, { sig: Uint32Array; shingles: number }>();
  for (const row of live.rows) {
    const { signature: sig, shingles, ...member } = row;
    byHash.set(member.contentHash, [...(byHash.get(member.contentHash) ?? []), member]);
    // A content still without a signature (stored concurrently) is left out of this run.
    if (sig) signatureOf.set(member.contentHash, { sig: decodeSignature(sig), shingles: shingles ?? 0 });
  }
  const hashes = [...byHash.keys()].filter((h) => (signatureOf.get(h)?.shingles ?? 0) >= MIN_SHINGLES);
  const candidates = candidatePairs(hashes.map((h) => signatureOf.get(h)!.sig));
  // The exact check, on the texts of the candidates only.
  const needed = [...new Set(candidates.flat())].map((i) => hashes[i]);
  const texts = needed.length
    ? (await client.query<{ hash: string; text: string }>(`SELECT hash, text FROM "Content" WHERE hash = ANY($1::text[])`, [needed])).rows
    : [];
  const sets = new Map(texts.map((t) => [t.hash, shingleSet(t.text)]));
  const linked: [number, number][] = [];
  const similarity = new Map<string, number>();
  for (const [i, j] of candidates) {
    const s = jaccard(sets.get(hashes[i])!, sets.get(hashes[j])!);
    if (s >= threshold) {
      linked.push([i, j]);
      similarity.set(`${i} ${j}`, s);
    }
  }
  const result: Omit<DuplicateCluster, "dismissed" | "canonicalSpecId">[] = [];
  const inNear = new Set<string>();
  for (const group of clusters(hashes.length, linked)) {
    const members = group.flatMap((i) => byHash.get(hashes[i])!);
    group.forEach((i) => inNear.add(hashes[i]));
    const sims = linked.filter(([a, b]) => group.includes(a) && group.includes(b)).map(([a, b]) => similarity.get(`${a} ${b}`)!);
    result.push({ key: clusterKey(members), kind: "near", similarity: Math.min(...sims), members });
  }
  for (const hash of hashes) {
    const members = byHash.get(hash)!;
    if (members.length > 1 && !inNear.has(hash)) result.push({ key: clusterKey(members), kind: "exact", similarity: 1, members });
  }
  const decisions = result.length
    ? (
        await client.query<{ key: string; dismissed: boolean; canonicalSpecId: string | null }>(
          `SELECT key, dismissed, "canonicalSpecId" FROM "DuplicateDecision" WHERE key = ANY($1::text[])`,
          [result.map((c) => c.key)],
        )
      ).rows
    : [];
  const decisionOf = new Map(decisions.map((d) => [d.key, d]));
  return result
    .map((c) => ({ ...c, dismissed: decisionOf.get(c.key)?.dismissed ?? false, canonicalSpecId: decisionOf.get(c.key)?.canonicalSpecId ?? null }))
    .filter((c) => opts.includeDismissed || !c.dismissed)
    .sort((a, b) => b.members.length - a.members.length || b.similarity - a.similarity);
}

/** A statement run on whichever client a caller holds: Prisma's transaction or a pg connection. */
export type Sql = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
export const sqlOfPrisma =
  (tx: Prisma.TransactionClient): Sql =>
  (sql, params) =>
    tx.$queryRawUnsafe(sql, ...params);
export const sqlOfPg =
  (client: pg.PoolClient): Sql =>
  async (sql, params) =>
    (await client.query(sql, params)).rows;

export const clusterKeyString = () => z.string().regex(/^[0-9a-f]{32}$/, "A cluster key is 32 hexadecimal digits.");

export const clusterDecision = z.object({ key: z.string(), dismissed: z.boolean(), canonicalSpecId: z.string().nullable() });
export type ClusterDecision = z.infer<typeof clusterDecision>;

/**
 * Records a decision on a duplicate cluster: dismissed or not, and which member is canonical.
 * Every path that decides a cluster (the Duplicates page, a duplicate finding's status) comes
 * here, so the duplicates permission is checked wherever a decision is made.
 */
export async function recordClusterDecision(
  sql: Sql,
  viewer: Viewer,
  input: { key: string; dismissed?: boolean; canonicalSpecId?: string | null; members?: string[] },
): Promise<RunResult<ClusterDecision> & { audit: AuditEntry }> {
  assertCan(viewer, "duplicates:decide");
  const [row] = await sql(
    `INSERT INTO "DuplicateDecision" (key, dismissed, "canonicalSpecId", "decidedById", "updatedAt")
     VALUES ($1, coalesce($2::boolean, false), $3::text, $4, now())
     ON CONFLICT (key) DO UPDATE SET
       dismissed = coalesce($2::boolean, "DuplicateDecision".dismissed),
       "canonicalSpecId" = CASE WHEN $5::boolean THEN $3::text ELSE "DuplicateDecision"."canonicalSpecId" END,
       "decidedById" = $4, "updatedAt" = now()
     RETURNING key, dismissed, "canonicalSpecId"`,
    [input.key, input.dismissed ?? null, input.canonicalSpecId ?? null, viewer.id, input.canonicalSpecId !== undefined],
  );
  const result = clusterDecision.parse(row);
  return {
    result,
    audit: {
      action: input.dismissed !== undefined ? (input.dismissed ? "duplicates.dismissed" : "duplicates.restored") : "duplicates.canonical_marked",
      subject: `duplicates:${input.key}`,
      payload: { ...(input.members ? { members: input.members } : {}), canonicalSpecId: result.canonicalSpecId, dismissed: result.dismissed },
    },
  };
}

export const decideClusterInput = z
  .object({
    key: clusterKeyString(),
    dismissed: z.boolean().optional().describe("Dismiss the cluster (true) or restore it (false)."),
    canonicalSpecId: idString().optional().describe("The member the others should point to."),
  })
  .strict()
  .refine((i) => (i.dismissed === undefined) !== (i.canonicalSpecId === undefined), "Say either dismissed or canonicalSpecId.");

/** Marks a cluster's canonical member, or dismisses the cluster; audited. Holds until a member changes. */
export async function decideCluster(client: pg.PoolClient, viewer: Viewer, input: z.output<typeof decideClusterInput>): Promise<RunResult<ClusterDecision>> {
  assertCan(viewer, "duplicates:decide");
  const cluster = (await clustersOn(client, { includeDismissed: true })).find((c) => c.key === input.key);
  if (!cluster) throw new AppError("not_found", "That duplicate cluster no longer exists: one of its members changed.");
  if (input.canonicalSpecId !== undefined && !cluster.members.some((m) => m.specId === input.canonicalSpecId)) {
    throw new AppError("unprocessable", "The canonical spec must be a member of the cluster.");
  }
  return recordClusterDecision(sqlOfPg(client), viewer, { ...input, members: cluster.members.map((m) => `${m.repository}:${m.path}`) });
}
