import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomName } from "@/lib/testing/git-repo";
import { asOwner } from "@/lib/testing/owner";
import { openBinaryCopy } from "@/lib/specs/binary-copy";
import { pgPool, withPgTransaction } from "./pg";

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

  // The app's role may not create tables; the owner does, and its default privileges let
  // the app's role write the rows.
  beforeAll(async () => {
    await asOwner((owner) => owner.query(`CREATE TABLE ${table} (label text NOT NULL)`));
  });
  afterAll(async () => {
    await asOwner((owner) => owner.query(`DROP TABLE IF EXISTS ${table}`));
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
  it("rolls back and re-throws when the function throws with a COPY still open", async () => {
    const failure = new Error("git failed mid-import");
    await expect(
      withPgTransaction(async (client) => {
        const sink = openBinaryCopy(client, table, ["label"]);
        sink.encoder.row(1).text(randomName("dropped"));
        sink.rowDone();
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expectEveryPooledClientUsable();
  });
});

describe("the pool's sessions", () => {
  it("run in UTC, so a Date assigned to a timestamp column is stored as its UTC wall time (as Prisma stores it)", async () => {
    const at = new Date(Date.UTC(2026, 5, 1, 23, 30, 0, 123));
    const { rows } = await pgPool().query<{ zone: string; wall: string }>(
      `SELECT current_setting('TimeZone') AS zone, ($1::timestamptz)::timestamp(3)::text AS wall`,
      [at],
    );
    expect(rows[0]).toEqual({ zone: "UTC", wall: "2026-06-01 23:30:00.123" });
  });
});
