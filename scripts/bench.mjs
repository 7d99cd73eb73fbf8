// `npm run bench`: performance figures as ratios against a baseline measured in the same
// run on the same data. Uses its own embedded database (or DATABASE_URL), recreated fresh
// for every benchmark process.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDatabase, ensureDependencies, log, migrate, runLive, startDatabase } from "./lib/setup.mjs";

// Dependencies first (a fresh clone has none), then what needs them: only Node built-ins and
// setup.mjs may be imported above.
ensureDependencies();
const names = process.argv.slice(2);
const known = ["import", "provenance", "duplicates", "dashboard", "contracts", "agent-config", "lint", "instructions", "workflow", "requirements", "scale"];
const unknown = names.filter((n) => !known.includes(n));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(", ")}: choose from ${known.join(", ")} (none runs them all).`);
  process.exit(2);
}
// The lint benchmark is pure (a labelled corpus of files, no database): it runs first, and alone
// when it is the only one asked for.
if (names.length === 0 || names.includes("lint")) {
  const lint = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench-lint.ts"], { stdio: "inherit" });
  if (names.length === 1) process.exit(lint.status ?? 1);
  if (lint.status !== 0) process.exitCode = 1;
}
// Effective instructions are pure too (a synthetic repository in memory, no database).
if (names.length === 0 || names.includes("instructions")) {
  const instructions = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench-instructions.ts"], { stdio: "inherit" });
  if (names.length === 1 || (names.length === 2 && names.includes("lint"))) process.exit(instructions.status || process.exitCode || 0);
  if (instructions.status !== 0) process.exitCode = 1;
}
const { default: pg } = await import("pg");
const database = await startDatabase({
  instance: "bench",
  port: Number(process.env.SPECLEDGER_BENCH_DB_PORT ?? 54359),
  database: "postgres",
});
const name = "specledger_bench";
const template = "specledger_bench_template";
const urlOf = (db) => Object.assign(new URL(database.url), { pathname: `/${db}` }).toString();
const admin = new pg.Client({ connectionString: database.url });
await admin.connect();

const wants = (benchmark) => names.length === 0 || names.includes(benchmark);
const others = ["provenance", "duplicates", "dashboard", "contracts", "agent-config", "requirements"].filter(wants);
// The import is measured several times (each on a fresh database and a fresh copy of one
// synthetic repository, each against its own bare-git baseline): this machine's speed
// drifts by 10-15% within minutes, so one pair of measurements is one draw, not a figure.
const importRuns = wants("import") ? Math.max(0, Number(process.env.BENCH_IMPORT_RUNS ?? 3)) : 0; // 0: only the monorepo
const work = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-bench-"));
let code = 0;
try {
  // Migrated once; every benchmark process then gets a fresh copy of it, so contents
  // already stored never let an import skip work.
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await createDatabase(admin, template);
  migrate(urlOf(template));
  const fresh = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  };
  const bench = (args, env = {}) =>
    runLive(process.execPath, ["--import", "tsx", "scripts/bench.ts", ...args], {
      // Both pools at the connection count the provenance figures compare at; no rate limit.
      env: {
        ...process.env,
        DATABASE_URL: urlOf(name),
        DATABASE_POOL_SIZE: "8",
        DATABASE_PG_POOL_SIZE: "8",
        SPECLEDGER_TOKEN_RATE_LIMIT: "100000000",
        ...env,
      },
    });
  log("Running benchmarks…");
  const results = [];
  for (let k = 1; k <= importRuns; k++) {
    await fresh();
    const resultFile = path.join(work, `import-${k}.json`);
    await bench(["import"], { BENCH_REPO_CACHE: path.join(work, "repo"), BENCH_RESULT_FILE: resultFile, BENCH_RUN: `${k} of ${importRuns}` });
    results.push(JSON.parse(fs.readFileSync(resultFile, "utf8")));
  }
  if (importRuns > 1) {
    const ratios = results.map((r) => r.ratio).sort((a, b) => a - b);
    const shares = results.map((r) => r.reimportShare).sort((a, b) => a - b);
    const median = (sorted) => (sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);
    console.log("");
    console.log(`Import over ${importRuns} runs`);
    console.log(
      `  ratio, import versions/s to raw git blobs/s: median ${median(ratios).toFixed(3)} (each run: ${results.map((r) => r.ratio.toFixed(3)).join(", ")}; target >= 0.30)`,
    );
    console.log(
      `  re-import with no new commits: median ${median(shares).toFixed(2)}% of the full import (each run: ${results.map((r) => `${r.reimportShare.toFixed(2)}%`).join(", ")}; target < 2%)`,
    );
  }
  // The monorepo and its blobless clone (issue 17 §1), once: generating it takes about a minute.
  if (wants("import") && process.env.BENCH_MONOREPO !== "0") {
    await fresh();
    await bench(["monorepo"]);
  }
  if (others.length > 0) {
    await fresh();
    await bench(others);
  }
  // The workflow figures write repositories, imports and deliveries: a database of their own.
  if (wants("workflow")) {
    await fresh();
    await bench(["workflow"]);
  }
  // Scale-out starts two `next start` processes on the production build (skipped without one):
  // a database of its own, and pools sized per process as a deployment would.
  if (wants("scale")) {
    await fresh();
    await bench(["scale"], { DATABASE_POOL_SIZE: "10", DATABASE_PG_POOL_SIZE: "10" });
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  code = 1;
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => {});
  await admin.end();
  fs.rmSync(work, { recursive: true, force: true });
  await database.stop();
}
process.exit(code || (process.exitCode ?? 0));
