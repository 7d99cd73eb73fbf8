import { describe, expect, it } from "vitest";
import { PAYMENTS_AGENTS, claudeMd } from "@/lib/demo/demo-repos";
import { compareInstructionFiles } from "./competing";

// The demo's payments-service AGENTS.md and CLAUDE.md, which disagree.
const PAYMENTS_CLAUDE = claudeMd(2);

const file = (path: string, text: string) => ({ path, text });
const compare = (a: string, b: string) => compareInstructionFiles(file("AGENTS.md", a), file("CLAUDE.md", b));

describe("compareInstructionFiles", () => {
  it("finds the demo's package manager, test runner, money and merge conflicts", () => {
    const result = compare(PAYMENTS_AGENTS, PAYMENTS_CLAUDE);
    expect(result.conflicts.map((c) => [c.topic, c.a.line, c.b.line])).toEqual([
      ["package manager (pnpm vs npm)", 5, 7],
      ["test runner (Vitest vs Jest)", 10, 8],
      ["money amounts (minor units vs major units)", 16, 14],
      ["merge strategy (squash vs merge commits)", 27, 15],
    ]);
    expect(result.onlyInA.map((i) => i.line)).toEqual([6, 21, 22]);
    expect(result.onlyInB.map((i) => i.text)).toEqual([
      "Lint with `npm run lint`.",
      "Re-read the spec under `specs/` that your change touches and list any requirement you did not implement.",
      "Never commit secrets or `.env` files.",
    ]);
    expect(result.disagree).toBe(true);
  });

  it.each([
    ["Use pnpm to install dependencies.", "Use npm to install dependencies.", "pnpm vs npm"],
    ["Write tests with Vitest.", "Write tests with Jest.", "vitest vs jest"],
    ["Store amounts in minor units.", "Store amounts in major units.", "minor vs major"],
    ["Always squash commits when merging.", "Never squash commits when merging.", "always vs never"],
    ["Do not commit the lockfile.", "Commit the lockfile.", "do not vs —"],
    ["Keep functions under 50 lines.", "Keep functions under 80 lines.", "50 vs 80"],
    ["Use Node 20.", "Use Node 18.", "20 vs 18"],
  ])("%s / %s conflict on %s", (a, b, terms) => {
    const result = compare(`- ${a}\n`, `- ${b}\n`);
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0].topic).toContain(`(${terms})`);
    expect(result.conflicts[0].a).toEqual({ text: a, line: 1, imperative: true });
    expect(result.conflicts[0].b.text).toBe(b);
    expect(result.onlyInA).toEqual([]);
    expect(result.onlyInB).toEqual([]);
    expect(result.disagree).toBe(true);
  });

  it("labels a conflict with the words both sides share", () => {
    const [conflict] = compare("- Use pnpm to install dependencies.\n", "- Use npm to install dependencies.\n").conflicts;
    expect(conflict.topic).toBe("install dependencies (pnpm vs npm)");
  });

  it("finds nothing between identical files", () => {
    const result = compare(PAYMENTS_AGENTS, PAYMENTS_AGENTS);
    expect(result).toEqual({ onlyInA: [], onlyInB: [], conflicts: [], disagree: false });
  });

  it("finds nothing when the same rules are reordered, renumbered and lightly reworded", () => {
    const a = "## Rules\n\n- Run the tests before you push.\n- Use pnpm.\n- Never commit secrets.\n";
    const b = "# CLAUDE.md\n\n1. Never commit secrets!\n2. Use **pnpm**.\n3. Run all tests before pushing.\n";
    expect(compare(a, b)).toEqual({ onlyInA: [], onlyInB: [], conflicts: [], disagree: false });
  });

  it("lists the rules of unrelated but compatible files as only in one of them", () => {
    const a = "- Run `pnpm test` before you push.\n- Keep fixtures next to the tests that use them.\n";
    const b = "- Write docs in British English.\n- Link every ADR from the README.\n\nThe docs site is built nightly.\n";
    const result = compare(a, b);
    expect(result.conflicts).toEqual([]);
    expect(result.onlyInA.map((i) => i.line)).toEqual([1, 2]);
    // Descriptive sentences are not instructions, so they are not listed.
    expect(result.onlyInB.map((i) => i.text)).toEqual(["Write docs in British English.", "Link every ADR from the README."]);
    expect(result.disagree).toBe(true);
  });

  it("does not call a file that only adds rules a disagreement", () => {
    const a = "- Use pnpm.\n- Run the linter before committing.\n";
    const b = "- Use pnpm.\n";
    const result = compare(a, b);
    expect(result.onlyInA.map((i) => i.text)).toEqual(["Run the linter before committing."]);
    expect(result.onlyInB).toEqual([]);
    expect(result.disagree).toBe(false);
  });

  it("does not take reordered words for a swap, but still sees one among them", () => {
    const reordered = compareInstructionFiles(
      { path: "AGENTS.md", text: "- Always run `pnpm lint` and `pnpm test` before committing.\n" },
      { path: "GEMINI.md", text: "- Run `pnpm test` (Vitest) and `pnpm lint` before committing.\n" },
    );
    expect(reordered.conflicts).toEqual([]);
    const swapped = compareInstructionFiles(
      { path: "AGENTS.md", text: "- Always run `pnpm lint` and `pnpm test` before committing.\n" },
      { path: "CLAUDE.md", text: "- Always run `npm lint` and `npm test` before committing.\n" },
    );
    expect(swapped.conflicts.map((c) => c.topic).join(" ")).toMatch(/pnpm vs npm/);
  });

  it("does not take an added clause for a negation", () => {
    const result = compare("- TypeScript strict mode; never use `any`.\n", "- TypeScript with strict mode on.\n");
    expect(result.conflicts).toEqual([]);
  });

  it("does not report a choice both files mention", () => {
    const result = compare("- Use pnpm, not npm or yarn.\n", "- Use npm scripts through pnpm.\n");
    expect(result.conflicts.filter((c) => c.topic.startsWith("package manager"))).toEqual([]);
  });

  it("is deterministic and symmetric in what it finds", () => {
    const ab = compare(PAYMENTS_AGENTS, PAYMENTS_CLAUDE);
    const ba = compareInstructionFiles(file("CLAUDE.md", PAYMENTS_CLAUDE), file("AGENTS.md", PAYMENTS_AGENTS));
    expect(compare(PAYMENTS_AGENTS, PAYMENTS_CLAUDE)).toEqual(ab);
    expect(ba.conflicts).toHaveLength(ab.conflicts.length);
    expect(ba.onlyInA).toEqual(ab.onlyInB);
    expect(ba.onlyInB).toEqual(ab.onlyInA);
  });
});

// Lines from public repositories at the corpus commits (lib/findings/corpus/manifest.json) that
// the comparator once reported as conflicts, judged in
// docs/decisions/data/competing-judgements.tsv. Each pair is "repo: path:line" for A, then B.
describe("compareInstructionFiles on real pairs", () => {
  const conflicts = (a: string, b: string) => compare(`- ${a}\n`, `- ${b}\n`).conflicts.map((c) => c.topic);

  it.each([
    [
      // cline/cline: .clinerules/general.md:71 / .clinerules/protobuf-development.md:11
      "Each feature domain has its own `.proto` file",
      "**File Structure**: Each feature domain should have its own `.proto` file (e.g., `account.proto`, `task.proto`).",
    ],
    [
      // wshobson/agents: .cursor/rules/000-project-conventions.mdc:22 / .cursor/rules/020-agent-skill-authoring.mdc:24
      "See `docs/authoring.md` for the portable-content style guide.",
      "See `docs/authoring.md` for the full guide.",
    ],
    [
      // triggerdotdev/trigger.dev: AGENTS.md:131 / .claude/rules/server-apps.md:25
      "See `.server-changes/README.md` for format and documentation.",
      "See `.server-changes/README.md` for full guidance.",
    ],
    [
      // stagewise-io/stagewise: .cursor/rules/monorepo-guide.mdc:60 / .cursor/rules/precommit.mdc:9
      "`root`: For root-level files (`package.json`, `tsconfig.json`, etc.).",
      'Use "root" for changes in the root directory (files like package.json, tsconfig.json, etc.)',
    ],
    [
      // langfuse/langfuse: AGENTS.md:124 / web/AGENTS.md:89
      "Public API contract changes must update Fern sources in `fern/apis/**` and regenerated outputs; do not hand-edit `generated/**`.",
      "If API contract changed, update Fern source (`../fern/apis/**`) and regenerate outputs (do not hand-edit `../generated/**`).",
    ],
    [
      // langfuse/langfuse: AGENTS.md:108 / web/AGENTS.md:29
      "Client tests contain `....clienttest.ts`",
      "Client tests: `src/**/*.clienttest.ts(x)`",
    ],
    [
      // 0xitsHimanshu/prompt-enhancer: .cursor/rules/taskmaster/dev_workflow.mdc:235 / .cursor/rules/taskmaster/taskmaster.mdc:247
      "Add `--force` flag to clear existing subtasks before generating new ones (default is to append).",
      "`force`: `Optional: If true, clear existing subtasks before generating new ones. Default is false (append).` (CLI: `--force`)",
    ],
  ])("does not take a restatement for a conflict: %s / %s", (a, b) => {
    expect(conflicts(a, b)).toEqual([]);
  });

  it.each([
    [
      // dotnet/aspire: .github/instructions/client-readme.instructions.md:15 / hosting-readme.instructions.md:15
      "All client integration README.md files should follow this structure:",
      "All hosting integration README.md files should follow this structure:",
    ],
    [
      // simnova/sharethrift: .github/instructions/ui/layouts.instructions.md:102 / presentational-components.instructions.md:43
      "Every layout should have a corresponding Storybook story.",
      "Every presentational component should have a corresponding Storybook story.",
    ],
    [
      // simnova/sharethrift: .github/instructions/ui/components.instructions.md:23 / presentational-components.instructions.md:24
      "Use strict TypeScript types for props, state, and context.",
      "Use strict TypeScript types for all props and local state.",
    ],
    [
      // triggerdotdev/trigger.dev: .cursor/rules/migrations.mdc:6 / .cursor/rules/writing-tests.mdc:6
      "Follow our [migrations.md](mdc:ai/references/migrations.md) guide for how to create and apply database migrations.",
      "Follow our [tests.md](mdc:ai/references/tests.md) guide for how to write tests in the monorepo.",
    ],
    [
      // triggerdotdev/trigger.dev: .claude/rules/docs-writing.md:12 / .claude/rules/sdk-packages.md:10
      "Always import from `@trigger.dev/sdk`, never `@trigger.dev/sdk/v3`.",
      "`@trigger.dev/core`: **Never import the root**. Always use subpath imports (e.g., `@trigger.dev/core/v3`).",
    ],
    [
      // langfuse/langfuse: AGENTS.md:70 / web/AGENTS.md:69 (two commands under different labels)
      "Dev web only: `pnpm run dev:web`",
      "Typecheck: `pnpm --filter web run typecheck`",
    ],
  ])("does not take the same rule for a different subject for a conflict: %s / %s", (a, b) => {
    expect(conflicts(a, b)).toEqual([]);
  });

  it.each([
    [
      // triggerdotdev/trigger.dev: packages/cli-v3/CLAUDE.md:3 / .claude/rules/sdk-packages.md:8 (npm the registry)
      "The `trigger.dev` CLI package, published as `trigger.dev` on npm.",
      "Changes to `packages/` are **customer-facing**. Always add a changeset: `pnpm run changeset:add`",
    ],
    [
      // 0xitsHimanshu/prompt-enhancer: .cursor/rules/40-tooling-monorepo.mdc:6 / .cursor/rules/taskmaster/dev_workflow.mdc:207 (a global CLI)
      "Use Bun for scripts. Common commands are in [package.json](mdc:package.json) and app-level `package.json` files.",
      "Install globally with `npm install -g task-master-ai` or use locally via `npx task-master-ai ...`.",
    ],
    [
      // 0xitsHimanshu/prompt-enhancer: .cursor/rules/00-project-structure.mdc:6 / .cursor/rules/taskmaster/dev_workflow.mdc:207
      "This repository is a Bun + Turborepo monorepo with two Next.js apps: a web client and a server API using tRPC and Prisma.",
      "Install globally with `npm install -g task-master-ai` or use locally via `npx task-master-ai ...`.",
    ],
    [
      // cline/cline: .clinerules/bun-and-node.md:50 / AGENTS.md:32 (two test suites, each with its runner)
      '**`import ... from "mocha"`** → runs under `@vscode/test-cli` in a real VS Code extension host (Node). These exercise the live `vscode` API and cannot run under bun.',
      "**Test/typecheck:** `bun run typecheck`, `bun run test:chat-ui` (Vitest). Both trigger `build:ui` first.",
    ],
  ])("does not take a tool named in passing for a choice: %s / %s", (a, b) => {
    expect(conflicts(a, b)).toEqual([]);
  });

  it.each([
    // mashharuki/Web3AIVibeCodingStarterKit: .kiro/steering/product.md:76 / .kiro/steering/tech.md:365
    ["**フレームワーク**: Next.js (App Router)", "Next.js (Page Router)", "app vs page"],
    // mashharuki/Web3AIVibeCodingStarterKit: .kiro/steering/structure.md:83 / .kiro/steering/tech.md:365
    ["**Next.js**: App Router を使用", "Next.js (Page Router)", "app vs page"],
  ])("finds a real contradiction: %s / %s", (a, b, terms) => {
    expect(conflicts(a, b)).toEqual([expect.stringContaining(`(${terms})`)]);
  });

  it.each([
    ["Use Zod for request validation.", "Use Yup for request validation.", "zod vs yup"],
    ["Install dependencies with `pnpm install`.", "Install dependencies with `npm ci`.", "pnpm vs npm"],
  ])("still finds a value chosen differently: %s / %s", (a, b, terms) => {
    expect(conflicts(a, b)).toEqual([expect.stringContaining(`(${terms})`)]);
  });

  it("does not take a package manager the other file forbids, or a one-off runner, for its choice", () => {
    expect(conflicts("Do not use npm; the lockfile is pnpm's.", "Use yarn workspaces for scripts.")).toEqual([]);
    expect(conflicts("Run `pnpm dlx shadcn add button` to add components.", "Run `npm run build` before pushing.")).toEqual([]);
  });
});
