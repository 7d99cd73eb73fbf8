import { NextRequest } from "next/server";
import type { TokenScope } from "@/lib/auth/permissions";
import { db, type Role } from "@/lib/db";
import { createToken } from "@/lib/operations/workspace";
import { randomName } from "./git-repo";

// Calls route handlers under app/api/v1 directly, as Next.js would after routing: by the
// path template of the OpenAPI document ("/specs/{id}") and already-decoded parameters.

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const routes = import.meta.glob<Record<string, Handler>>("/app/api/v1/**/route.ts");

/** The handler of `METHOD template`, e.g. ("GET", "/specs/{id}"). */
export async function routeHandler(method: string, template: string): Promise<Handler> {
  const file = `/app/api/v1${template.replace(/\{(\w+)\}/g, "[$1]")}/route.ts`;
  const load = routes[file];
  if (!load) throw new Error(`No route file ${file}`);
  const handler = (await load())[method.toUpperCase()];
  if (!handler) throw new Error(`${file} has no ${method} handler`);
  return handler;
}

export interface Call {
  params?: Record<string, string>;
  /** Query parameters as decoded values (encoded here). */
  query?: Record<string, string>;
  /** A JSON value (sent as application/json), or a raw string or bytes sent as they are. */
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

/** A path segment percent-encoded; a lone surrogate (which has no UTF-8) is sent as U+FFFD, the handler gets the raw value. */
function encodeSegment(value: string): string {
  return encodeURIComponent(value.toWellFormed());
}

/** The request a client would send; parameters fill the template, percent-encoded. */
export function requestFor(method: string, template: string, call: Call = {}): NextRequest {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeSegment(call.params?.[name] ?? "x"));
  const url = new URL(`http://localhost/api/v1${path}`);
  for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
  const raw = typeof call.body === "string" || call.body instanceof Uint8Array;
  return new NextRequest(url, {
    method: method.toUpperCase(),
    headers: {
      ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
      ...(call.body !== undefined ? { "content-type": "application/json" } : {}),
      ...call.headers,
    },
    ...(call.body !== undefined ? { body: raw ? (call.body as string | Uint8Array<ArrayBuffer>) : JSON.stringify(call.body) } : {}),
  });
}

/** Sends `METHOD template` to its route handler and returns the answer. */
export async function callRoute(method: string, template: string, call: Call = {}): Promise<Response> {
  const handler = await routeHandler(method, template);
  // As Next.js does: a route without dynamic segments gets no params object at all.
  const params = template.includes("{") ? (call.params ?? {}) : (undefined as unknown as Record<string, string>);
  return handler(requestFor(method, template, call), { params: Promise.resolve(params) });
}

/** A new user with `role` and a token of theirs with `scopes`. */
export async function userWithToken(role: Role, scopes: TokenScope[]) {
  const user = await db.user.create({
    data: { email: `${randomName(role)}@api.test`, name: `${role} ${randomName()}`, role },
    select: { id: true, email: true, role: true, name: true },
  });
  return { user, token: (await createToken(user, { name: "test", scopes, expiresInDays: 1 })).token };
}

/**
 * What `userId` has written, table by table: a refused request must leave these unchanged.
 * Scoped to one user so that tests running in parallel do not disturb the figures.
 */
export async function writesBy(userId: string) {
  // One round trip: the fuzz test asks before and after every request.
  const [row] = await db.$queryRaw<Record<string, number>[]>`
    SELECT (SELECT count(*)::int FROM "AgentRun" WHERE "reportedById" = ${userId}) AS runs,
           (SELECT count(*)::int FROM "Deployment" WHERE "recordedById" = ${userId}) AS deployments,
           (SELECT count(*)::int FROM "ChangeRevision" WHERE "authorId" = ${userId}) AS revisions,
           (SELECT count(*)::int FROM "ReviewDecision" WHERE "reviewerId" = ${userId}) AS decisions,
           (SELECT count(*)::int FROM "Import" WHERE "requestedById" = ${userId}) AS imports,
           (SELECT count(*)::int FROM "AuditEvent" WHERE "actorId" = ${userId}) AS audit,
           (SELECT count(*)::int FROM "Finding" WHERE "statusChangedById" = ${userId}) AS findings,
           (SELECT count(*)::int FROM "IdempotencyKey" WHERE "userId" = ${userId}) AS idempotency`;
  return row;
}
