import { describe, expect, it } from "vitest";
import { WEB_APP_AGENTS } from "@/lib/demo/demo-repos";
import { countInstructions, extractInstructions, isImperative, normaliseInstruction, splitSentences } from "./instructions";

/** A hand-counted AGENTS.md: the trailing comments number the 30 instructions. */
const STOREFRONT_AGENTS = `---
description: Always follow these rules (front matter is not an instruction)
---
# AGENTS.md - storefront-api

This file tells coding agents how to work in this repository. The API is a Fastify service in TypeScript.

## Setup

- Use Node 20; the version is pinned in \`.nvmrc\`.
- Install dependencies with \`pnpm install --frozen-lockfile\`.
- Copy \`.env.example\` to \`.env\` and fill in the database URL.
- Start PostgreSQL with \`docker compose up -d db\`.

## Commands

| Command | What it does |
|---|---|
| \`pnpm dev\` | Run the API with reload |
| \`pnpm test\` | Run all tests |

\`\`\`bash
# Run one file in watch mode
pnpm test -- --watch src/orders
\`\`\`

## Code style

- Prefer small pure functions in \`lib/\`; keep I/O at the edges.
- Never use \`any\`; use \`unknown\` and narrow it.
- Name files in kebab-case.
- Export one function per concept.
- Errors are \`AppError\` instances with a code.
- Avoid default exports.
- Format with Prettier; do not hand-format.
- Imports use the \`@/\` alias.

## Testing

- Write a test for every bug fix before the fix itself.
- Run \`pnpm test\` before you push.
- Tests must not depend on each other.
- Use the real database in integration tests, never mocks.
- Keep fixtures next to the tests that use them.
- Snapshot tests are discouraged.
- Check coverage with \`pnpm test --coverage\` when you touch billing code.

## Database

1. Create a migration with \`pnpm db:migrate --name <change>\`.
2. Review the generated SQL.
3. Commit the migration together with the schema change.

The schema lives in \`prisma/schema.prisma\`. Migrations are append-only: never edit one that has been merged.

## Pull requests

- Keep pull requests under 400 changed lines.
- Write the description in the imperative mood
  and link the issue it closes.
- Ask for a review from \`@acme/api\` when you change public endpoints.
- Update \`CHANGELOG.md\` for user-visible changes.
- Squash commits before merging.
- **Security:** Don't log tokens or personal data.
- Please ask before adding a dependency.
- Always run \`pnpm lint\` before committing.

<!-- TODO: deployment notes
- Deploy with \`pnpm deploy\`
-->

## Architecture

- \`src/routes/\` holds route handlers.
- \`src/lib/\` holds domain logic.
- Background jobs run in a separate worker process.

If a task is unclear, ask in the pull request rather than guessing. When in doubt, prefer the existing pattern over a new one.
`;

/** Headings, code, tables and comments only: nothing here is an instruction. */
const ONLY_STRUCTURE = `# CLAUDE.md

## Commands

\`\`\`sh
# Always run these before committing
pnpm lint
pnpm test
\`\`\`

~~~
Never edit generated files.
~~~

| Rule | Why |
| --- | --- |
| Use pnpm | lockfile |
| Never push to main | protected |

<!--
Always ask before deleting anything.
-->

### Run the tests
---
`;

describe("countInstructions", () => {
  it("counts the imperative items and sentences of a realistic AGENTS.md", () => {
    expect(countInstructions(STOREFRONT_AGENTS)).toBe(30);
  });

  it("lists the descriptive items and sentences without counting them", () => {
    const descriptive = extractInstructions(STOREFRONT_AGENTS)
      .filter((i) => !i.imperative)
      .map((i) => i.text);
    expect(descriptive).toEqual([
      "This file tells coding agents how to work in this repository.",
      "The API is a Fastify service in TypeScript.",
      "Errors are `AppError` instances with a code.",
      "Imports use the `@/` alias.",
      "Snapshot tests are discouraged.",
      "The schema lives in `prisma/schema.prisma`.",
      "`src/routes/` holds route handlers.",
      "`src/lib/` holds domain logic.",
      "Background jobs run in a separate worker process.",
    ]);
  });

  it("ignores headings, fenced code, tables, HTML comments and thematic breaks", () => {
    expect(extractInstructions(ONLY_STRUCTURE)).toEqual([]);
    expect(countInstructions(ONLY_STRUCTURE)).toBe(0);
  });

  it("counts each of the 264 generated rules of the demo's bloated file, plus the setup and intro", () => {
    // 22 sections of 12 rules, 2 setup rules, "Read all of it." and "This week: fix ...".
    expect(countInstructions(WEB_APP_AGENTS)).toBe(268);
  });

  it("counts nothing in an empty file or front matter alone", () => {
    expect(countInstructions("")).toBe(0);
    expect(countInstructions("---\ntitle: Always run tests\n---\n")).toBe(0);
  });
});

describe("isImperative", () => {
  it.each([
    ["Run `pnpm test` before every commit.", true],
    ["Please run the linter before pushing.", true],
    ["**Tests:** run `pnpm test` first.", true],
    ["Run tests: `pnpm test`", true],
    ["Don't commit secrets.", true],
    ["Do not edit generated files.", true],
    ["Tests must pass before merging.", true],
    ["Money is always integer minor units.", true],
    ["A migration is required for every schema change.", true],
    ["If the build fails, read the log before retrying.", true],
    ["Squash-merge only.", true],
    ["The API lives in src/api.", false],
    ["Test files live in `tests/`.", false],
    ["Integration tests need Docker: `pnpm test:integration`.", false],
    ["Every mutating endpoint takes an `Idempotency-Key` header.", false],
    ["`src/routes/` holds route handlers.", false],
    ["Conventional commits, e.g. `feat(checkout): ...`.", false],
    ["We use `must` as a variable name in the legacy parser.", false],
  ])("%s -> %s", (text, expected) => {
    expect(isImperative(text)).toBe(expected);
  });
});

describe("extractInstructions", () => {
  it("numbers lines from 1, counting front matter, and joins continuation lines", () => {
    const text = [
      "---", // 1
      "title: Rules", // 2
      "---", // 3
      "# Rules", // 4
      "", // 5
      "- Keep functions small", // 6
      "  and pure.", // 7
      "- Use pnpm.", // 8
      "", // 9
      "First sentence here. Second one", // 10
      "spans two lines. Third starts", // 11
      "on line eleven.", // 12
      "", // 13
      "  1. Run the migrations.", // 14
    ].join("\n");
    expect(extractInstructions(text).map((i) => [i.line, i.text])).toEqual([
      [6, "Keep functions small and pure."],
      [8, "Use pnpm."],
      [10, "First sentence here."],
      [10, "Second one spans two lines."],
      [11, "Third starts on line eleven."],
      [14, "Run the migrations."],
    ]);
  });

  it("keeps an indented paragraph after a blank line with its list item, and ends the item at an unindented one", () => {
    const text = "- Write tests first.\n\n  They document the intent.\n\nThe end is a paragraph.\n";
    expect(extractInstructions(text).map((i) => i.text)).toEqual(["Write tests first. They document the intent.", "The end is a paragraph."]);
  });

  it("reads block quotes and strips task list checkboxes", () => {
    const text = "> Always run the linter.\n\n- [ ] Update the changelog.\n- [x] Bump the version.\n";
    expect(extractInstructions(text)).toEqual([
      { text: "Always run the linter.", line: 1, imperative: true },
      { text: "Update the changelog.", line: 3, imperative: true },
      { text: "Bump the version.", line: 4, imperative: true },
    ]);
  });

  it("drops a setext heading and a table without a leading pipe", () => {
    const text = "Setup\n=====\n\nRule | Value\n--- | ---\nUse | pnpm\n\nRead the README.\n";
    expect(extractInstructions(text).map((i) => i.text)).toEqual(["Read the README."]);
  });
});

describe("splitSentences", () => {
  it("does not split on abbreviations, file names or dots inside inline code", () => {
    expect(splitSentences("Use Vitest, e.g. `pnpm test`. Read `src/app.ts. Not this` first. Done!")).toEqual([
      "Use Vitest, e.g. `pnpm test`.",
      "Read `src/app.ts. Not this` first.",
      "Done!",
    ]);
  });
});

describe("normaliseInstruction", () => {
  it("lower-cases, drops Markdown and punctuation, and keeps digits", () => {
    expect(normaliseInstruction("**Don't** use `npm`; run *pnpm* v9 (see .nvmrc).")).toEqual(["dont", "use", "npm", "run", "pnpm", "v9", "see", "nvmrc"]);
  });
});
