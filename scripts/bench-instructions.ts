// `npm run bench -- instructions`: the effective-instructions resolver against a brute-force
// baseline (lib/bench/instructions-bench.ts). Pure: no database. Exits 1 above the 50 ms target.
import { TARGET_MS, instructionsBenchReport } from "@/lib/bench/instructions-bench";

const { lines, failing } = instructionsBenchReport();
for (const line of lines) console.log(line);
if (failing) {
  console.log(`Above the ${TARGET_MS} ms target.`);
  process.exitCode = 1;
}
