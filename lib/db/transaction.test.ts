import { describe, expect, it } from "vitest";
import { conflictFromDatabase } from "./errors";
import { isRetryable } from "./transaction";

/** What @prisma/adapter-pg throws when PostgreSQL refuses a transaction at COMMIT: its own error, not wrapped by Prisma. */
function adapterError(cause: { kind: string; originalCode?: string }) {
  return Object.assign(new Error(cause.kind), { name: "DriverAdapterError", cause });
}

describe("isRetryable", () => {
  // Regression: three GitHub deliveries a second (npm run bench -- workflow) lost deliveries
  // to 500s, because a serialization failure raised at COMMIT was not recognised and not retried.
  it("retries a serialization failure raised at COMMIT by the driver adapter", () => {
    expect(isRetryable(adapterError({ kind: "TransactionWriteConflict", originalCode: "40001" }))).toBe(true);
    expect(isRetryable(adapterError({ kind: "TransactionWriteConflict" }))).toBe(true);
    expect(isRetryable(adapterError({ kind: "postgres", originalCode: "40P01" }))).toBe(true);
  });

  it("does not retry other adapter errors, nor errors that only look alike", () => {
    expect(isRetryable(adapterError({ kind: "UniqueConstraintViolation", originalCode: "23505" }))).toBe(false);
    expect(isRetryable(Object.assign(new Error("x"), { cause: { originalCode: "40001" } }))).toBe(false);
    expect(isRetryable(new Error("TransactionWriteConflict"))).toBe(false);
    expect(isRetryable(null)).toBe(false);
  });
});

describe("conflictFromDatabase", () => {
  it("makes a COMMIT-time serialization failure that outlived its retries a conflict (409), not an internal error", () => {
    expect(conflictFromDatabase(adapterError({ kind: "TransactionWriteConflict", originalCode: "40001" }))).toMatchObject({ code: "conflict" });
    expect(conflictFromDatabase(new Error("boom"))).toBeNull();
  });
});
