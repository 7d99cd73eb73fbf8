import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { auditCommand } from "./commands/audit";
import { checkCommand } from "./commands/check";
import { canIRunCommand, lastGreenCommand } from "./commands/green";
import { importCommand } from "./commands/import";
import { instructionsCommand } from "./commands/instructions";
import { lintCommand } from "./commands/lint";
import { canIDeployCommand, deployCommand, loginCommand, runCommand, waiverCommand } from "./commands/provenance";
import { applyCommand, proposeCommand } from "./commands/review";
import { CliExit, EXIT } from "./exit";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

// Each command lives in its own file under ./commands and is added here.
const COMMANDS = [
  loginCommand,
  importCommand,
  proposeCommand,
  applyCommand,
  runCommand,
  deployCommand,
  canIDeployCommand,
  waiverCommand,
  checkCommand,
  lintCommand,
  auditCommand,
  instructionsCommand,
  lastGreenCommand,
  canIRunCommand,
];

export function createProgram(): Command {
  const program = new Command("specledger")
    .description("Specledger: the system of record for specifications and agent instruction files.")
    .version(version, "-v, --version")
    .showHelpAfterError("(run with --help for usage)")
    // Options after a command are that command's: `can-i-deploy --version 1.2.0` is not the CLI's own --version.
    .enablePositionalOptions()
    // Throw instead of calling process.exit, so main() decides the exit code.
    .exitOverride();
  for (const create of COMMANDS) program.addCommand(create().copyInheritedSettings(program));
  return program;
}

/** Runs the CLI with `argv` (as in process.argv) and resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CliExit) {
      if (error.message) process.stderr.write(`specledger: ${error.message}\n`);
      return error.exitCode;
    }
    // Commander has already printed its message; --help and --version end with code 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    process.stderr.write(`specledger: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.failed;
  }
}
