// `npm run load:repositories`: a load script, not a test (issue 12 §5). Starts a fresh
// database as the benchmarks do, then fires 20 concurrent repository adds and 20 re-scans at
// the route handlers while measuring GET /api/v1/me, and prints the figures.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { appEnv, createDatabase, ensureDependencies, log, migrate, runLive, startDatabase } from "./lib/setup.mjs";

ensureDependencies();
const database = await startDatabase({ instance: "bench", port: Number(process.env.SPECLEDGER_BENCH_DB_PORT ?? 54359), database: "postgres" });
const name = "specledger_load";
const url = Object.assign(new URL(database.url), { pathname: `/${name}` }).toString();
const admin = new pg.Client({ connectionString: database.url });
await admin.connect();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-load-"));
let code = 0;
try {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await createDatabase(admin, name);
  migrate(url);
  log("Load: 20 concurrent adds and 20 re-scans while measuring GET /api/v1/me…");
  await runLive(process.execPath, ["--import", "tsx", "scripts/load-repositories.ts"], {
    env: {
      ...appEnv({ databaseUrl: url, url: "http://127.0.0.1" }),
      SPECLEDGER_DATA_DIR: work,
      SPECLEDGER_LOCAL_ROOTS: work,
      SPECLEDGER_TOKEN_RATE_LIMIT: "100000000",
      LOAD_WORK_DIR: work,
    },
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  code = 1;
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  await admin.end();
  fs.rmSync(work, { recursive: true, force: true });
  await database.stop();
}
process.exit(code);
