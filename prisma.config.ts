import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

type Connected = Awaited<ReturnType<PrismaPg["connect"]>> & {
  client: { query(sql: string): Promise<unknown> };
  onError(error: unknown): never;
};

// The pg adapter splits migration scripts on every ";", which breaks PL/pgSQL bodies and
// runs statements one by one. Sending the script as one simple query keeps it whole and
// atomic (PostgreSQL runs a multi-statement query in one implicit transaction).
class WholeScriptPg extends PrismaPg {
  override async connect() {
    const adapter = (await super.connect()) as Connected;
    adapter.executeScript = async (script: string) => {
      try {
        await adapter.client.query(script);
      } catch (error) {
        adapter.onError(error);
      }
    };
    return adapter;
  }
}

// Prisma's native schema engine cannot be downloaded on our machines, so the CLI runs
// its WebAssembly engine over a pg driver adapter (docs/decisions/001-prisma-offline.md).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    return new WholeScriptPg({ connectionString });
  },
});
