import { createHash } from "node:crypto";
import type pg from "pg";
import { canonicalJson } from "@/lib/audit/chain";
import { AppError } from "@/lib/errors";

/** How long a retry waits for the first request with its key before answering 409. */
const IN_FLIGHT_WAIT = "10s";

/** A request body's fingerprint: the same JSON with keys in any order is the same request. */
export function requestFingerprint(body: unknown): string {
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

/**
 * Runs `write` at most once per (user, key), inside the caller's transaction: the key is
 * claimed by the same transaction that writes, so a crash releases it and a success stores
 * the answer with the data. A retry gets the first answer (the stored JSON text); a retry with
 * another body is a 422; a retry while the first request is still writing waits, then gets 409.
 */
export async function idempotent(
  client: pg.PoolClient,
  opts: { userId: string; key: string; request: unknown },
  write: () => Promise<string>,
): Promise<string> {
  const fingerprint = requestFingerprint(opts.request);
  await client.query(`SET LOCAL lock_timeout = '${IN_FLIGHT_WAIT}'`);
  let claimed;
  try {
    claimed = await client.query(
      `INSERT INTO "IdempotencyKey" ("userId", key, "requestHash", "statusCode", response) VALUES ($1, $2, $3, 0, '')
       ON CONFLICT DO NOTHING RETURNING 1`,
      [opts.userId, opts.key, fingerprint],
    );
  } catch (error) {
    if ((error as { code?: string }).code === "55P03") {
      throw new AppError("conflict", "A request with this Idempotency-Key is still being processed; retry shortly.");
    }
    throw error;
  }
  await client.query(`SET LOCAL lock_timeout = 0`);
  if (claimed.rowCount === 0) {
    const { rows } = await client.query<{ requestHash: string; response: string }>(
      `SELECT "requestHash", response FROM "IdempotencyKey" WHERE "userId" = $1 AND key = $2`,
      [opts.userId, opts.key],
    );
    if (rows[0].requestHash !== fingerprint) {
      throw new AppError("unprocessable", "This Idempotency-Key was used with a different request body.");
    }
    return rows[0].response;
  }
  const response = await write();
  await client.query(`UPDATE "IdempotencyKey" SET "statusCode" = 200, response = $3 WHERE "userId" = $1 AND key = $2`, [opts.userId, opts.key, response]);
  return response;
}
