import { Command } from "commander";
import { ensureReachable, openDatabase } from "../database";
import { CliExit, EXIT } from "../exit";

export function auditCommand(): Command {
  const audit = new Command("audit").description("check Specledger's audit log");
  audit
    .command("verify")
    .description("check the whole hash chain of the audit log and name the first broken event")
    .option("--json", "print the result as one JSON object")
    .addHelpText(
      "after",
      `
Reads the database named by DATABASE_URL (or the embedded development database when it
is unset) and recomputes every event's SHA-256 hash and link to the one before it.

Exit codes: 0 the chain verifies, 1 it is broken, 2 usage error, 3 database unreachable.`,
    )
    .action((options: { json?: boolean }) => verifyCommand(options));
  return audit;
}

async function verifyCommand(options: { json?: boolean }) {
  const database = await openDatabase();
  const { db } = await import("@/lib/db");
  try {
    await ensureReachable(() => db.$queryRaw`SELECT 1`);
    const { verifyAuditLog } = await import("@/lib/audit");
    const result = await verifyAuditLog();
    if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    if (!result.ok) {
      throw new CliExit(EXIT.failed, `The audit log is broken at event ${result.brokenAt}: ${result.reason} (${result.length} events before it verify).`);
    }
    if (!options.json) process.stdout.write(`The audit log verifies: ${result.length} events, head ${result.head}.\n`);
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}
