import { AppError } from "@/lib/errors";

/** The SQLSTATE (or Prisma code) an error carries, through Prisma's driver-adapter wrapping. */
export function sqlStateOf(error: unknown): string | undefined {
  if (!error || typeof error !== "object") return undefined;
  const e = error as {
    name?: unknown;
    code?: unknown;
    cause?: { originalCode?: string; kind?: string };
    meta?: { driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } };
    message?: string;
  };
  // A failure at COMMIT reaches us as the adapter's own error, not wrapped by Prisma.
  const cause = e.meta?.driverAdapterError?.cause ?? (e.name === "DriverAdapterError" && typeof e.cause === "object" ? e.cause : undefined);
  if (cause?.originalCode) return cause.originalCode;
  if (cause?.kind === "UniqueConstraintViolation") return "23505";
  if (cause?.kind === "TransactionWriteConflict") return "40001";
  if (typeof e.code === "string") return e.code === "P2002" ? "23505" : e.code === "P2034" ? "40001" : e.code;
  return undefined;
}

/**
 * What a database refusal means to the caller, when it is theirs to act on: a lost race on a
 * unique value, a lock held past its timeout, a serialization conflict that outlived its
 * retries. Anything else is not the caller's doing and stays an internal error.
 */
export function conflictFromDatabase(error: unknown): AppError | null {
  switch (sqlStateOf(error)) {
    case "23505":
      return new AppError("conflict", "That already exists: someone else created it at the same moment.");
    case "55P03":
      return new AppError("conflict", "Another change holds this record right now; try again in a moment.");
    case "40001":
    case "40P01":
      return new AppError("conflict", "Too many changes to the same records at once; try again in a moment.");
    default:
      return null;
  }
}
