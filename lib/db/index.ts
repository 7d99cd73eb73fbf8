import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

export * from "./generated/client";

function createClient() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set: start Specledger with `npm start`.");
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) }),
  });
}

// One client per process; cached on globalThis so hot reloads in development reuse it.
const globalForDb = globalThis as unknown as { specledgerDb?: PrismaClient };

export const db: PrismaClient = globalForDb.specledgerDb ?? createClient();
if (process.env.NODE_ENV !== "production") globalForDb.specledgerDb = db;
