import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

// Bulk writes (imports) bypass Prisma: COPY moves rows ~5x faster than parameterised
// INSERTs through the driver adapter (docs/decisions/002-reading-git.md).
const globalForPg = globalThis as unknown as { specledgerPg?: pg.Pool };

export function pgPool(): pg.Pool {
  if (!globalForPg.specledgerPg) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    globalForPg.specledgerPg = new pg.Pool({ connectionString, max: 4 });
  }
  return globalForPg.specledgerPg;
}

/** Runs `fn` in one transaction on one connection; rolls back on any error. */
export async function withPgTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pgPool().connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export type CopyValue = string | number | boolean | Date | null;

/** One value in COPY's text format: backslash escapes, \N for null. */
export function copyField(value: CopyValue): string {
  if (value === null) return "\\N";
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== "string") return String(value);
  return value.replace(/[\\\n\r\t]/g, (ch) => (ch === "\\" ? "\\\\" : ch === "\n" ? "\\n" : ch === "\r" ? "\\r" : "\\t"));
}

/** Streams rows into `table (columns)` with COPY FROM STDIN. */
export async function copyRows(client: pg.PoolClient, table: string, columns: string[], rows: Iterable<CopyValue[]>) {
  const sql = `COPY ${table} (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`;
  const lines = (function* () {
    let chunk = "";
    for (const row of rows) {
      chunk += row.map(copyField).join("\t") + "\n";
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  })();
  await pipeline(Readable.from(lines), client.query(copyFrom(sql)));
}

export interface CopySink {
  write(row: CopyValue[]): void;
  /** Flushes and waits until the server has stored every row. */
  end(): Promise<void>;
}

/**
 * A COPY that stays open while rows are produced elsewhere (the import streams contents
 * into it as git reads them, so the server stores them while git is still working).
 */
export function openCopy(client: pg.PoolClient, table: string, columns: string[]): CopySink {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`));
  let failure: unknown = null;
  const finished = new Promise<void>((resolve) => {
    stream.on("finish", () => resolve());
    stream.on("error", (error) => {
      failure = error;
      resolve();
    });
  });
  let pending = "";
  return {
    write(row) {
      if (failure) return;
      pending += row.map(copyField).join("\t") + "\n";
      if (pending.length > 1 << 20) {
        stream.write(pending);
        pending = "";
      }
    },
    async end() {
      if (!failure) {
        if (pending) stream.write(pending);
        stream.end();
      }
      await finished;
      if (failure) throw failure;
    },
  };
}
