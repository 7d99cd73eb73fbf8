import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { assertNoTransaction, insideTransaction } from "./context";

export * from "./generated/client";

function createClient() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set: start Specledger with `npm start`.");
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) }),
  });
}

/**
 * The global client, guarded: any use inside a transaction throws (lib/db/context.ts).
 * Transaction clients handed to callbacks are Prisma's own objects and are not guarded.
 */
function guarded(client: PrismaClient): PrismaClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (typeof property === "string" && property !== "then" && property !== "$disconnect") assertNoTransaction("database client (db)");
      if (property === "$transaction") {
        // Every interactive transaction marks its callback, so the guard covers them all.
        return (arg: unknown, options?: unknown) =>
          typeof arg === "function"
            ? target.$transaction((tx) => insideTransaction("$transaction", () => (arg as (tx: unknown) => Promise<unknown>)(tx)), options as never)
            : target.$transaction(arg as never, options as never);
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

// One client per process; cached on globalThis so hot reloads in development reuse it.
const globalForDb = globalThis as unknown as { specledgerDb?: PrismaClient };

export const db: PrismaClient = globalForDb.specledgerDb ?? guarded(createClient());
if (process.env.NODE_ENV !== "production") globalForDb.specledgerDb = db;
