// `npm start`: install what is missing, start the embedded PostgreSQL (unless DATABASE_URL
// is set), migrate, seed the demo workspace, build and serve. Ctrl-C stops it all cleanly.
import { appEnv, buildApp, ensureDependencies, log, prepareDatabase, runLive, startApp, startDatabase, stopChild, waitForHealth } from "./lib/setup.mjs";

const port = Number(process.env.PORT ?? 3000);
const url = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;

ensureDependencies();
const database = await startDatabase({ instance: "dev", port: Number(process.env.SPECLEDGER_DB_PORT ?? 54329) });
let server = null;
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await stopChild(server);
  if (database.embedded) log("Stopping embedded PostgreSQL…");
  await database.stop();
  process.exit(code);
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

try {
  // The app connects as a role that owns nothing; migrations ran as the owner.
  const { appUrl } = await prepareDatabase(database.url, { embedded: database.embedded });
  const env = appEnv({ databaseUrl: appUrl, url });
  // The demo (with its well-known password) goes only into the embedded database, unless
  // asked for: a real DATABASE_URL is somebody's real workspace.
  const seed = process.env.SPECLEDGER_SEED ? process.env.SPECLEDGER_SEED !== "0" : database.embedded;
  if (seed) {
    log("Seeding the demo workspace (real git repositories, imported with their history)…");
    await runLive(process.execPath, ["--import", "tsx", "scripts/seed.ts"], { env });
  }
  if (process.env.SPECLEDGER_SKIP_BUILD !== "1") {
    log("Building the app (next build)…");
    await buildApp(env);
  }
  server = startApp({ env, port });
  server.done.then((code) => shutdown(code ?? 1));
  await waitForHealth(`http://127.0.0.1:${port}/api/health`);
  const email = process.env.SPECLEDGER_ADMIN_EMAIL ?? "admin@specledger.local";
  const password = process.env.SPECLEDGER_ADMIN_PASSWORD ?? "specledger-demo";
  log("");
  log(`Specledger is running at ${url}`);
  if (seed) log(`Sign in as ${email} with the password ${password}`);
  log("Press Ctrl-C to stop (the data stays in .data/ for next time).");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
}
