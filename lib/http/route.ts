import { NextResponse, type NextRequest } from "next/server";
import { z, ZodError } from "zod";
import { authorize, type CurrentUser } from "@/lib/auth/session";
import { assertCan, type Permission } from "@/lib/auth/permissions";
import { authenticateToken } from "@/lib/tokens";
import { AppError, HTTP_STATUS } from "@/lib/errors";

export const MAX_BODY_BYTES = 1_048_576;

/** Maps any error to a JSON response; internals are logged, never sent. */
export function errorResponse(error: unknown): NextResponse {
  if (error instanceof AppError) {
    const retryAfter = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      { status: HTTP_STATUS[error.code], headers: retryAfter ? { "retry-after": String(retryAfter) } : undefined },
    );
  }
  if (error instanceof ZodError) {
    return NextResponse.json(
      { error: { code: "unprocessable", message: "The request is not valid.", issues: error.issues } },
      { status: 422 },
    );
  }
  console.error("[api]", error);
  return NextResponse.json({ error: { code: "internal", message: "Something went wrong on our side." } }, { status: 500 });
}

/** Reads a JSON body of at most `limit` bytes: 413 when larger, 400 when not JSON. */
export async function readJson(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw new AppError("payload_too_large", `The body is larger than ${limit} bytes.`);
  if (!request.body) throw new AppError("bad_request", "A JSON body is required.");
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AppError("payload_too_large", `The body is larger than ${limit} bytes.`);
    }
    chunks.push(value);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
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

/**
 * Who is calling: the bearer token's owner with the token's scopes when an Authorization
 * header is sent, else the signed-in user. Either way `permission` is checked here, and the
 * data functions check again with the same viewer.
 */
export async function authenticate(request: Request, permission: Permission): Promise<CurrentUser & { scopes?: readonly string[] }> {
  const header = request.headers.get("authorization");
  if (header === null) return authorize(permission);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AppError("unauthenticated", "Send the token as: Authorization: Bearer <token>.");
  const user = await authenticateToken(match[1]);
  assertCan(user, permission);
  return user;
}

/**
 * The one wrapper for route handlers: authenticate and authorize, run the handler, map
 * errors. Handlers parse their input with zod and call one lib function.
 */
export function withUser<P = Record<string, string>>(
  permission: Permission,
  handler: (args: { request: NextRequest; user: CurrentUser & { scopes?: readonly string[] }; params: P }) => Promise<unknown>,
) {
  return async (request: NextRequest, context: Context<P>) => {
    try {
      const user = await authenticate(request, permission);
      const result = await handler({ request, user, params: await context.params });
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  return schema.parse(value);
}
