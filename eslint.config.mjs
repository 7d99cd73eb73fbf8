// ESLint: Next.js's rules (React, hooks, accessibility, core web vitals) and typescript-eslint's,
// plus the project's own: the global database clients stay out of operations and domain
// writes (they receive their transaction's client), and nothing is silenced wholesale.
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".data/**",
      "lib/db/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "public/specledger-cli.mjs",
    ],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-console": ["error", { allow: ["error", "warn"] }],
    },
  },
  {
    // Operations run inside one transaction and get its client: importing the global ones
    // there is the bug that starved the pool (issue 12 §5). The runtime guard in
    // lib/db/context.ts catches what slips through.
    files: ["lib/operations/**/*.ts"],
    ignores: ["lib/operations/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@/lib/db", importNames: ["db"], message: "Operations use the transaction client they are given (tx)." },
            { name: "@/lib/db/pg", importNames: ["pgPool"], message: "Operations use the transaction client they are given (tx)." },
          ],
        },
      ],
    },
  },
  {
    // Playwright's fixtures call their continuation `use`; they are not React hooks.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // Scripts and the CLI talk to people on stdout.
    files: ["scripts/**", "lib/cli/**", "lib/bench/**", "lib/demo/**", "bin/**", "e2e/**"],
    rules: { "no-console": "off" },
  },
];

export default config;
