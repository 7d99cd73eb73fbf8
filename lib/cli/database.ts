// How CLI commands that work on the database directly (import, audit verify) reach it.
import { CliExit, EXIT } from "./exit";

export interface OpenDatabase {
  stop: () => Promise<void>;
}

/**
 * Uses DATABASE_URL, or starts the embedded development database as `npm start` does and
 * points DATABASE_URL at it. Everything it prints goes to stderr: stdout carries --json.
 */
export async function openDatabase(): Promise<OpenDatabase> {
  if (process.env.DATABASE_URL) return { stop: async () => {} };
  const setup = await import("../../scripts/lib/setup.mjs");
  try {
    const database = await withStdoutOnStderr(async () => {
      setup.ensureDependencies();
      return setup.startDatabase({ instance: "dev", port: 54329 });
    });
    try {
      // Like the app, the CLI connects as the role that owns nothing.
      const { appUrl } = await setup.prepareDatabase(database.url, { embedded: database.embedded, quiet: true });
      process.env.DATABASE_URL = appUrl;
    } catch (error) {
      await database.stop();
      throw error;
    }
    return database;
  } catch (error) {
    throw new CliExit(EXIT.unreachable, `Could not start the embedded database: ${(error as Error).message}`);
  }
}

// setup.mjs logs with process.stdout.write; while it runs, those lines go to stderr.
async function withStdoutOnStderr<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

const CONNECT_TIMEOUT_MS = 15_000;

export async function ensureReachable(probe: () => Promise<unknown>) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
  } catch (error) {
    throw new CliExit(EXIT.unreachable, `Cannot connect to the database at ${redactUrl(process.env.DATABASE_URL)}: ${describeError(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

// Node's socket errors, Prisma's connection errors, and the driver adapter's kinds for a
// lost or refused connection.
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "P1001", "P1002", "P1017"]);
const CONNECTION_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TlsConnectionError"]);

export function isConnectionError(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, meta } = e as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
    const kind = meta?.driverAdapterError?.cause?.kind;
    if (typeof kind === "string" && CONNECTION_KINDS.has(kind)) return true;
  }
  return false;
}

// Prisma wraps the driver's reason in several lines about the query; keep the reason.
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const inner = /Message: `([^`]+)`/.exec(message)?.[1];
  return inner ?? message.trim().split("\n").filter(Boolean).pop() ?? "unknown error";
}

function redactUrl(url: string | undefined): string {
  if (!url) return "(unset)";
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable DATABASE_URL)";
  }
}
