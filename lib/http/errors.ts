import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { AppError, type AppErrorCode } from "@/lib/errors";

/** The one place AppError codes become HTTP statuses. */
export const HTTP_STATUS: Record<AppErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

/** Authenticated answers are never stored by a browser or a proxy. */
export const NO_STORE = { "cache-control": "no-store" } as const;

/** Maps any error to a JSON response; internals are logged, never sent. */
export function errorResponse(error: unknown): NextResponse {
  if (error instanceof AppError) {
    const { retryAfterSeconds: retryAfter, issues, ...details } = (error.details ?? {}) as { retryAfterSeconds?: number; issues?: unknown };
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(issues ? { issues } : {}), ...(Object.keys(details).length ? { details } : {}) } },
      { status: HTTP_STATUS[error.code], headers: { ...NO_STORE, ...(retryAfter ? { "retry-after": String(retryAfter) } : {}) } },
    );
  }
  if (error instanceof ZodError) {
    return NextResponse.json(
      { error: { code: "unprocessable", message: "The request is not valid.", issues: error.issues } },
      { status: 422, headers: NO_STORE },
    );
  }
  console.error("[api]", error);
  return NextResponse.json({ error: { code: "internal", message: "Something went wrong on our side." } }, { status: 500, headers: NO_STORE });
}
