// The CLI a CI job runs, as one file the server serves at /specledger-cli.mjs (built by
// scripts/build-cli.mjs, docs/decisions/022-pr-check.md): only the commands that need no
// database, `check` and `lint`, so the bundle has no dependencies to install.
import { checkCommand } from "./commands/check";
import { lintCommand } from "./commands/lint";
import { runProgram } from "./program";

process.exit(await runProgram([checkCommand, lintCommand], process.argv));
