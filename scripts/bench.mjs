// `npm run bench`: performance figures as ratios against a baseline measured in the same
// run on the same data. Uses its own embedded database (or DATABASE_URL), recreated fresh.
import pg from "pg";
import { createDatabase, ensureDependencies, log, migrate, run, startDatabase } from "./lib/setup.mjs";

ensureDependencies();
const database = await startDatabase({
  instance: "bench",
  port: Number(process.env.SPECLEDGER_BENCH_DB_PORT ?? 54359),
  database: "postgres",
});
const url = new URL(database.url);
const name = "specledger_bench";
const admin = new pg.Client({ connectionString: database.url });
await admin.connect();
// A fresh database each run: content already stored would let the import skip work.
await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await createDatabase(admin, name);
await admin.end();
url.pathname = `/${name}`;
let code = 0;
try {
  migrate(url.toString());
  log("Running benchmarks…");
  run(process.execPath, ["--import", "tsx", "scripts/bench.ts", ...process.argv.slice(2)], {
    // Both pools at the connection count the provenance figures compare at; no rate limit.
    env: { ...process.env, DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: "8", DATABASE_PG_POOL_SIZE: "8", SPECLEDGER_TOKEN_RATE_LIMIT: "100000000" },
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  code = 1;
} finally {
  await database.stop();
}
process.exit(code);
