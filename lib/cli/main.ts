import { auditCommand } from "./commands/audit";
import { checkCommand } from "./commands/check";
import { canIRunCommand, lastGreenCommand } from "./commands/green";
import { importCommand } from "./commands/import";
import { instructionsCommand } from "./commands/instructions";
import { lintCommand } from "./commands/lint";
import { canIDeployCommand, deployCommand, loginCommand, runCommand, waiverCommand } from "./commands/provenance";
import { applyCommand, proposeCommand } from "./commands/review";
import { runProgram } from "./program";

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

/** Runs the CLI with `argv` (as in process.argv) and resolves with the exit code. */
export function main(argv: string[]): Promise<number> {
  return runProgram(COMMANDS, argv);
}
