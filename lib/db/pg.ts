import pg from "pg";
import { assertNoTransaction, insideTransaction } from "./context";

// Bulk writes (imports) bypass Prisma: COPY moves rows ~5x faster than parameterised
// INSERTs through the driver adapter (docs/decisions/002-reading-git.md); binary COPY is
// in lib/specs/binary-copy.ts.
const globalForPg = globalThis as unknown as { specledgerPg?: pg.Pool };

/** The shared pool; refuses to be used inside a transaction (lib/db/context.ts). */
export function pgPool(): pg.Pool {
  assertNoTransaction("pg pool");
  if (!globalForPg.specledgerPg) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    // Sessions in UTC whatever the server's TimeZone: timestamp columns hold UTC wall time (as Prisma writes
    // them), and a timestamptz parameter assigned to one is converted in the session's zone.
    globalForPg.specledgerPg = new pg.Pool({ connectionString, max: Number(process.env.DATABASE_PG_POOL_SIZE ?? 10), options: "-c TimeZone=UTC" });
  }
  return globalForPg.specledgerPg;
}

/** Runs `fn` in one transaction on one connection; rolls back on any error. */
export async function withPgTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>, name = "pg"): Promise<T> {
  const client = await pgPool().connect();
  try {
    await client.query("BEGIN");
    const result = await insideTransaction(name, () => fn(client));
    await client.query("COMMIT");
    client.release();
    return result;
  } catch (error) {
    // Closing the connection rolls the transaction back on the server. A ROLLBACK sent here
    // could wait forever behind a COPY that `fn` left open.
    client.release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

/** Runs `fn` on one pooled connection, outside any transaction (single statements are atomic on their own). */
export async function withPgConnection<T>(fn: (client: pg.PoolClient) => Promise<T>, name = "pg"): Promise<T> {
  const client = await pgPool().connect();
  try {
    return await insideTransaction(name, () => fn(client));
  } finally {
    client.release();
  }
}
