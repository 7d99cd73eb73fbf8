import pg from "pg";
import { ensureSignatures } from "@/lib/findings/duplicates";
import type { SpecRow } from "@/lib/specs/history";

/** A spec's full-text vector: its path words weigh more than its text (the first 200k characters). */
export const SEARCH_VECTOR_SQL = (pathSql: string, textSql: string) =>
  `setweight(to_tsvector('simple', replace(replace(${pathSql}, '/', ' '), '.', ' ')), 'A') || setweight(to_tsvector('english', left(${textSql}, 200000)), 'B')`;

/**
 * Opens a helper connection beside the import's transaction (the machine's other core);
 * null when there is none to be had (the import then works alone). It is opened while git
 * is read: opened after, its handshake waited ~300 ms behind the planning.
 */
export async function openHelper(): Promise<pg.Client | null> {
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
 * Stage 4b, index contents: queues the duplicate signatures of the specs' current contents on
 * the transaction's connection (behind the contents they refer to); texts kept during the
 * read are signed at once, others are read back. Awaited later; never rejects unobserved.
 */
export function signContents(client: pg.PoolClient, specs: readonly SpecRow[], texts: ReadonlyMap<string, string>): Promise<number> {
  const signed = ensureSignatures(
    client,
    specs.filter((r) => !r.deleted && r.currentHash).map((r) => r.currentHash!),
    { texts },
  );
  signed.catch(() => {});
  return signed;
}

/**
 * Computes search vectors on the helper connection, so that the server works on them while
 * the import's transaction stores contents and versions. Returns them as text, by spec id;
 * anything not computed here is left to the transaction. Never rejects.
 */
export async function computeSearchVectors(
  helper: Promise<pg.Client | null>,
  specs: readonly SpecRow[],
  texts: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const targets = specs.flatMap((r) => (r.currentHash && texts.has(r.currentHash) ? [{ specId: r.id, path: r.path, text: texts.get(r.currentHash)! }] : []));
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

/**
 * Writes the vectors computed ahead, and computes in the transaction those that were not
 * (a content stored by an earlier import, or a helper connection that failed).
 */
export async function storeSearchVectors(client: pg.PoolClient, specs: readonly SpecRow[], vectors: Map<string, string>): Promise<void> {
  if (vectors.size > 0) {
    await client.query(`UPDATE "Spec" s SET "search" = t.v FROM unnest($1::text[], $2::tsvector[]) AS t(id, v) WHERE s.id = t.id`, [
      [...vectors.keys()],
      [...vectors.values()],
    ]);
  }
  const unindexed = specs.filter((r) => r.currentHash && !vectors.has(r.id)).map((r) => r.id);
  if (unindexed.length > 0) {
    await client.query(
      `UPDATE "Spec" s SET "search" = ${SEARCH_VECTOR_SQL('s."path"', 'c."text"')}
       FROM "Content" c WHERE c."hash" = s."currentHash" AND s.id = ANY($1::text[])`,
      [unindexed],
    );
  }
}
