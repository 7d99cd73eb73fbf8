// `npm test`: the same setup as `npm start` (dependencies, embedded PostgreSQL, migrations,
// demo seed, production build), then every test: unit and integration (Vitest, against the
// real database) and end-to-end (Playwright driving Debian's Chromium).
// `npm test -- --skip-e2e`, `-- --only-e2e` or `-- --skip-lint` run a part; other arguments
// (`npm test -- --only-e2e e2e/runs.spec.ts`) go to Playwright.
import fs from "node:fs";
import os from "node:os";
import { lint } from "./lint.mjs";
import { appEnv, buildApp, ensureDependencies, log, prepareDatabase, runLive, startApp, startDatabase, stopChild, waitForHealth } from "./lib/setup.mjs";

const args = new Set(process.argv.slice(2));
const playwrightArgs = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const chromium = process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
if (!args.has("--skip-e2e") && !chromium) {
  console.error(
    "No Chromium found for the end-to-end tests. Install Debian's Chromium with\n" +
      "  sudo apt-get update && sudo apt-get install -y chromium\n" +
      "or point CHROMIUM_PATH at a Chromium binary (or run `npm test -- --skip-e2e`).",
  );
  process.exit(1);
}

ensureDependencies();
// The static checks first: a type error or a broken layer rule fails in a minute, not after the suites.
if (!args.has("--only-e2e") && !args.has("--skip-lint")) {
  try {
    lint();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
const database = await startDatabase({ instance: "test", port: Number(process.env.SPECLEDGER_TEST_DB_PORT ?? 54339) });
const port = Number(process.env.SPECLEDGER_TEST_PORT ?? 3100);
const baseUrl = `http://localhost:${port}`;
let server = null;
let exitCode = 0;
// Each phase's wall time, printed at the end (pass or fail): the e2e suite has a share of CI time to keep to.
const phases = [];
async function timed(name, work) {
  const started = performance.now();
  try {
    return await work();
  } finally {
    phases.push(`${name} ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

async function cleanup() {
  await stopChild(server);
  await database.stop();
}
process.on("SIGINT", () => cleanup().then(() => process.exit(130)));

try {
  // Tests connect as the app's role; the owner's URL serves the few that must act as the owner.
  const { appUrl, ownerUrl } = await prepareDatabase(database.url, { embedded: database.embedded });
  const env = {
    ...appEnv({ databaseUrl: appUrl, url: baseUrl }),
    SPECLEDGER_DATA_DIR: ".data/test",
    // The tests add repositories they create under the system's temporary folder.
    SPECLEDGER_LOCAL_ROOTS: process.env.SPECLEDGER_LOCAL_ROOTS ?? os.tmpdir(),
  };
  log("Seeding the demo workspace…");
  await timed("seed", () => runLive(process.execPath, ["--import", "tsx", "scripts/seed.ts"], { env }));

  if (!args.has("--only-e2e")) {
    log("Unit and integration tests (Vitest)…");
    await timed("vitest", () =>
      runLive(process.execPath, ["node_modules/vitest/vitest.mjs", "run"], {
        env: { ...env, SPECLEDGER_MIGRATION_DATABASE_URL: ownerUrl, ...(database.embedded ? { SPECLEDGER_TEST_SUPERUSER_URL: database.url } : {}) },
      }),
    );
  }

  if (!args.has("--skip-e2e")) {
    log("Building the app for the end-to-end tests…");
    await timed("build", () => buildApp(env));
    // e2e/notifications.spec.ts saves a subscription to a local URL, which only the allow-list permits.
    server = startApp({ env: { ...env, SPECLEDGER_WEBHOOK_ALLOW: "127.0.0.1" }, port, stdio: ["ignore", "ignore", "inherit"] });
    await waitForHealth(`http://127.0.0.1:${port}/api/health`);
    log("End-to-end tests (Playwright, Chromium)…");
    await timed("e2e", () =>
      runLive(process.execPath, ["node_modules/@playwright/test/cli.js", "test", ...playwrightArgs], {
        env: { ...env, SPECLEDGER_E2E_URL: baseUrl, CHROMIUM_PATH: chromium },
      }),
    );
  }
  log("All tests passed.");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  if (phases.length) log(`Phase times: ${phases.join(", ")}`);
  await cleanup();
}
process.exit(exitCode);
