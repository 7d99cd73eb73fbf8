import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomName } from "@/lib/testing/git-repo";
import { copyField, copyRows, openCopy, pgPool, withPgTransaction, type CopyValue } from "./pg";

describe("copyField", () => {
  it.each<[Parameters<typeof copyField>[0], string]>([
    [null, "\\N"],
    ["", ""],
    ["plain text", "plain text"],
    ["back\\slash", "back\\\\slash"],
    ["\\N", "\\\\N"],
    ["tab\there", "tab\\there"],
    ["new\nline", "new\\nline"],
    ["cr\r\nlf", "cr\\r\\nlf"],
    ["\\\t\n\r\\", "\\\\\\t\\n\\r\\\\"],
    ["ünï 日本 🎉", "ünï 日本 🎉"],
    [42, "42"],
    [-1.5, "-1.5"],
    [true, "true"],
    [false, "false"],
    [new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), "2026-01-02T03:04:05.006Z"],
  ])("writes %j as %j", (value, text) => {
    expect(copyField(value)).toBe(text);
  });

  it("never lets a raw tab, newline or carriage return through", () => {
    for (const value of TRICKY) expect(copyField(value)).not.toMatch(/[\t\n\r]/);
  });
});

const TRICKY = [
  "",
  "plain",
  "\\",
  "\\\\",
  "\\N",
  "N",
  "NULL",
  "\\n is not a newline",
  "trailing backslash\\",
  "tab\tin\tthe\tmiddle",
  "\ttab at both ends\t",
  "new\nline",
  "\n",
  "cr\rlf\r\n",
  "\\.",
  "\\.\n",
  "ünï 日本 ☃ 🎉 \u2028 \u00a0",
  " leading and trailing spaces ",
  "'single' \"double\" `back`",
];

interface Row {
  id: number;
  s: string | null;
  n: number | null;
  b: boolean | null;
  d: Date | null;
}

const ROWS: CopyValue[][] = [
  ...TRICKY.map((s, i) => [i, s, i + 0.25, i % 2 === 0, new Date(Date.UTC(2026, 0, 1 + i, 12, 0, 0, i))]),
  [TRICKY.length, null, null, null, null],
];

async function tempTable(client: pg.PoolClient): Promise<string> {
  const table = `"${randomName("copy")}"`;
  await client.query(`CREATE TEMP TABLE ${table} (id int PRIMARY KEY, s text, n double precision, b boolean, d timestamptz) ON COMMIT DROP`);
  return table;
}

async function readBack(client: pg.PoolClient, table: string): Promise<CopyValue[][]> {
  const { rows } = await client.query<Row>(`SELECT id, s, n, b, d FROM ${table} ORDER BY id`);
  return rows.map((r) => [r.id, r.s, r.n, r.b, r.d]);
}

/** Enough rows to pass the 1 MiB buffer in copyRows and openCopy several times. */
function manyRows(): CopyValue[][] {
  return Array.from({ length: 6000 }, (_, i) => [i, `${i}: ${TRICKY[i % TRICKY.length]}|${"\\\t\n".repeat(100)}`, null, null, null]);
}

describe("COPY round trip", () => {
  it("copyRows stores tricky strings, nulls, numbers, booleans and dates unchanged", async () => {
    const back = await withPgTransaction(async (client) => {
      const table = await tempTable(client);
      await copyRows(client, table, ["id", "s", "n", "b", "d"], ROWS);
      return readBack(client, table);
    });
    expect(back).toEqual(ROWS);
    expect(back.find((row) => row[1] === "")).toBeDefined();
  });

  it("openCopy stores tricky strings, nulls, numbers, booleans and dates unchanged", async () => {
    const back = await withPgTransaction(async (client) => {
      const table = await tempTable(client);
      const sink = openCopy(client, table, ["id", "s", "n", "b", "d"]);
      for (const row of ROWS) sink.write(row);
      await sink.end();
      return readBack(client, table);
    });
    expect(back).toEqual(ROWS);
  });

  it("copyRows and openCopy store UTF-8 bytes as the text they encode", async () => {
    const asBytes = ROWS.map(([id, s]) => [id, typeof s === "string" ? Buffer.from(s, "utf8") : s]);
    const [viaRows, viaSink] = await withPgTransaction(async (client) => {
      const first = await tempTable(client);
      await copyRows(client, first, ["id", "s"], asBytes);
      const second = await tempTable(client);
      const sink = openCopy(client, second, ["id", "s"]);
      for (const row of asBytes) sink.write(row);
      await sink.end();
      return [await readBack(client, first), await readBack(client, second)];
    });
    const want = ROWS.map(([id, s]) => [id, s, null, null, null]);
    expect(viaRows).toEqual(want);
    expect(viaSink).toEqual(want);
  });

  it("copyRows and openCopy store more than a buffer's worth of rows, from a generator too", async () => {
    const rows = manyRows();
    const asBytes = rows.map(([id, s]) => [id, Buffer.from(s as string, "utf8")]);
    const [viaRows, viaSink, viaBytes] = await withPgTransaction(async (client) => {
      const first = await tempTable(client);
      await copyRows(client, first, ["id", "s", "n", "b", "d"], (function* () { yield* rows; })());
      const second = await tempTable(client);
      const sink = openCopy(client, second, ["id", "s", "n", "b", "d"]);
      for (const row of rows) sink.write(row);
      await sink.end();
      const third = await tempTable(client);
      const bytesSink = openCopy(client, third, ["id", "s"]);
      for (const row of asBytes) bytesSink.write(row);
      await bytesSink.end();
      return [await readBack(client, first), await readBack(client, second), await readBack(client, third)];
    });
    expect(viaRows).toHaveLength(rows.length);
    expect(viaRows).toEqual(rows);
    expect(viaSink).toEqual(rows);
    expect(viaBytes).toEqual(rows);
  });

  it("copies nothing for no rows", async () => {
    const counts = await withPgTransaction(async (client) => {
      const first = await tempTable(client);
      await copyRows(client, first, ["id", "s"], []);
      const second = await tempTable(client);
      await openCopy(client, second, ["id", "s"]).end();
      return [(await readBack(client, first)).length, (await readBack(client, second)).length];
    });
    expect(counts).toEqual([0, 0]);
  });

  it("copyRows rejects a malformed value, the transaction rolls back and the pool stays usable", async () => {
    const attempt = withPgTransaction(async (client) => {
      const table = await tempTable(client);
      await copyRows(client, table, ["id", "s"], [[1, "fine"], ["not a number", "bad"]]);
    });
    await expect(attempt).rejects.toMatchObject({ code: "22P02" });
    await expectEveryPooledClientUsable();
  });

  it("openCopy rejects from end() when a row is malformed, even after more rows were written", async () => {
    const attempt = withPgTransaction(async (client) => {
      const table = await tempTable(client);
      const sink = openCopy(client, table, ["id", "s", "n", "b", "d"]);
      sink.write(["not a number", "bad", null, null, null]);
      for (const row of manyRows()) sink.write(row);
      await sink.end();
    });
    await expect(attempt).rejects.toMatchObject({ code: "22P02" });
    await expectEveryPooledClientUsable();
  });
});

/** Each of the pool's clients (max 4) runs a transaction: none was left mid-transaction. */
async function expectEveryPooledClientUsable() {
  const results = await Promise.all(
    Array.from({ length: 4 }, () => withPgTransaction(async (client) => (await client.query<{ one: number }>("SELECT 1 AS one")).rows[0].one)),
  );
  expect(results).toEqual([1, 1, 1, 1]);
}

describe("withPgTransaction", () => {
  const table = `"${randomName("txn")}"`;
  const count = async () => Number((await pgPool().query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  beforeAll(async () => {
    await pgPool().query(`CREATE TABLE ${table} (label text NOT NULL)`);
  });
  afterAll(async () => {
    await pgPool().query(`DROP TABLE IF EXISTS ${table}`);
  });

  it("commits and returns what the function returns", async () => {
    const label = randomName("kept");
    const result = await withPgTransaction(async (client) => {
      await client.query(`INSERT INTO ${table} (label) VALUES ($1)`, [label]);
      return { inserted: label };
    });
    expect(result).toEqual({ inserted: label });
    const { rows } = await pgPool().query(`SELECT label FROM ${table} WHERE label = $1`, [label]);
    expect(rows).toHaveLength(1);
  });

  it("rolls back everything and re-throws the same error when the function throws", async () => {
    const before = await count();
    const failure = new Error("changed my mind");
    const label = randomName("dropped");
    await expect(
      withPgTransaction(async (client) => {
        await client.query(`INSERT INTO ${table} (label) VALUES ($1), ($1)`, [label]);
        await client.query(`INSERT INTO ${table} (label) VALUES ($1)`, [label]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await count()).toBe(before);
    const { rows } = await pgPool().query(`SELECT 1 FROM ${table} WHERE label = $1`, [label]);
    expect(rows).toEqual([]);
  });

  it("rolls back after a failed statement and leaves no client in an aborted transaction", async () => {
    const before = await count();
    await expect(
      withPgTransaction(async (client) => {
        await client.query(`INSERT INTO ${table} (label) VALUES ($1)`, [randomName("dropped")]);
        await client.query("SELECT 1 / 0");
      }),
    ).rejects.toMatchObject({ code: "22012" });
    expect(await count()).toBe(before);
    await expectEveryPooledClientUsable();
  });

  // A COPY left open by a throwing function keeps the connection in COPY mode; a ROLLBACK
  // would queue behind it forever, so the connection is closed instead.
  it("rolls back and re-throws when the function throws with an openCopy still open", async () => {
    const failure = new Error("git failed mid-import");
    await expect(
      withPgTransaction(async (client) => {
        const sink = openCopy(client, table, ["label"]);
        sink.write([randomName("dropped")]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expectEveryPooledClientUsable();
  });
});
