// `npm run lint`: the static checks `npm test` runs first. TypeScript, ESLint (Next's rules,
// typescript-eslint, React hooks, the project's own), the layer rules (dependency-cruiser,
// .dependency-cruiser.cjs) and Prettier's formatting. Installs what is missing first.
import path from "node:path";
import { ensureDependencies, ensurePrismaClient, log, root, run } from "./lib/setup.mjs";

const bin = (pkg, file) => path.join(root, "node_modules", pkg, file);
const CHECKS = [
  ["TypeScript", [bin("typescript", "bin/tsc"), "--noEmit", "-p", root]],
  ["ESLint", [bin("eslint", "bin/eslint.js"), ".", "--max-warnings=0"]],
  [
    "Layers (dependency-cruiser)",
    [bin("dependency-cruiser", "bin/dependency-cruise.mjs"), "app", "components", "lib", "--config", ".dependency-cruiser.cjs", "--output-type", "err"],
  ],
  ["Formatting (Prettier)", [bin("prettier", "bin/prettier.cjs"), "--check", "--log-level", "warn", "."]],
];

export function lint() {
  ensureDependencies();
  ensurePrismaClient();
  for (const [name, args] of CHECKS) {
    log(`${name}…`);
    run(process.execPath, args);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    lint();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
