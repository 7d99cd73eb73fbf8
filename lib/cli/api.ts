// How API commands reach a Specledger server: the server URL and token from flags, then
// SPECLEDGER_URL / SPECLEDGER_TOKEN, then what `specledger login` stored. Every failure
// maps to its own exit code, so CI fails closed and can tell why.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { tokenFormatError } from "@/lib/tokens/format";
import { readAtMost } from "@/lib/streams";
import { CliExit, EXIT, type ExitCode } from "./exit";

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

/** The largest answer the CLI reads; anything larger is refused (exit 5), never buffered whole. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/**
 * One API call. Resolves for 2xx; throws CliExit otherwise: unreachable, dropped or timed out
 * (3), token refused (4), server error, unparseable or oversized answer (5), unknown (6),
 * refused input (2). `timeoutMs` is one deadline for everything: connecting, the headers,
 * reading the body and any retries.
 */
export async function callApi<T>(
  target: { server: string; token: string; timeoutMs: number },
  method: "GET" | "POST",
  route: string,
  opts: { body?: unknown; idempotencyKey?: string; accept?: number[] } = {},
): Promise<ApiResponse<T>> {
  const deadline = Date.now() + target.timeoutMs;
  // A write that carries an Idempotency-Key is safe to send again after a dropped connection,
  // a timeout or a server error: the server answers it once. Everything else is sent once.
  const attempts = opts.idempotencyKey ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await callOnce<T>(target, deadline, method, route, opts);
    } catch (error) {
      const transient =
        error instanceof CliExit && (error.exitCode === EXIT.unreachable || error.exitCode === EXIT.server) && !(error as { final?: boolean }).final;
      const pause = 250 * attempt;
      if (!transient || attempt >= attempts || Date.now() + pause >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** A CliExit that no retry can fix (the deadline passed, the answer is too large). */
function finalExit(code: ExitCode, message: string): CliExit {
  return Object.assign(new CliExit(code, message), { final: true });
}

/** Reads a body as text, at most `limit` bytes; stops reading (and the connection) beyond it. */
async function readCapped(response: Response, limit: number): Promise<string | null> {
  return (await readAtMost(response, limit))?.toString("utf8") ?? null;
}

/** The one-line cause of a network failure. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return (cause?.code ?? cause?.message ?? (error as Error).message ?? "unknown error").split("\n")[0];
}

async function callOnce<T>(
  target: { server: string; token: string; timeoutMs: number },
  deadline: number,
  method: "GET" | "POST",
  route: string,
  opts: { body?: unknown; idempotencyKey?: string; accept?: number[] },
): Promise<ApiResponse<T>> {
  const remaining = deadline - Date.now();
  const late = () => finalExit(EXIT.unreachable, `${target.server} did not answer within ${target.timeoutMs} ms.`);
  if (remaining <= 0) throw late();
  // One signal for the request and the body: a server that sends headers and then stalls is cut off too.
  const signal = AbortSignal.timeout(remaining);
  let response: Response;
  let text: string | null;
  let phase: "connect" | "body" = "connect";
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
      signal,
      redirect: "error",
    });
    phase = "body";
    text = await readCapped(response, MAX_RESPONSE_BYTES);
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (signal.aborted || name === "TimeoutError" || name === "AbortError") throw late();
    if (phase === "body") throw new CliExit(EXIT.unreachable, `${target.server} dropped the connection before the answer was complete (${causeOf(error)}).`);
    throw new CliExit(EXIT.unreachable, `${target.server} cannot be reached: ${causeOf(error)}.`);
  }
  if (text === null) throw finalExit(EXIT.server, `${target.server} answered with more than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB; refused.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CliExit(EXIT.server, `${target.server} answered ${response.status} with something that is not JSON.`);
  }
  const message = oneLine((body as { error?: { message?: string } } | null)?.error?.message);
  if (response.ok || opts.accept?.includes(response.status)) {
    if (body === null || typeof body !== "object") throw new CliExit(EXIT.server, `${target.server} answered with unexpected JSON.`);
    return { status: response.status, body: body as T };
  }
  if (response.status === 401 || response.status === 403) throw new CliExit(EXIT.auth, message ?? `The server refused the token (${response.status}).`);
  if (response.status === 404) throw new CliExit(EXIT.unknown, message ?? "Not found.");
  if (response.status === 409) throw new CliExit(EXIT.failed, message ?? "The server refused: a conflict.");
  if (response.status >= 500) throw new CliExit(EXIT.server, message ?? `The server failed (${response.status}).`);
  const issues = (body as { error?: { issues?: { path: (string | number)[]; message: string }[] } }).error?.issues;
  const detail = Array.isArray(issues) && issues.length ? `: ${issues.map((i) => `${i.path?.join?.(".") || "body"}: ${i.message}`).join("; ")}` : "";
  if (response.status === 429) throw new CliExit(EXIT.server, `${message ?? "Rate limited"} (retry after ${response.headers.get("retry-after") ?? "?"} s).`);
  throw new CliExit(EXIT.usage, oneLine(`${message ?? `The server refused the request (${response.status})`}${detail}`));
}

/** A server's message on one line, at most 500 characters: it goes to a CI log. */
function oneLine(text: string | undefined): string | undefined {
  if (typeof text !== "string") return undefined;
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}
