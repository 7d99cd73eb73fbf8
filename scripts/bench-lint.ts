// `npm run bench -- lint`: precision and recall of the agent-file rules on the labelled corpus
// (lib/findings/corpus/, decision 028). Pure: no database. Exits 1 when a rule that is on by
// default at warning or error severity falls below the precision target.
import { PRECISION_TARGET, lintBenchReport } from "@/lib/findings/corpus/report";

const { lines, failing } = lintBenchReport({ verbose: process.argv.includes("--verbose") });
for (const line of lines) console.log(line);
if (failing.length > 0) {
  console.log(`Below ${PRECISION_TARGET} precision while on by default: ${failing.join(", ")}`);
  process.exitCode = 1;
}
