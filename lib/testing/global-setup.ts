// Vitest global setup: when DATABASE_URL is unset (running vitest by hand), start the
// embedded test database, set up its roles and apply migrations, exactly as `npm test`
// does. Tests connect as the app's role; the owner's URL is there for the few tests that
// must do what only the owner can (SPECLEDGER_MIGRATION_DATABASE_URL).
export default async function setup() {
  // Secrets stored encrypted (lib/crypto/secrets.ts) need a key; a fresh one per test run.
  process.env.SPECLEDGER_SECRET_KEY ??= (await import("node:crypto")).randomBytes(32).toString("base64url");
  // Tests share one database full of each other's repositories: a worker process a test starts
  // (scripts/worker.ts) must not sweep them all; the sync tests call the sweep themselves.
  process.env.SPECLEDGER_SYNC ??= "0";
  if (process.env.DATABASE_URL) return;
  const setupModule = "../../scripts/lib/setup.mjs";
  const { startDatabase, prepareDatabase } = await import(/* @vite-ignore */ setupModule);
  const database = await startDatabase({ instance: "test", port: Number(process.env.SPECLEDGER_TEST_DB_PORT ?? 54339) });
  const { appUrl, ownerUrl } = await prepareDatabase(database.url, { embedded: database.embedded });
  process.env.DATABASE_URL = appUrl;
  process.env.SPECLEDGER_MIGRATION_DATABASE_URL = ownerUrl;
  // Only lib/db/roles.test.ts uses it, to set up a database of its own from scratch.
  if (database.embedded) process.env.SPECLEDGER_TEST_SUPERUSER_URL = database.url;
  return () => database.stop();
}
