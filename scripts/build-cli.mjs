// Builds the CLI a CI job runs into one file, public/specledger-cli.mjs, which the server
// serves at /specledger-cli.mjs (docs/decisions/022-pr-check.md, "The CLI a CI job runs"):
// `check` and `lint` only, bundled with esbuild with everything they import, so a CI job
// fetches it from its own Specledger server and runs it with node, installing nothing.
// `npm start` and `npm test` build it before the app; `node scripts/build-cli.mjs [outfile]`.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_BUNDLE = path.join(root, "public", "specledger-cli.mjs");

export async function buildCli(outfile = CLI_BUNDLE) {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  await build({
    entryPoints: [path.join(root, "lib", "cli", "ci.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // ESM builds first: some packages' "main" is a UMD build that requires files esbuild cannot see.
    mainFields: ["module", "main"],
    tsconfig: path.join(root, "tsconfig.json"),
    define: { SPECLEDGER_CLI_VERSION: JSON.stringify(version) },
    // Bundled CommonJS packages call require(); an ES module has none of its own.
    banner: {
      js: `#!/usr/bin/env node\n// Specledger CLI ${version} for CI (check, lint). Built by scripts/build-cli.mjs.\nimport { createRequire as __specledgerRequire } from "node:module";\nconst require = __specledgerRequire(import.meta.url);`,
    },
    legalComments: "none",
    logLevel: "warning",
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildCli(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`Built the CI CLI: ${path.relative(process.cwd(), out)}`);
}
