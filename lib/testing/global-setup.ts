// Vitest global setup: when DATABASE_URL is unset (running vitest by hand), start the
// embedded test database and apply migrations, exactly as `npm test` does.
export default async function setup() {
  // Secrets stored encrypted (lib/crypto/secrets.ts) need a key; a fresh one per test run.
  process.env.SPECLEDGER_SECRET_KEY ??= (await import("node:crypto")).randomBytes(32).toString("base64url");
  if (process.env.DATABASE_URL) return;
  const setupModule = "../../scripts/lib/setup.mjs";
  const { startDatabase, migrate } = await import(/* @vite-ignore */ setupModule);
  const database = await startDatabase({ instance: "test", port: Number(process.env.SPECLEDGER_TEST_DB_PORT ?? 54339) });
  migrate(database.url);
  process.env.DATABASE_URL = database.url;
  return () => database.stop();
}
