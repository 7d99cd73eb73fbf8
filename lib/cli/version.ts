import { readFileSync } from "node:fs";

// Set by esbuild when the CI bundle is built (scripts/build-cli.mjs): the bundle has no
// package.json beside it. Run from the repository, the version is read from package.json.
declare const SPECLEDGER_CLI_VERSION: string | undefined;

/** The CLI's version, as `--version` prints it and SARIF names the tool's. */
export const cliVersion: string =
  typeof SPECLEDGER_CLI_VERSION === "string"
    ? SPECLEDGER_CLI_VERSION
    : (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
