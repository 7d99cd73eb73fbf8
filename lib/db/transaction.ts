import { setTimeout as sleep } from "node:timers/promises";
import { insideTransaction } from "./context";
import { sqlStateOf } from "./errors";
import { db, type Prisma } from "./index";

/** SQLSTATEs that mean "another transaction got there first; run again". */
const RETRYABLE_SQLSTATES = new Set(["40001", "40P01"]);

/**
 * Unique constraints whose violation means a concurrent writer moved on under this
 * transaction's snapshot (the audit chain's head), so a retry sees the new state.
 */
const RETRYABLE_CONSTRAINTS = ["AuditEvent_prevHash_key"];

/** Whether `error` is a serialization failure, a deadlock or a lost race on the audit head. */
export function isRetryable(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { code?: string; message?: string; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  if (e.code === "P2034") return true;
  // sqlStateOf also reads the adapter's unwrapped error, which a conflict found at COMMIT throws.
  const sqlstate = sqlStateOf(error) ?? (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined);
  if (sqlstate && RETRYABLE_SQLSTATES.has(sqlstate)) return true;
  const message = e.message ?? "";
  if (/Code: `(40001|40P01)`/.test(message)) return true;
  return RETRYABLE_CONSTRAINTS.some((name) => message.includes(name));
}

export interface SerializableOptions {
  /** Attempts after the first; each waits a little longer, with jitter. */
  retries?: number;
  /** Named in the error when code inside uses a global client (lib/db/context.ts). */
  name?: string;
  /** Read committed for writes that cannot conflict (serialization failures are still retried). */
  isolation?: "serializable" | "read-committed";
  timeoutMs?: number;
}

/**
 * Runs `fn` in a Serializable transaction and runs it again, up to `retries` times, when
 * PostgreSQL reports that a concurrent transaction conflicted with it. `fn` must be safe to
 * repeat: it may only touch the database through `tx`.
 */
export async function serializable<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>, opts: SerializableOptions = {}): Promise<T> {
  const retries = opts.retries ?? 8;
  const name = opts.name ?? "serializable";
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction((tx) => insideTransaction(name, () => fn(tx)), {
        isolationLevel: opts.isolation === "read-committed" ? "ReadCommitted" : "Serializable",
        maxWait: 10_000,
        timeout: opts.timeoutMs ?? 20_000,
      });
    } catch (error) {
      if (attempt >= retries || !isRetryable(error)) throw error;
      await sleep(Math.random() * 10 * 2 ** Math.min(attempt, 6));
    }
  }
}
