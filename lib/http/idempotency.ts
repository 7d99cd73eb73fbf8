import { createHash } from "node:crypto";
import type pg from "pg";
import { canonicalJson } from "@/lib/audit/chain";
import { AppError } from "@/lib/errors";

export interface IdempotentResult {
  status: number;
  body: unknown;
}

/** How long a retry waits for the first request with its key before answering 409. */
const IN_FLIGHT_WAIT = "10s";

/** The Idempotency-Key header, checked: printable, at most 200 characters. */
export function idempotencyKeyOf(request: Request): string | null {
  const key = request.headers.get("idempotency-key");
  if (key === null) return null;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw new AppError("bad_request", "Idempotency-Key is 1 to 200 printable ASCII characters.");
  return key;
}

/** A request body's fingerprint: the same JSON with keys in any order is the same request. */
export function requestFingerprint(body: unknown): string {
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

/**
 * Runs `write` at most once per (user, key), inside the caller's transaction: the key is
 * claimed by the same transaction that writes, so a crash releases it and a success stores
 * the answer with the data. A retry gets the first answer; a retry with another body is a
 * 422; a retry while the first request is still writing waits, then gets 409.
 */
export async function idempotent(
  client: pg.PoolClient,
  opts: { userId: string; key: string | null; fingerprint: string },
  write: () => Promise<IdempotentResult>,
): Promise<IdempotentResult> {
  if (opts.key === null) return write();
  await client.query(`SET LOCAL lock_timeout = '${IN_FLIGHT_WAIT}'`);
  let claimed;
  try {
    claimed = await client.query(
      `INSERT INTO "IdempotencyKey" ("userId", key, "requestHash", "statusCode", response) VALUES ($1, $2, $3, 0, '')
       ON CONFLICT DO NOTHING RETURNING 1`,
      [opts.userId, opts.key, opts.fingerprint],
    );
  } catch (error) {
    if ((error as { code?: string }).code === "55P03") {
      throw new AppError("conflict", "A request with this Idempotency-Key is still being processed; retry shortly.");
    }
    throw error;
  }
  await client.query(`SET LOCAL lock_timeout = 0`);
  if (claimed.rowCount === 0) {
    const { rows } = await client.query<{ requestHash: string; statusCode: number; response: string }>(
      `SELECT "requestHash", "statusCode", response FROM "IdempotencyKey" WHERE "userId" = $1 AND key = $2`,
      [opts.userId, opts.key],
    );
    if (rows[0].requestHash !== opts.fingerprint) {
      throw new AppError("unprocessable", "This Idempotency-Key was used with a different request body.");
    }
    return { status: rows[0].statusCode, body: JSON.parse(rows[0].response) };
  }
  const result = await write();
  await client.query(`UPDATE "IdempotencyKey" SET "statusCode" = $3, response = $4 WHERE "userId" = $1 AND key = $2`, [
    opts.userId,
    opts.key,
    result.status,
    JSON.stringify(result.body),
  ]);
  return result;
}
