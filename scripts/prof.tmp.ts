import { createSyntheticRepo } from "@/lib/bench/synthetic-repo";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/specs/import";
import fs from "node:fs";
const dir = "/tmp/benchrepo";
if (!fs.existsSync(dir + "/repo")) await createSyntheticRepo({ dir: dir + "/repo", commits: 20000, files: 500, seed: 42 });
// fresh content each time: a random suffix is impossible (blobs fixed) so delete nothing; use a fresh DB
const record = await db.repository.create({ data: { name: `prof-${Date.now()}`, source: dir + "/repo" } });
let last = performance.now(); let phase = "";
const t0 = performance.now();
await importRepository({ repositoryId: record.id, onProgress: (p) => {
  if (p.phase !== phase) { const now = performance.now(); console.log(`${phase || "start"} -> ${p.phase}: ${(now - last).toFixed(0)} ms`); last = now; phase = p.phase; }
}});
console.log(`writing: ${(performance.now() - last).toFixed(0)} ms; total ${(performance.now() - t0).toFixed(0)} ms`);
await db.$disconnect(); (await import("@/lib/db/pg")).pgPool().end();
