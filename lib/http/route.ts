import { NextResponse, type NextRequest } from "next/server";
import { authorize } from "@/lib/auth/session";
import { assertCan, type Permission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { hasUnstorableCharacters, positiveIntString } from "@/lib/schema";
import { readAtMost } from "@/lib/streams";
import type { Operation, Viewer } from "@/lib/operations/operation";
import { authenticateToken } from "@/lib/tokens";
import { errorResponse, NO_STORE } from "./errors";
import { MAX_BODY_BYTES } from "./limits";

export { errorResponse } from "./errors";

export { MAX_BODY_BYTES, PROPOSAL_BODY_BYTES } from "./limits";

/** Reads a body's raw bytes, at most `limit` of them (413 beyond, whatever Content-Length claims). */
export async function readBytes(request: Request, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const bytes = await readAtMost(request, limit);
  if (bytes === null) throw new AppError("payload_too_large", `The body is larger than ${limit} bytes.`);
  return bytes;
}

/** Reads a JSON body of at most `limit` bytes: 415 unless declared JSON, 413 when larger, 400 when not JSON. */
export async function readJson(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
  }
  if (!request.body) throw new AppError("bad_request", "A JSON body is required.");
  const bytes = await readBytes(request, limit);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("bad_request", "The body is not valid UTF-8.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON.");
  }
}

type Context<P> = { params: Promise<P> };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The app's own origin, as browsers send it in Origin. */
function appOrigin(request: Request): string {
  const configured = process.env.NEXTAUTH_URL;
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // fall through to the request's own origin
    }
  }
  return new URL(request.url).origin;
}

/**
 * Cross-site request forgery: a state-changing request authenticated by the session cookie
 * must come from the app's own pages. Browsers send Origin on every cross-origin request and
 * Sec-Fetch-Site on every request; a request with neither is not from a browser's page and
 * carries no cookie legitimately, so it is refused too (fail closed). Bearer tokens are not
 * sent by browsers on their own, so token requests are not checked.
 */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if (origin !== null) {
    if (origin === appOrigin(request)) return;
    throw new AppError("forbidden", "Cross-site request refused: this request did not come from Specledger's own pages.");
  }
  if (site === "same-origin") return;
  throw new AppError("forbidden", "Cross-site request refused: send an Origin header, or use an API token.");
}

/**
 * Who is calling: the bearer token's owner with the token's scopes when an Authorization
 * header is sent, else the signed-in user (whose state-changing requests must be same-origin).
 * Either way `permission` is checked here, and the operations check again.
 */
export async function authenticate(request: Request, permission: Permission): Promise<Viewer> {
  const header = request.headers.get("authorization");
  if (header === null) {
    assertSameOrigin(request);
    return authorize(permission);
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AppError("unauthenticated", "Send the token as: Authorization: Bearer <token>.");
  const user = await authenticateToken(match[1]);
  assertCan(user, permission);
  return user;
}

/**
 * Path parameters, decoded by Next.js; a value that could not be decoded is refused. A route
 * without dynamic segments gets no params object at all from Next.js (undefined): an empty one.
 */
function checkedParams<P>(params: P | undefined): P {
  if (params === undefined || params === null) return {} as P;
  for (const value of Object.values(params as Record<string, unknown>)) {
    if (typeof value === "string" && hasUnstorableCharacters(value)) {
      throw new AppError("not_found", "Not found.");
    }
  }
  return params;
}

/** A numeric path parameter in canonical form (no sign, zeros, hex or spaces), else 404. */
export function pathNumber(value: string): number {
  const parsed = positiveIntString().safeParse(value);
  if (!parsed.success) throw new AppError("not_found", "Not found.");
  return parsed.data;
}

/**
 * The vitest setup (lib/testing/contract-setup.ts) installs an observer under this symbol that
 * checks every answer against the OpenAPI document; in production nothing is installed and
 * this costs one property read.
 */
type ResponseObserver = (request: Request, response: Response) => void;
const OBSERVER = Symbol.for("specledger.responseObserver");

/** Hands the answer to the test-only observer, if any, and returns it. */
export function observed(request: Request, response: Response): Response {
  const observer = (globalThis as { [OBSERVER]?: ResponseObserver })[OBSERVER];
  if (observer) observer(request, response.clone());
  return response;
}

function asResponse(result: unknown, status = 200): Response {
  if (result instanceof Response) {
    if (!result.headers.has("cache-control")) result.headers.set("cache-control", "no-store");
    return result;
  }
  return NextResponse.json(result, { status, headers: NO_STORE });
}

/**
 * The wrapper for read handlers: authenticate and authorize, run the handler, map errors.
 * Handlers parse their input with zod and call one lib function.
 */
export function withUser<P = Record<string, string>>(
  permission: Permission,
  handler: (args: { request: NextRequest; user: Viewer; params: P; query: Record<string, string> }) => Promise<unknown>,
) {
  return async (request: NextRequest, context: Context<P>) => {
    try {
      const user = await authenticate(request, permission);
      const result = await handler({ request, user, params: checkedParams(await context.params), query: queryOf(request) });
      return observed(request, asResponse(result));
    } catch (error) {
      return observed(request, errorResponse(error));
    }
  };
}

export interface Binding<P, O> {
  /** The operation's raw input from the request: its JSON body by default. */
  input?: (args: { request: NextRequest; params: P; body: () => Promise<unknown> }) => Promise<unknown> | unknown;
  /** The success status: a number, or chosen from the output (201 created, 200 replayed). */
  status?: number | ((output: O) => number);
  /** The body limit in bytes (1 MB by default). */
  maxBodyBytes?: number;
  /** Shapes the operation's output into the response body (the output itself by default). */
  respond?: (output: O, args: { viewer: Viewer }) => Promise<unknown> | unknown;
}

/**
 * A route handler for an operation: authenticate (same-origin for cookies), build the raw
 * input from the request, run the operation, answer with its output. The operation parses,
 * authorizes and audits; this only speaks HTTP.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any operation, whatever its schemas
type AnyOperation = Operation<any, any, any>;

export function handle<P = Record<string, string>, Op extends AnyOperation = AnyOperation>(op: Op, binding: Binding<P, Awaited<ReturnType<Op>>> = {}) {
  type O = Awaited<ReturnType<Op>>;
  return async (request: NextRequest, context: Context<P>) => {
    try {
      const viewer = await authenticate(request, op.permission);
      const params = checkedParams(await context.params);
      let raw: unknown;
      const body = async () => (raw = await readJson(request, binding.maxBodyBytes ?? MAX_BODY_BYTES));
      const input = binding.input ? await binding.input({ request, params, body }) : await body();
      const idempotencyKey = op.idempotent ? idempotencyKeyOf(request) : null;
      const output = (await op(viewer, input as never, { idempotencyKey, fingerprintOf: raw ?? input })) as O;
      const status = typeof binding.status === "function" ? binding.status(output) : (binding.status ?? 200);
      return observed(request, asResponse(binding.respond ? await binding.respond(output, { viewer }) : output, status));
    } catch (error) {
      return observed(request, errorResponse(error));
    }
  };
}

/** The Idempotency-Key header, checked: printable, at most 200 characters. */
export function idempotencyKeyOf(request: Request): string | null {
  const key = request.headers.get("idempotency-key");
  if (key === null) return null;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw new AppError("bad_request", "Idempotency-Key is 1 to 200 printable ASCII characters.");
  return key;
}

/**
 * A query string as an object (repeated keys keep the last value), for zod. Names and values
 * PostgreSQL cannot store (NUL; lone surrogates cannot come out of URL decoding) are refused
 * here, so that no filter has to remember it.
 */
export function queryOf(request: NextRequest): Record<string, string> {
  const query = Object.fromEntries(request.nextUrl.searchParams);
  const bad = Object.entries(query).filter(([name, value]) => hasUnstorableCharacters(name) || hasUnstorableCharacters(value));
  if (bad.length > 0) {
    const message = "Text cannot contain the NUL character.";
    throw new AppError("unprocessable", `${bad.map(([name]) => JSON.stringify(name)).join(", ")}: ${message}`, {
      issues: bad.map(([name]) => ({ code: "custom", path: [name], message })),
    });
  }
  return query;
}
