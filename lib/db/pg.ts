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
    globalForPg.specledgerPg = new pg.Pool({ connectionString, max: Number(process.env.DATABASE_PG_POOL_SIZE ?? 10) });
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
    client.release();
    return result;
  } catch (error) {
    // Closing the connection rolls the transaction back on the server. A ROLLBACK sent here
    // could wait forever behind a COPY that `fn` left open.
    client.release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

export type CopyValue = string | number | boolean | Date | null | Uint8Array;

/** One value in COPY's text format: backslash escapes, \N for null. */
export function copyField(value: Exclude<CopyValue, Uint8Array>): string {
  if (value === null) return "\\N";
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== "string") return String(value);
  return value.replace(/[\\\n\r\t]/g, (ch) => (ch === "\\" ? "\\\\" : ch === "\n" ? "\\n" : ch === "\r" ? "\\r" : "\\t"));
}


/**
 * COPY's text-format escaping done on UTF-8 bytes, so file contents go from git to the
 * database without ever becoming JavaScript strings (the import's hot path).
 */
export function escapeCopyBytes(bytes: Uint8Array): Uint8Array {
  let specials = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 92 || b === 10 || b === 13 || b === 9) specials++;
  }
  if (specials === 0) return bytes;
  const out = Buffer.allocUnsafe(bytes.length + specials);
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 92 || b === 10 || b === 13 || b === 9) {
      out[j++] = 92; // a backslash, then the letter: \\ \n \r \t
      out[j++] = b === 92 ? 92 : b === 10 ? 110 : b === 13 ? 114 : 116;
    } else {
      out[j++] = b;
    }
  }
  return out;
}

const TAB = Buffer.from("\t");
const NEWLINE = Buffer.from("\n");

function encodeRow(row: CopyValue[], into: Uint8Array[]): number {
  let size = 0;
  row.forEach((value, index) => {
    const piece = value instanceof Uint8Array ? escapeCopyBytes(value) : Buffer.from(copyField(value));
    into.push(piece, index === row.length - 1 ? NEWLINE : TAB);
    size += piece.length + 1;
  });
  return size;
}

/** Streams rows into `table (columns)` with COPY FROM STDIN. */
export async function copyRows(client: pg.PoolClient, table: string, columns: string[], rows: Iterable<CopyValue[]>) {
  const sql = `COPY ${table} (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`;
  const lines = (function* () {
    let pieces: Uint8Array[] = [];
    let size = 0;
    for (const row of rows) {
      size += encodeRow(row, pieces);
      if (size > 1 << 20) {
        yield Buffer.concat(pieces, size);
        pieces = [];
        size = 0;
      }
    }
    if (size) yield Buffer.concat(pieces, size);
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
  let pieces: Uint8Array[] = [];
  let size = 0;
  const flush = () => {
    if (size) stream.write(Buffer.concat(pieces, size));
    pieces = [];
    size = 0;
  };
  return {
    write(row) {
      if (failure) return;
      size += encodeRow(row, pieces);
      if (size > 1 << 20) flush();
    },
    async end() {
      if (!failure) {
        flush();
        stream.end();
      }
      await finished;
      if (failure) throw failure;
    },
  };
}
