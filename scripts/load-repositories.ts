// Run by scripts/load-repositories.mjs against a fresh database.
import { db } from "@/lib/db";
import { runRepositoriesLoad } from "@/lib/bench/repositories-load";

try {
  await runRepositoriesLoad({ work: process.env.LOAD_WORK_DIR!, log: (line) => console.log(`  ${line}`) });
} finally {
  await db.$disconnect();
}
process.exit(0);
