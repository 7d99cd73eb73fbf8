import fs from "node:fs";
import { Command } from "commander";
import { ensureReachable, openDatabase } from "../database";
import { CliExit, EXIT } from "../exit";

export function auditCommand(): Command {
  const audit = new Command("audit").description("check Specledger's audit log");
  audit
    .command("verify")
    .description("check the whole hash chain of the audit log and name the first broken event")
    .option("--checkpoint <file>", "also prove that the log still extends this saved signed checkpoint")
    .option("--json", "print the result as one JSON object")
    .addHelpText(
      "after",
      `
Reads the database named by DATABASE_URL (or the embedded development database when it
is unset) and recomputes every event's SHA-256 hash and link to the one before it.

With --checkpoint FILE (a file saved from GET /api/v1/audit/checkpoint), also checks the
checkpoint's signature (with its own public key, and with the server's when
SPECLEDGER_AUDIT_SIGNING_KEY is set) and that the log's event at the checkpoint's length
still has the checkpoint's head hash: a truncated tail, a rewritten event or a different
head is named.

Exit codes: 0 the chain verifies, 1 it is broken or does not extend the checkpoint,
2 usage error (such as an unreadable checkpoint file), 3 database unreachable.`,
    )
    .action((options: { checkpoint?: string; json?: boolean }) => verifyCommand(options));
  return audit;
}

async function readCheckpoint(file: string) {
  const { signedCheckpointSchema } = await import("@/lib/audit/checkpoint");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CliExit(EXIT.usage, `Cannot read the checkpoint file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const checkpoint = signedCheckpointSchema.safeParse(parsed);
  if (!checkpoint.success) {
    throw new CliExit(
      EXIT.usage,
      `${file} is not a checkpoint saved from GET /api/v1/audit/checkpoint (JSON with checkpoint, algorithm, signature, publicKey).`,
    );
  }
  return checkpoint.data;
}

async function verifyCommand(options: { checkpoint?: string; json?: boolean }) {
  // The file is checked before the database is opened: a typo should not wait for it.
  const checkpoint = options.checkpoint ? await readCheckpoint(options.checkpoint) : undefined;
  const database = await openDatabase();
  const { db } = await import("@/lib/db");
  try {
    await ensureReachable(() => db.$queryRaw`SELECT 1`);
    const { verifyAuditLog, verifyAuditLogAgainstCheckpoint } = await import("@/lib/audit");
    if (checkpoint) {
      const verdict = await verifyAuditLogAgainstCheckpoint(checkpoint);
      if (options.json) process.stdout.write(`${JSON.stringify(verdict)}\n`);
      if (!verdict.ok) throw new CliExit(EXIT.failed, `The audit log does not extend the checkpoint: ${verdict.reason}`);
      if (!options.json) {
        process.stdout.write(
          `The audit log extends the checkpoint of ${verdict.checkpoint.length} events (${verdict.checkpoint.verifiedAt}, signed by ${verdict.signedBy}): ${verdict.length} events now, head ${verdict.head}.\n`,
        );
      }
      return;
    }
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
