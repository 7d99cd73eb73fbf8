// The benchmarks behind `npm run bench` (see scripts/bench.mjs for the database setup).
import { runImportBenchmark } from "@/lib/bench/import-bench";
import { db } from "@/lib/db";

const commits = Number(process.env.BENCH_COMMITS ?? 20_000);
const files = Number(process.env.BENCH_FILES ?? 500);
try {
  await runImportBenchmark({ commits, files, log: (line) => console.log(line) });
} finally {
  await db.$disconnect();
}
