import { Command, CommanderError } from "commander";
import { CliExit, EXIT } from "./exit";
import { cliVersion } from "./version";

/** The program with `commands` (each command lives in its own file under ./commands). */
function createProgram(commands: readonly (() => Command)[]): Command {
  const program = new Command("specledger")
    .description("Specledger: the system of record for specifications and agent instruction files.")
    .version(cliVersion, "-v, --version")
    .showHelpAfterError("(run with --help for usage)")
    // Options after a command are that command's: `can-i-deploy --version 1.2.0` is not the CLI's own --version.
    .enablePositionalOptions()
    // Throw instead of calling process.exit, so runProgram() decides the exit code.
    .exitOverride();
  for (const create of commands) program.addCommand(create().copyInheritedSettings(program));
  return program;
}

/** Runs the program with `argv` (as in process.argv) and resolves with the exit code. */
export async function runProgram(commands: readonly (() => Command)[], argv: string[]): Promise<number> {
  const program = createProgram(commands);
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
