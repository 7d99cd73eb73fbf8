// The benchmarks behind `npm run bench` (see scripts/bench.mjs for the database setup).
// `npm run bench -- import`, `-- provenance`, `-- duplicates`, `-- dashboard`, `-- contracts`, `-- agent-config`, `-- lint`, `-- workflow`, `-- requirements` or `-- scale` runs one of them.
import { writeFileSync } from "node:fs";
import { runAgentConfigBenchmark } from "@/lib/bench/agent-config-bench";
import { runContractsBenchmark } from "@/lib/bench/contracts-bench";
import { runDashboardBenchmark } from "@/lib/bench/dashboard-bench";
import { runDuplicatesBenchmark } from "@/lib/bench/duplicates-bench";
import { runImportBenchmark } from "@/lib/bench/import-bench";
import { runMonorepoBenchmark } from "@/lib/bench/monorepo-bench";
import { runProvenanceBenchmark } from "@/lib/bench/provenance-bench";
import { runRequirementsBenchmark } from "@/lib/bench/requirements-bench";
import { runScaleBenchmark } from "@/lib/bench/scale-bench";
import { runWorkflowBenchmark } from "@/lib/bench/workflow-bench";
import { db } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";

const only = new Set(process.argv.slice(2));
const wants = (name: string) => only.size === 0 || only.has(name);
const log = (line: string) => console.log(line);
try {
  if (wants("import")) {
    const result = await runImportBenchmark({
      commits: Number(process.env.BENCH_COMMITS ?? 20_000),
      files: Number(process.env.BENCH_FILES ?? 500),
      repoCache: process.env.BENCH_REPO_CACHE,
      run: process.env.BENCH_RUN,
      log,
    });
    // scripts/bench.mjs runs the import several times and prints the median of these.
    if (process.env.BENCH_RESULT_FILE) writeFileSync(process.env.BENCH_RESULT_FILE, JSON.stringify(result));
  }
  // Run by scripts/bench.mjs after the import runs, on a database of its own (issue 17 §1).
  if (only.has("monorepo")) await runMonorepoBenchmark({ log });
  if (wants("provenance")) {
    await runProvenanceBenchmark({
      log,
      runs: Number(process.env.BENCH_PROVENANCE_RUNS ?? 1_000_000),
      queries: Number(process.env.BENCH_PROVENANCE_QUERIES ?? 4000),
    });
  }
  if (wants("duplicates")) await runDuplicatesBenchmark({ log });
  if (wants("dashboard")) await runDashboardBenchmark({ log });
  if (wants("contracts")) await runContractsBenchmark({ log });
  if (wants("agent-config")) await runAgentConfigBenchmark({ log });
  if (wants("workflow")) await runWorkflowBenchmark({ log });
  if (wants("requirements")) {
    await runRequirementsBenchmark({
      log,
      commits: Number(process.env.BENCH_REQUIREMENTS_COMMITS ?? 2_000),
      files: Number(process.env.BENCH_REQUIREMENTS_FILES ?? 100),
    });
  }
  if (wants("scale")) await runScaleBenchmark({ log });
} finally {
  await db.$disconnect();
  await pgPool().end();
}
