import pg from "pg";

/**
 * Runs `fn` connected as the role that owns the tables (SPECLEDGER_MIGRATION_DATABASE_URL,
 * set by the test setup): for the few tests that must do what the app's role cannot, such
 * as creating a scratch table or tampering with the audit log to prove it is detected.
 */
export async function asOwner<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const connectionString = process.env.SPECLEDGER_MIGRATION_DATABASE_URL;
  if (!connectionString) throw new Error("SPECLEDGER_MIGRATION_DATABASE_URL is not set: run the tests through vitest's global setup or `npm test`.");
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
