// Authors a new migration offline: diffs prisma/schema.prisma against the schema as
// committed at HEAD (or an empty database for the first one) and writes the SQL to
// prisma/migrations/<timestamp>_<name>/migration.sql. Review it, then `npm start` applies it.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDependencies, prismaEnv, root, startDatabase } from "./lib/setup.mjs";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]+/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(2);
}
let from = ["--from-empty"];
try {
  const committed = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "specledger-")), "schema.prisma");
  fs.writeFileSync(file, committed);
  from = ["--from-schema-datamodel", file];
} catch {
  // No committed schema yet: the first migration starts from an empty database.
}
// Prisma's WebAssembly engine connects through the adapter even for a pure schema diff.
ensureDependencies();
const db = await startDatabase({ instance: "dev", port: Number(process.env.SPECLEDGER_DB_PORT ?? 54329) });
const result = spawnSync(
  path.join(root, "node_modules", ".bin", "prisma"),
  ["migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { cwd: root, env: prismaEnv(db.url), encoding: "utf8" },
);
await db.stop();
if (result.status !== 0) {
  process.stderr.write(result.stderr);
  process.exit(result.status ?? 1);
}
if (!/\b(CREATE|ALTER|DROP)\b/.test(result.stdout)) {
  console.log("The schema matches HEAD: no migration written.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(root, "prisma", "migrations", `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "migration.sql"), result.stdout);
console.log(`Wrote ${path.relative(root, dir)}/migration.sql`);
