// How API commands reach a Specledger server: the server URL and token from flags, then
// SPECLEDGER_URL / SPECLEDGER_TOKEN, then what `specledger login` stored. Every failure
// maps to its own exit code, so CI fails closed and can tell why.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { tokenFormatError } from "@/lib/tokens/format";
import { CliExit, EXIT } from "./exit";

export interface ApiOptions {
  server?: string;
  token?: string;
  timeout?: string;
}

export function credentialsFile(): string {
  const base = process.env.SPECLEDGER_CONFIG_DIR ?? path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), ".config"), "specledger");
  return path.join(base, "credentials.json");
}

type Stored = { servers: Record<string, { token: string }>; default?: string };

export function readCredentials(): Stored {
  try {
    return JSON.parse(fs.readFileSync(credentialsFile(), "utf8")) as Stored;
  } catch {
    return { servers: {} };
  }
}

export function saveCredentials(server: string, token: string) {
  const file = credentialsFile();
  const stored = readCredentials();
  stored.servers[server] = { token };
  stored.default = server;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

export function normaliseServer(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliExit(EXIT.usage, `${url} is not a URL (e.g. https://specledger.example.com).`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new CliExit(EXIT.usage, "The server URL is http(s).");
  return parsed.origin;
}

/** Server, token and timeout for an API command; a usage error when there is no server or token. */
export function apiTarget(opts: ApiOptions): { server: string; token: string; timeoutMs: number } {
  const stored = readCredentials();
  const server = normaliseServer(opts.server || process.env.SPECLEDGER_URL || stored.default || "");
  const token = opts.token || process.env.SPECLEDGER_TOKEN || stored.servers[server]?.token;
  if (!token) throw new CliExit(EXIT.usage, `No token for ${server}: run specledger login, or set SPECLEDGER_TOKEN.`);
  const formatError = tokenFormatError(token);
  if (formatError) throw new CliExit(EXIT.auth, formatError);
  return { server, token, timeoutMs: parseDuration(opts.timeout || process.env.SPECLEDGER_TIMEOUT || "30s") };
}

export function hasApiTarget(opts: ApiOptions): boolean {
  return Boolean(opts.server || process.env.SPECLEDGER_URL || readCredentials().default);
}

function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new CliExit(EXIT.usage, `${text} is not a duration (e.g. 500ms, 10s, 2m).`);
  const value = Number(match[1]) * (match[2] === "ms" ? 1 : match[2] === "m" ? 60_000 : 1000);
  if (value <= 0 || value > 3_600_000) throw new CliExit(EXIT.usage, "The timeout is between 1 ms and 1 hour.");
  return value;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
}

/**
 * One API call. Resolves for 2xx; throws CliExit otherwise: unreachable or timed out (3),
 * token refused (4), server error or unparseable answer (5), unknown (6), refused input (2).
 */
export async function callApi<T>(
  target: { server: string; token: string; timeoutMs: number },
  method: "GET" | "POST",
  route: string,
  opts: { body?: unknown; idempotencyKey?: string; accept?: number[] } = {},
): Promise<ApiResponse<T>> {
  // A write that carries an Idempotency-Key is safe to send again after a dropped connection,
  // a timeout or a server error: the server answers it once. Everything else is sent once.
  const attempts = opts.idempotencyKey ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await callOnce<T>(target, method, route, opts);
    } catch (error) {
      const transient = error instanceof CliExit && (error.exitCode === EXIT.unreachable || error.exitCode === EXIT.server);
      if (!transient || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

async function callOnce<T>(
  target: { server: string; token: string; timeoutMs: number },
  method: "GET" | "POST",
  route: string,
  opts: { body?: unknown; idempotencyKey?: string; accept?: number[] },
): Promise<ApiResponse<T>> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${target.server}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${target.token}`,
        accept: "application/json",
        ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(opts.idempotencyKey ? { "idempotency-key": opts.idempotencyKey } : {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: AbortSignal.timeout(target.timeoutMs),
      redirect: "error",
    });
    text = await response.text();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "TimeoutError" || name === "AbortError") throw new CliExit(EXIT.unreachable, `${target.server} did not answer within ${target.timeoutMs} ms.`);
    throw new CliExit(EXIT.unreachable, `${target.server} cannot be reached: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CliExit(EXIT.server, `${target.server} answered ${response.status} with something that is not JSON.`);
  }
  const message = (body as { error?: { message?: string } } | null)?.error?.message;
  if (response.ok || opts.accept?.includes(response.status)) {
    if (body === null || typeof body !== "object") throw new CliExit(EXIT.server, `${target.server} answered with unexpected JSON.`);
    return { status: response.status, body: body as T };
  }
  if (response.status === 401 || response.status === 403) throw new CliExit(EXIT.auth, message ?? `The server refused the token (${response.status}).`);
  if (response.status === 404) throw new CliExit(EXIT.unknown, message ?? "Not found.");
  if (response.status === 409) throw new CliExit(EXIT.failed, message ?? "The server refused: a conflict.");
  if (response.status >= 500) throw new CliExit(EXIT.server, message ?? `The server failed (${response.status}).`);
  const issues = (body as { error?: { issues?: { path: (string | number)[]; message: string }[] } }).error?.issues;
  const detail = issues?.length ? `: ${issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}` : "";
  if (response.status === 429) throw new CliExit(EXIT.server, `${message ?? "Rate limited"} (retry after ${response.headers.get("retry-after") ?? "?"} s).`);
  throw new CliExit(EXIT.usage, `${message ?? `The server refused the request (${response.status})`}${detail}`);
}
