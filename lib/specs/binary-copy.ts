import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const CHUNK = 1 << 20;
/** Byte fields longer than this are passed on as views instead of being copied. */
const COPY_LIMIT = 4096;
// PostgreSQL timestamps count microseconds from 2000-01-01.
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

type Utf8Writable = Buffer & { utf8Write(value: string, offset: number): number };

/**
 * Encodes rows in PostgreSQL's binary COPY format: `encoder.row(3).text(hash).int4(size).bytes(body)`.
 * Binary COPY moves file contents from git to the server as raw bytes: no escaping in
 * JavaScript and no unescaping on the server (which still checks that text is valid UTF-8).
 * One typed method per column type keeps the per-row work small for rows by the ten thousand.
 * Each value must match its column's type: text, int4, float8, bool, timestamp (without time zone).
 */
export class BinaryCopyEncoder {
  private chunk = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private out: Buffer[] = [];
  private outBytes = 0;

  constructor() {
    this.reserve(SIGNATURE.length + 8);
    SIGNATURE.copy(this.chunk, this.used);
    this.chunk.writeInt32BE(0, this.used + SIGNATURE.length); // flags
    this.chunk.writeInt32BE(0, this.used + SIGNATURE.length + 4); // header extension length
    this.used += SIGNATURE.length + 8;
  }

  /** Starts a row of `fields` values. */
  row(fields: number): this {
    this.reserve(2);
    this.chunk.writeInt16BE(fields, this.used);
    this.used += 2;
    return this;
  }

  text(value: string | null): this {
    if (value === null) return this.null();
    // At most 3 bytes per UTF-16 unit: write, then fill in the length actually written.
    if (value.length > COPY_LIMIT) return this.bytes(Buffer.from(value, "utf8"));
    this.reserve(4 + value.length * 3);
    const length = (this.chunk as Utf8Writable).utf8Write(value, this.used + 4);
    this.chunk.writeInt32BE(length, this.used);
    this.used += 4 + length;
    return this;
  }

  /** Bytes as they are, for a text (UTF-8) or bytea column. */
  bytes(value: Uint8Array): this {
    if (value.length <= COPY_LIMIT) {
      this.reserve(4 + value.length);
      this.chunk.writeInt32BE(value.length, this.used);
      this.chunk.set(value, this.used + 4);
      this.used += 4 + value.length;
      return this;
    }
    this.reserve(4);
    this.chunk.writeInt32BE(value.length, this.used);
    this.used += 4;
    this.seal();
    this.out.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    this.outBytes += value.length;
    return this;
  }

  int4(value: number): this {
    this.reserve(8);
    this.chunk.writeInt32BE(4, this.used);
    this.chunk.writeInt32BE(value, this.used + 4);
    this.used += 8;
    return this;
  }

  /** A double precision value (float8), NaN and infinities included. */
  float8(value: number): this {
    this.reserve(12);
    this.chunk.writeInt32BE(8, this.used);
    this.chunk.writeDoubleBE(value, this.used + 4);
    this.used += 12;
    return this;
  }

  bool(value: boolean): this {
    this.reserve(5);
    this.chunk.writeInt32BE(1, this.used);
    this.chunk[this.used + 4] = value ? 1 : 0;
    this.used += 5;
    return this;
  }

  /** A Date as a timestamp without time zone, in UTC (what Prisma stores). */
  timestamp(value: Date): this {
    // Microseconds fit a double exactly for any real date; written as two 32-bit halves.
    const micros = (value.getTime() - PG_EPOCH_MS) * 1000;
    const high = Math.floor(micros / 2 ** 32);
    this.reserve(12);
    this.chunk.writeInt32BE(8, this.used);
    this.chunk.writeInt32BE(high, this.used + 4);
    this.chunk.writeUInt32BE(micros - high * 2 ** 32, this.used + 8);
    this.used += 12;
    return this;
  }

  null(): this {
    this.reserve(4);
    this.chunk.writeInt32BE(-1, this.used);
    this.used += 4;
    return this;
  }

  /** Bytes encoded and not yet taken. */
  get pending(): number {
    return this.outBytes + this.used;
  }

  /** Takes the bytes encoded so far, as pieces to send in order (not copied again). */
  take(): Buffer[] {
    this.seal();
    const taken = this.out;
    this.out = [];
    this.outBytes = 0;
    return taken;
  }

  /** Takes the rest, with the end-of-data marker. */
  finish(): Buffer[] {
    this.reserve(2);
    this.chunk.writeInt16BE(-1, this.used);
    this.used += 2;
    return this.take();
  }

  private reserve(bytes: number) {
    if (this.used + bytes <= this.chunk.length) return;
    this.seal();
    this.chunk = Buffer.allocUnsafe(Math.max(CHUNK, bytes));
  }

  /** Moves the filled part of the current buffer to the output; later fields go after it. */
  private seal() {
    if (this.used === 0) return;
    this.out.push(this.chunk.subarray(0, this.used));
    this.outBytes += this.used;
    this.chunk = this.chunk.subarray(this.used);
    this.used = 0;
  }
}

const copySql = (table: string, columns: string[]) => `COPY ${table} (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN (FORMAT binary)`;

export interface BinaryCopySink {
  /** Where rows are written; call `rowDone()` after each row. */
  readonly encoder: BinaryCopyEncoder;
  /** Sends what is encoded once there is enough of it. */
  rowDone(): void;
  /** Flushes and waits until the server has stored every row. */
  end(): Promise<void>;
}

/**
 * A binary COPY into `table (columns)` that stays open while rows are produced elsewhere
 * (the import streams contents into it as git reads them, so the server stores them while
 * git is still working).
 */
export function openBinaryCopy(client: pg.PoolClient, table: string, columns: string[]): BinaryCopySink {
  const stream = client.query(copyFrom(copySql(table, columns)));
  let failure: unknown = null;
  const finished = new Promise<void>((resolve) => {
    stream.on("finish", () => resolve());
    stream.on("error", (error) => {
      failure = error;
      resolve();
    });
  });
  const encoder = new BinaryCopyEncoder();
  return {
    encoder,
    rowDone() {
      if (failure || encoder.pending < CHUNK) return;
      for (const piece of encoder.take()) stream.write(piece);
    },
    async end() {
      if (!failure) {
        for (const piece of encoder.finish()) stream.write(piece);
        stream.end();
      }
      await finished;
      if (failure) throw failure;
    },
  };
}

/** Sends rows encoded ahead of time (`encoder.finish()`) to `table (columns)` with one binary COPY. */
export async function copyEncodedRows(client: pg.PoolClient, table: string, columns: string[], pieces: Buffer[]) {
  await pipeline(Readable.from(pieces), client.query(copyFrom(copySql(table, columns))));
}
