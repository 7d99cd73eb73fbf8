import type pg from "pg";
import { describe, expect, it } from "vitest";
import { pgPool, withPgTransaction } from "@/lib/db/pg";
import { randomName } from "@/lib/testing/git-repo";
import { BinaryCopyEncoder, copyEncodedRows, openBinaryCopy } from "./binary-copy";

const TRICKY = ["", "plain", "\\", "\\N", "tab\tnew\nline\r\n", "\\.\n", "ünï 日本 ☃ 🎉 \u2028", "'single' \"double\"", "x".repeat(5000), "é".repeat(3000)];

interface Row {
  id: number;
  s: string | null;
  b: boolean | null;
  d: Date | null;
}

const DATES = [
  new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
  new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)),
  new Date(Date.UTC(1970, 0, 1)),
  new Date(Date.UTC(2100, 5, 6, 7, 8, 9, 10)),
];

const ROWS: Row[] = [...TRICKY.map((s, i) => ({ id: i - 3, s, b: i % 2 === 0, d: DATES[i % DATES.length] })), { id: 1_000_000, s: null, b: null, d: null }];

async function tempTable(client: pg.PoolClient): Promise<string> {
  const table = `"${randomName("bincopy")}"`;
  await client.query(`CREATE TEMP TABLE ${table} (id int4 PRIMARY KEY, s text, b boolean, d timestamp(3)) ON COMMIT DROP`);
  return table;
}

async function readBack(client: pg.PoolClient, table: string): Promise<Row[]> {
  // Timestamps without time zone are stored as UTC wall time (as Prisma does): read them so.
  const { rows } = await client.query<Row>(`SELECT id, s, b, d AT TIME ZONE 'UTC' AS d FROM ${table} ORDER BY id`);
  return rows;
}

function write(encoder: BinaryCopyEncoder, row: Row, asBytes: boolean) {
  encoder.row(4).int4(row.id);
  if (row.s === null) encoder.null();
  else if (asBytes) encoder.bytes(Buffer.from(row.s, "utf8"));
  else encoder.text(row.s);
  if (row.b === null) encoder.null();
  else encoder.bool(row.b);
  if (row.d === null) encoder.null();
  else encoder.timestamp(row.d);
}

describe("binary COPY", () => {
  it("stores text, bytes, int4, bool, timestamps and nulls unchanged, encoded ahead of time", async () => {
    const [asText, asBytes] = await withPgTransaction(async (client) => {
      const first = await tempTable(client);
      const text = new BinaryCopyEncoder();
      for (const row of ROWS) write(text, row, false);
      await copyEncodedRows(client, first, ["id", "s", "b", "d"], text.finish());
      const second = await tempTable(client);
      const bytes = new BinaryCopyEncoder();
      for (const row of ROWS) write(bytes, row, true);
      await copyEncodedRows(client, second, ["id", "s", "b", "d"], bytes.finish());
      return [await readBack(client, first), await readBack(client, second)];
    });
    expect(asText).toEqual(ROWS);
    expect(asBytes).toEqual(ROWS);
  });

  it("stores float8 values exactly, negative zero, NaN and the infinities included", async () => {
    const values = [0, -0, 1, 0.1, 0.57, -2.5e-300, 1.7976931348623157e308, Number.MIN_VALUE, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const back = await withPgTransaction(async (client) => {
      const table = `"${randomName("bincopy")}"`;
      await client.query(`CREATE TEMP TABLE ${table} (id int4 PRIMARY KEY, f float8) ON COMMIT DROP`);
      const encoder = new BinaryCopyEncoder();
      values.forEach((f, i) => encoder.row(2).int4(i).float8(f));
      await copyEncodedRows(client, table, ["id", "f"], encoder.finish());
      // As text with every digit, so that the driver's parsing cannot round anything away.
      return (await client.query<{ f: string }>(`SELECT f::text AS f FROM ${table} ORDER BY id`)).rows.map((r) => Number(r.f));
    });
    expect(back).toEqual(values);
  });

  it("streams more than a buffer's worth of rows through an open COPY", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ id: i, s: `${i}: ${TRICKY[i % TRICKY.length]}`, b: true, d: DATES[0] }));
    const back = await withPgTransaction(async (client) => {
      const table = await tempTable(client);
      const sink = openBinaryCopy(client, table, ["id", "s", "b", "d"]);
      for (const row of rows) {
        write(sink.encoder, row, true);
        sink.rowDone();
      }
      await sink.end();
      return readBack(client, table);
    });
    expect(back).toEqual(rows);
  });

  it("is refused by the server when bytes are not valid UTF-8 text", async () => {
    await expect(
      withPgTransaction(async (client) => {
        const table = await tempTable(client);
        const sink = openBinaryCopy(client, table, ["id", "s"]);
        sink.encoder
          .row(2)
          .int4(1)
          .bytes(Buffer.from([0x66, 0xff, 0x6f]));
        sink.rowDone();
        await sink.end();
      }),
    ).rejects.toThrow(/invalid byte sequence/);
  });

  it("rejects from end() when an early row is refused, even after more rows were written; the pool stays usable", async () => {
    await expect(
      withPgTransaction(async (client) => {
        const table = await tempTable(client);
        const sink = openBinaryCopy(client, table, ["id", "s"]);
        sink.encoder
          .row(2)
          .int4(1)
          .bytes(Buffer.from([0xff]));
        sink.rowDone();
        for (let i = 2; i < 3000; i++) {
          sink.encoder
            .row(2)
            .int4(i)
            .text(`${i}: ${TRICKY[i % TRICKY.length]}`);
          sink.rowDone();
        }
        await sink.end();
      }),
    ).rejects.toThrow(/invalid byte sequence/);
    const { rows } = await pgPool().query<{ one: number }>("SELECT 1 AS one");
    expect(rows).toEqual([{ one: 1 }]);
  });

  it("copies nothing for no rows", async () => {
    const counts = await withPgTransaction(async (client) => {
      const first = await tempTable(client);
      await copyEncodedRows(client, first, ["id", "s"], new BinaryCopyEncoder().finish());
      const second = await tempTable(client);
      await openBinaryCopy(client, second, ["id", "s"]).end();
      return [(await readBack(client, first)).length, (await readBack(client, second)).length];
    });
    expect(counts).toEqual([0, 0]);
  });
});
