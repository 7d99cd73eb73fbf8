import type pg from "pg";
import { openBinaryCopy } from "@/lib/specs/binary-copy";

/** Contents staged during the read: each distinct hash once, streamed to the server as it arrives. */
export interface ContentStaging {
  /** Stages a checked content unless its hash is already staged; says whether it was new. */
  add(hash: string, size: number, body: Uint8Array): boolean;
  /** How many distinct contents were staged. */
  readonly count: number;
  /** Finishes the COPY; the staged rows are then visible to this transaction. */
  end(): Promise<void>;
}

/**
 * Opens the staging table (dropped at commit) and its binary COPY. The staging copy is
 * compressed as it arrives, while git is still reading: "Content" compresses its texts anyway,
 * and INSERT ... SELECT keeps them compressed, so the server does it once and off the
 * critical path (storing contents took 1.5 s more otherwise).
 */
export async function openContentStaging(client: pg.PoolClient): Promise<ContentStaging> {
  await client.query(`CREATE TEMP TABLE import_content (hash text, size int, text text) ON COMMIT DROP`);
  const sink = openBinaryCopy(client, "import_content", ["hash", "size", "text"]);
  const staged = new Set<string>();
  return {
    add(hash, size, body) {
      if (staged.has(hash)) return false;
      staged.add(hash);
      sink.encoder.row(3).text(hash).int4(size).bytes(body);
      sink.rowDone();
      return true;
    },
    get count() {
      return staged.size;
    },
    end: () => sink.end(),
  };
}

/**
 * Moves the staged contents into "Content". They go in hash order, so two imports sharing
 * contents lock them in the same order and wait for each other instead of deadlocking.
 * The returned promise is meant to be awaited later: the server stores the contents while
 * the caller plans the history. It never rejects unobserved.
 */
export function storeContents(client: pg.PoolClient): Promise<void> {
  const stored = client
    .query(`INSERT INTO "Content" ("hash", "size", "text") SELECT "hash", "size", "text" FROM import_content ORDER BY "hash" ON CONFLICT DO NOTHING`)
    .then(() => undefined);
  stored.catch(() => {}); // awaited by the caller; a failure must not go unhandled meanwhile
  return stored;
}
