import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// The real CLI in a child process, for the tests of its API commands.

const bin = path.resolve(import.meta.dirname, "../../bin/specledger.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A CLI with a config folder of its own and no server or token taken from the environment, so a
 * test says exactly which it uses. `run` resolves with the exit code; a non-zero exit is a result.
 * `defaults` are added to every run's environment (and `cwd` is where it runs), then `run`'s own `env`;
 * `script` runs another build of the CLI (the one-file bundle for CI) instead of bin/specledger.js.
 */
export function isolatedCli(defaults: { env?: Record<string, string>; cwd?: string; script?: string } = {}) {
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-cli-"));
  const run = (args: string[], env: Record<string, string> = {}, opts: { cwd?: string } = {}) =>
    new Promise<CliResult>((resolve) => {
      execFile(
        process.execPath,
        [defaults.script ?? bin, ...args],
        {
          cwd: opts.cwd ?? defaults.cwd,
          env: { ...process.env, SPECLEDGER_CONFIG_DIR: configDir, SPECLEDGER_URL: "", SPECLEDGER_TOKEN: "", ...defaults.env, ...env },
          timeout: 60_000,
        },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
      );
    });
  return { run, configDir, remove: () => fs.rmSync(configDir, { recursive: true, force: true }) };
}
