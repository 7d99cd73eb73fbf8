// The database roles setup (scripts/lib/setup.mjs prepareDatabase) on a database of its own:
// one migrated the old way, as the superuser, like a data folder made before the roles.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { randomName } from "@/lib/testing/git-repo";
import { APP_ROLE, OWNER_ROLE, createDatabase, prepareDatabase, prisma } from "../../scripts/lib/setup.mjs";

const superuserUrl = process.env.SPECLEDGER_TEST_SUPERUSER_URL;
const name = randomName("roles").replace(/-/g, "_");
const urlOf = (database: string) => Object.assign(new URL(superuserUrl ?? "postgresql://unused/unused"), { pathname: `/${database}` }).toString();

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  if (superuserUrl) await withClient(superuserUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
});

// Needs the embedded server's superuser, which the test setup shares only for it.
describe.skipIf(!superuserUrl)("prepareDatabase", () => {
  // Two runs of Prisma's migration engine: slow on a busy machine, hence the long timeout.
  // (Running again on a prepared database is what every test run's setup does.)
  it("hands a database the superuser migrated to the owner and leaves the app role nothing to own", { timeout: 240_000 }, async () => {
    await withClient(superuserUrl!, (admin) => createDatabase(admin, name));
    prisma(["migrate", "deploy"], urlOf(name), { quiet: true });

    const first = await prepareDatabase(urlOf(name), { embedded: true, quiet: true, generate: false });
    expect(new URL(first.appUrl).username).toBe(APP_ROLE);
    expect(new URL(first.ownerUrl).username).toBe(OWNER_ROLE);

    const [owners] = await withClient(
      urlOf(name),
      async (admin) =>
        (
          await admin.query<{ others: number; app: number }>(
            `SELECT count(*) FILTER (WHERE c.relowner <> $1::regrole)::int AS others, count(*) FILTER (WHERE c.relowner = $2::regrole)::int AS app
           FROM pg_class c WHERE c.relnamespace IN ('public'::regnamespace, 'pgboss'::regnamespace) AND c.relkind IN ('r', 'p', 'S')`,
            [OWNER_ROLE, APP_ROLE],
          )
        ).rows,
    );
    expect(owners).toEqual({ others: 0, app: 0 });

    await withClient(first.appUrl, async (app) => {
      await expect(app.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
      await expect(app.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`)).rejects.toThrow(/must be owner/);
      await expect(app.query(`DELETE FROM "AuditEvent" WHERE false`)).rejects.toThrow(/permission denied/);
      // Row privileges on a table the migrations made, and on pg-boss's tables.
      await app.query("BEGIN");
      await app.query(`INSERT INTO "AuditPendingEvent" ("actorLabel", action, subject, payload) VALUES ('t', 't', 't', '{}')`);
      await app.query(`SELECT count(*) FROM pgboss.job`);
      await app.query("ROLLBACK");
    });
  });
});
