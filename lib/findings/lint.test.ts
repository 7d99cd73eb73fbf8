import { describe, expect, it } from "vitest";
import { DEFAULT_LINT_CONFIG, LINT_RULE_IDS, LINT_RULES, lintConfigSchema, lintFile, type LintConfigInput, type LintInput, type LintRuleId } from "./lint";

/** A trimmed copy of the demo's checkout spec at version 3 (lib/demo/demo-repos.ts). */
const CHECKOUT_SPEC = `---
id: 001-checkout
title: Checkout
status: draft
---

# Feature Specification: Checkout

**Feature Branch**: \`001-checkout\`
**Created**: 2026-06-02

## Summary

Customers pay for the contents of their cart in one step.

## Requirements

### FR-001: Create a checkout session

The checkout service MUST create a checkout session from a cart.

**Acceptance criteria**

- WHEN a customer starts checkout with a non-empty cart THE checkout service SHALL create a session that expires after 30 minutes.
- IF the cart is empty THEN THE checkout service SHALL reject the request with \`422 cart_empty\`.

### FR-003: Declined cards

The checkout service MUST tell the customer why a card was declined without leaking
issuer details.

**Acceptance criteria**

- IF the issuer declines the card THEN THE checkout service SHALL return \`402\` with the decline code mapped to a customer-safe message.
- WHEN the card is declined the customer sees an error and can try again with another card.

### FR-006: Currencies

The checkout service MUST charge in the currency of the cart: EUR, GBP or USD.
[NEEDS CLARIFICATION: do we support SEK and NOK at launch, or only after the Nordics tax review?]

**Acceptance criteria**

- WHEN a session is created THE checkout service SHALL store every amount as integer minor units of the cart currency.

### FR-007: Order hand-off

The checkout service MUST publish a \`checkout.completed\` event with the order id, amount
and currency once the authorisation succeeds, so that the orders service can create the
order (see FR-001 and FR-003).

## Success Criteria

- **SC-001**: 95% of checkouts complete in under 2 seconds of server time.
- **SC-002**: Zero double charges per month.
`;

/** The 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string, from = 1): number {
  const index = text.split("\n").findIndex((l, i) => i + 1 >= from && l.includes(needle));
  if (index < 0) throw new Error(`not found: ${needle}`);
  return index + 1;
}

function lint(input: Partial<LintInput> & { text: string }, config: LintConfigInput = {}) {
  return lintFile({ path: "AGENTS.md", kind: "agent", ...input }, lintConfigSchema.parse(config));
}

const ofRule = (issues: ReturnType<typeof lint>, rule: LintRuleId) => issues.filter((i) => i.rule === rule);

function bullets(n: number, make = (i: number) => `Run check number ${i} before you push.`): string {
  return ["# AGENTS.md", "", ...Array.from({ length: n }, (_, i) => `- ${make(i + 1)}`), ""].join("\n");
}

describe("lint configuration", () => {
  it("has defaults for every field", () => {
    const config = lintConfigSchema.parse({});
    expect(config).toEqual(DEFAULT_LINT_CONFIG);
    expect(config.instructionsWarning).toBe(150);
    expect(config.instructionsError).toBe(200);
    expect(config.maxAgentLines).toBe(300);
    expect(config.maxSpecTokens).toBe(4000);
    for (const id of LINT_RULE_IDS) expect(config.rules[id]).toEqual({ enabled: true });
  });

  it("lists every rule once, for the settings page", () => {
    expect(LINT_RULES.map((r) => r.id)).toEqual([...LINT_RULE_IDS]);
    for (const rule of LINT_RULES) {
      expect(rule.appliesTo).toBe(rule.id.startsWith("agent-") ? "agent" : "spec");
      expect(rule.title.length).toBeGreaterThan(0);
    }
  });

  it.each<[string, unknown]>([
    ["an error threshold below the warning threshold", { instructionsWarning: 100, instructionsError: 50 }],
    ["a negative threshold", { maxAgentLines: -1 }],
    ["an unknown severity", { rules: { "agent-too-long": { severity: "fatal" } } }],
    ["a non-boolean enabled flag", { rules: { "agent-too-long": { enabled: "no" } } }],
  ])("rejects %s", (_, config) => {
    expect(lintConfigSchema.safeParse(config).success).toBe(false);
  });
});

describe("agent-instruction-count", () => {
  it("passes a file at the warning threshold", () => {
    expect(ofRule(lint({ text: bullets(150) }), "agent-instruction-count")).toEqual([]);
  });

  it("warns above the warning threshold", () => {
    const [issue] = ofRule(lint({ text: bullets(151) }), "agent-instruction-count");
    expect(issue).toMatchObject({ severity: "warning", line: null, evidence: { count: 151, threshold: 150 } });
    expect(issue.suggestion).toMatch(/skills|nested/);
  });

  it("is an error above the error threshold", () => {
    const [issue] = ofRule(lint({ text: bullets(201) }), "agent-instruction-count");
    expect(issue).toMatchObject({ severity: "error", evidence: { count: 201, threshold: 200 } });
  });

  it("counts only imperative bullets", () => {
    const text = bullets(180, (i) => (i % 2 ? `Run check ${i}.` : `Module ${i} handles billing.`));
    expect(ofRule(lint({ text }), "agent-instruction-count")).toEqual([]);
  });

  it("uses configured thresholds", () => {
    const text = bullets(12);
    expect(ofRule(lint({ text }, { instructionsWarning: 10, instructionsError: 11 }), "agent-instruction-count")[0]).toMatchObject({
      severity: "error",
      evidence: { count: 12, threshold: 11 },
    });
    expect(ofRule(lint({ text }, { instructionsWarning: 10, instructionsError: 20 }), "agent-instruction-count")[0]).toMatchObject({
      severity: "warning",
      evidence: { count: 12, threshold: 10 },
    });
  });

  it("takes a severity override, and can be disabled", () => {
    const text = bullets(201);
    const overridden = lint({ text }, { rules: { "agent-instruction-count": { severity: "info" } } });
    expect(ofRule(overridden, "agent-instruction-count")[0].severity).toBe("info");
    const disabled = lint({ text }, { rules: { "agent-instruction-count": { enabled: false } } });
    expect(ofRule(disabled, "agent-instruction-count")).toEqual([]);
  });
});

describe("agent-too-long", () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `Line ${i + 1} describes the service.`).join("\n") + "\n";

  it("passes 300 lines and warns at 301", () => {
    expect(ofRule(lint({ text: lines(300) }), "agent-too-long")).toEqual([]);
    const [issue] = ofRule(lint({ text: lines(301) }), "agent-too-long");
    expect(issue).toMatchObject({ severity: "warning", line: null, evidence: { lines: 301, limit: 300 } });
    expect(issue.message).toContain("AGENTS.md has 301 lines");
  });

  it("uses the configured limit", () => {
    expect(ofRule(lint({ text: lines(40) }, { maxAgentLines: 30 }), "agent-too-long")).toHaveLength(1);
  });

  it.each([
    // Corpus files loaded only when a task calls for them (false alarms before decision 028).
    "skills/threat-model-analyst/references/orchestrator.md",
    "plugins/plugin-dev/skills/hook-development/SKILL.md",
    "skills/setup-my-iq/assets/templates/AGENTS.md",
    ".clinerules/workflows/pr-review.md",
    "plugins/git-pr-workflows/commands/onboard.md",
    ".github/prompts/review.prompt.md",
  ])("leaves %s alone: it loads on demand", (path) => {
    expect(ofRule(lint({ path, text: lines(600) }), "agent-too-long")).toEqual([]);
  });

  it.each([
    "AGENTS.md",
    "pydantic_ai_slim/pydantic_ai/AGENTS.md",
    ".github/workflows/AGENTS.md",
    "agents/gem-orchestrator.agent.md",
    "instructions/go.instructions.md",
  ])("still flags %s, which loads whenever it applies", (path) => {
    expect(ofRule(lint({ path, text: lines(600) }), "agent-too-long")).toHaveLength(1);
  });
});

describe("agent-task-specific", () => {
  it.each([
    ["- Fix the Pay button by 2026-05-01.", ["2026-05-01"]],
    ["- Release freeze starts May 3.", ["May 3"]],
    ["- Hold merges until 3 June.", ["3 June"]],
    ["- See JIRA-123 before touching checkout.", ["JIRA-123"]],
    ["- ABC-1234 tracks the flaky test.", ["ABC-1234"]],
    ["- Wait for #1234 to merge before touching checkout.", ["#1234"]],
    ["> This week: fix the Safari bug.", ["This week"]],
    ["- Skip the e2e suite this sprint.", ["this sprint"]],
    ["- Deploy today after lunch.", ["today"]],
    ["- Ship the migration tomorrow.", ["tomorrow"]],
    ["- Use the old client for now.", ["for now"]],
    ["- Do not merge until Friday.", ["until Friday"]],
    ["- The retry is temporarily disabled.", ["is temporarily disabled"]],
    ["- Keep the temporary workaround in place.", ["temporary workaround"]],
    // Real lines from the lint corpus (lib/findings/corpus/manifest.json).
    ["  Voice Live is still an in-flight PR (#6642): mention it as coming to Pydantic AI where relevant.", ["#6642"]],
    ["- Rebenchmark after [BlockBuster #61](https://github.com/cbornet/blockbuster/pull/61) is released in a compatible version, and re-enable it.", ["#61"]],
    ["- `py` is available today for the core command templates (via their `scripts:` frontmatter).", ["today"]],
  ])("flags %s", (line, matches) => {
    const text = `# AGENTS.md\n\n${line}\n`;
    const issues = ofRule(lint({ text }), "agent-task-specific");
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "warning", line: 3, evidence: { matches } });
  });

  it.each([
    "- Requirements are numbered FR-001, NFR-002 and SC-003.",
    "- Files are UTF-8; timestamps are ISO-8601.",
    "- Use Node 20 and Safari 17 for manual testing.",
    "- You may use the payments sandbox at any time.",
    "- Ask in #web-platform before adding a dependency.",
    "- Keep the changelog up to date.",
    "- Follow the plan in #1234.",
    // Real lines from the lint corpus, each a false alarm before decision 028.
    "- [Setup](#11-setup) and [Usage](#12-usage) come first; see (#11-setup).",
    "**User provides**: Monday bug item ID (e.g., `MON-1234` or raw ID `5678901234`)",
    '**Scenario**: User says "Fix bug BLLM-009"',
    "1. **Related Issue Number**: Look for patterns like `#123`, `fixes #123`, or `closes #123` in commit messages",
    "1. Write the PR body to a temporary file:",
    "- Stash them temporarily",
    "- Generate temporary credentials and password manager setup guide",
    "`.github/scripts/agentic_workflow_guard.py` statically checks these workflows in CI (see #6766) — a failure here is a real bug:",
    "- **Codex**: `.codex/agents/<plugin>__<agent>.toml` (drop `tools:`, map model alias to the GPT-5.x family)",
    "21. Finding IDs MUST be sequential top-to-bottom: FIND-01, FIND-02, FIND-03... Renumber after sorting",
    "> **LICENSE.txt**: download the Apache 2.0 license text from https://www.apache.org/licenses/LICENSE-2.0.txt and save as `LICENSE.txt`.",
    "a recording can already disagree with what the code sends today.",
    '- Get git info: `git log -1 --format="%ai" HEAD` (commit date — NOT today\'s date)',
  ])("does not flag %s", (line) => {
    expect(ofRule(lint({ text: `# AGENTS.md\n\n${line}\n` }), "agent-task-specific")).toEqual([]);
  });

  it("reports one issue per line, and ignores code blocks and front matter", () => {
    const text = [
      "---", // 1
      "updated: 2026-05-01", // 2
      "---", // 3
      "# AGENTS.md", // 4
      "", // 5
      "> This week: fix TICKET-1234 by 2026-11-30.", // 6
      "", // 7
      "```sh", // 8
      "git log --since=2026-01-01", // 9
      "```", // 10
      "- Run the suite today.", // 11
    ].join("\n");
    const issues = ofRule(lint({ text }), "agent-task-specific");
    expect(issues.map((i) => i.line)).toEqual([6, 11]);
    expect(issues[0].evidence).toEqual({ matches: ["2026-11-30", "This week", "TICKET-1234"] });
  });
});

describe("agent-rotting-paths", () => {
  it.each([
    ["- The retry loop is in `src/checkout/confirm.ts:42`.", "src/checkout/confirm.ts:42"],
    ["- See lib/db/index.ts:17:3 for the client.", "lib/db/index.ts:17:3"],
    ["- See https://github.com/acme/web/blob/main/src/app.tsx#L42-L50.", "#L42-L50"],
    ["- The fixtures live in /home/marcus/acme/fixtures.", "/home/marcus/acme/fixtures."],
    ["- Run `cd /Users/lena/code/payments && pnpm test`.", "/Users/lena/code/payments"],
    ["- Logs are in C:\\Users\\dev\\logs.", "C:\\Users\\dev\\logs."],
  ])("flags %s as info", (line, match) => {
    const issues = ofRule(lint({ text: `# AGENTS.md\n\n${line}\n` }), "agent-rotting-paths");
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "info", line: 3, evidence: { matches: [match] } });
    expect(issues[0].suggestion).toMatch(/module or directory/);
  });

  it.each([
    "- Checkout code lives in `src/checkout/`.",
    "- The dev server listens on localhost:3000 and PostgreSQL on 127.0.0.1:5432.",
    "- Call `GET /api/users/:id` for a profile.",
    "- Docs: https://example.com/home/guide.",
    "- Use ~/.npmrc for your registry token.",
  ])("does not flag %s", (line) => {
    expect(ofRule(lint({ text: `# AGENTS.md\n\n${line}\n` }), "agent-rotting-paths")).toEqual([]);
  });

  it("checks code blocks too, since a command with a home directory rots the same way", () => {
    const text = "# AGENTS.md\n\n```sh\ncd /home/ci/app\n```\n";
    expect(ofRule(lint({ text }), "agent-rotting-paths").map((i) => i.line)).toEqual([4]);
  });

  it.each([
    // Real lines from the lint corpus, each a false alarm before decision 028.
    "- Follow this format: https://github.com/anthropics/claude-code/blob/c21d3c10bc8e898b7ac1a2d745bdc9bc4e423afe/package.json#L10-L15",
    "- **Run it (dev host):** `DISPLAY=:1 code --no-sandbox --user-data-dir=/tmp/vscode-userdata --extensionDevelopmentPath=/workspace/apps/vscode`",
    "| Windows, per-user data | `C:\\Users\\<user>\\AppData\\Local\\AcmeApp\\` | `/home/user/...`, `~/.config/...` |",
    "| Windows, per-machine shared data | `C:\\ProgramData\\AcmeApp\\` | `C:\\Users\\<user>\\...` |",
  ])("does not flag %s", (line) => {
    expect(ofRule(lint({ text: `# AGENTS.md\n\n${line}\n` }), "agent-rotting-paths")).toEqual([]);
  });

  it("skips line anchors in example output, also when the block holds an indented fence (superpowers code-reviewer.md)", () => {
    const text = [
      "# Reviewer",
      "",
      "```",
      "Run:",
      "    ```bash",
      "    git diff",
      "    ```",
      "### Strengths",
      "- Clean schema (db.ts:15-42)",
      "```",
      "- See `db.ts:15`.",
    ].join("\n");
    expect(ofRule(lint({ text }), "agent-rotting-paths").map((i) => i.line)).toEqual([11]);
  });
});

describe("agent rules and spec rules stay apart", () => {
  it("does not run agent rules on specs", () => {
    const text = "# Spec\n\nFixed in JIRA-123 this week; see src/a.ts:42.\n";
    expect(lint({ path: "specs/001-x/spec.md", kind: "spec", text })).toEqual([]);
  });

  it("does not run spec rules on agent files", () => {
    const text = "# AGENTS.md\n\n### FR-001: Nothing\n\n### FR-001: Again\n\n- WHEN it rains the app gets wet.\n[NEEDS CLARIFICATION: what?]\n";
    expect(lint({ text })).toEqual([]);
  });

  it("finds nothing in a clean agent file", () => {
    const text = "# AGENTS.md\n\n- Use pnpm.\n- Run `pnpm test` before you push.\n- Keep modules small.\n";
    expect(lint({ text })).toEqual([]);
  });
});

describe("spec-too-many-tokens", () => {
  const big = "# Spec\n\n" + Array.from({ length: 400 }, (_, i) => `- Requirement ${i}: the ledger records entry ${i} for the refund.`).join("\n");

  it("warns on a leaf spec above the limit, with the token count", () => {
    const [issue] = ofRule(lint({ path: "specs/001/spec.md", kind: "spec", text: big }), "spec-too-many-tokens");
    expect(issue).toMatchObject({ severity: "warning", line: null, evidence: { limit: 4000, tokenizer: "o200k_base" } });
    expect(issue.evidence?.tokens).toBeGreaterThan(4000);
  });

  it("skips specs that have children, and small specs", () => {
    expect(ofRule(lint({ path: "specs/001/spec.md", kind: "spec", text: big, leaf: false }), "spec-too-many-tokens")).toEqual([]);
    expect(ofRule(lint({ path: "specs/001/spec.md", kind: "spec", text: CHECKOUT_SPEC }), "spec-too-many-tokens")).toEqual([]);
  });

  it("uses the configured limit, for specs and steering files only", () => {
    for (const kind of ["spec", "steering"] as const) {
      const issues = ofRule(lint({ path: "x.md", kind, text: CHECKOUT_SPEC }, { maxSpecTokens: 100 }), "spec-too-many-tokens");
      expect(issues, kind).toHaveLength(1);
    }
    // Plans and task lists are long by design: dnd-tracker's specs/009-combat-tracker/plan.md (7,550 tokens) and tasks.md
    // (6,884) were reported; none of 54 such findings on public repositories was right.
    for (const kind of ["plan", "tasks", "constitution", "contract"] as const) {
      expect(ofRule(lint({ path: "x.md", kind, text: CHECKOUT_SPEC }, { maxSpecTokens: 100 }), "spec-too-many-tokens"), kind).toEqual([]);
    }
  });
});

describe("spec-requirement-without-criteria", () => {
  it("flags FR-007, which has no acceptance criteria, on its heading line", () => {
    const issues = ofRule(lint({ path: "specs/001-checkout/spec.md", kind: "spec", text: CHECKOUT_SPEC }), "spec-requirement-without-criteria");
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "warning", line: lineOf(CHECKOUT_SPEC, "### FR-007"), evidence: { requirement: "FR-007" } });
    expect(issues[0].line).toBe(46);
    expect(issues[0].suggestion).toContain("SHALL");
  });

  it("reads Kiro requirements, with criteria under a deeper heading", () => {
    const text = [
      "# Requirements Document", // 1
      "", // 2
      "## Requirements", // 3
      "", // 4
      "### Requirement 1", // 5
      "", // 6
      "**User Story:** As a customer, I want to save a card, so that I pay faster.", // 7
      "", // 8
      "#### Acceptance Criteria", // 9
      "", // 10
      "1. WHEN a customer saves a card THEN the wallet service SHALL store the provider token.", // 11
      "", // 12
      "### Requirement 2", // 13
      "", // 14
      "**User Story:** As a customer, I want to delete a saved card.", // 15
      "", // 16
      "## Glossary", // 17
      "", // 18
      "- Acceptance criteria: what done means.", // 19
    ].join("\n");
    const issues = ofRule(lint({ path: ".kiro/specs/wallet/requirements.md", kind: "spec", text }), "spec-requirement-without-criteria");
    expect(issues.map((i) => [i.line, i.evidence?.requirement])).toEqual([[13, "Requirement 2"]]);
  });

  it.each([
    ["EARS lines without a label", "### FR-010: Refunds\n\n- WHEN a refund is approved THE ledger SHALL record a credit.\n"],
    ["Given/When/Then scenarios", "### FR-010: Refunds\n\n1. **Given** a paid order, **When** it is refunded, **Then** a credit is recorded.\n"],
    ["an Acceptance Scenarios heading", "### FR-010: Refunds\n\n#### Acceptance Scenarios\n\n- A credit is recorded.\n"],
  ])("accepts %s", (_, text) => {
    expect(ofRule(lint({ path: "spec.md", kind: "spec", text }), "spec-requirement-without-criteria")).toEqual([]);
  });

  it("does not let the next requirement's criteria count for the one before", () => {
    const text = "### FR-010: A\n\nText.\n\n### FR-011: B\n\n**Acceptance criteria**\n\n- THE ledger SHALL balance.\n";
    const issues = ofRule(lint({ path: "spec.md", kind: "spec", text }), "spec-requirement-without-criteria");
    expect(issues.map((i) => i.line)).toEqual([1]);
  });

  it("only applies to the spec kind", () => {
    expect(ofRule(lint({ path: "plan.md", kind: "plan", text: CHECKOUT_SPEC }), "spec-requirement-without-criteria")).toEqual([]);
  });
});

describe("spec-needs-clarification", () => {
  it("flags the FR-006 marker with its question", () => {
    const issues = ofRule(lint({ path: "spec.md", kind: "spec", text: CHECKOUT_SPEC }), "spec-needs-clarification");
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "warning", line: lineOf(CHECKOUT_SPEC, "[NEEDS CLARIFICATION") });
    expect(issues[0].line).toBe(40);
    expect(issues[0].message).toContain("SEK and NOK");
  });

  it("flags each marker that asks a question, also in plans, but not in code or comments", () => {
    const text = [
      "# Plan", // 1
      "", // 2
      "**Storage**: [NEEDS CLARIFICATION: Postgres or SQLite?] and [NEEDS CLARIFICATION: retention?]", // 3
      "", // 4
      "```md", // 5
      "[NEEDS CLARIFICATION: template example]", // 6
      "```", // 7
      "<!-- Mark unknowns with [NEEDS CLARIFICATION: question] -->", // 8
    ].join("\n");
    const issues = ofRule(lint({ path: "plan.md", kind: "plan", text }), "spec-needs-clarification");
    expect(issues.map((i) => [i.line, i.evidence?.question])).toEqual([
      [3, "Postgres or SQLite?"],
      [3, "retention?"],
    ]);
  });

  it("does not read a bare marker, which talks about markers, as a question (stop 24: 59 of 59 were none)", () => {
    // iius-rcox/ExpenseTrack specs/018-end-user-guide/checklists/requirements.md:41 and dougis-org/dnd-tracker
    // specs/feature-004-dashboard-page/spec.md:121.
    const text =
      "# Checklist\n\n- **PASS**: Zero [NEEDS CLARIFICATION] markers in the specification\n\n## Open Questions / [NEEDS CLARIFICATION]\n\nNone required.\n";
    expect(ofRule(lint({ path: "specs/018/checklists/requirements.md", kind: "spec", text }), "spec-needs-clarification")).toEqual([]);
  });

  it("finds nothing in a settled spec", () => {
    const text = CHECKOUT_SPEC.replace(/\[NEEDS CLARIFICATION[^\]]*\]/, "SEK and NOK follow after the tax review.");
    expect(ofRule(lint({ path: "spec.md", kind: "spec", text }), "spec-needs-clarification")).toEqual([]);
  });

  it("can be promoted to an error", () => {
    const issues = lint({ path: "spec.md", kind: "spec", text: CHECKOUT_SPEC }, { rules: { "spec-needs-clarification": { severity: "error" } } });
    expect(ofRule(issues, "spec-needs-clarification")[0].severity).toBe("error");
  });
});

describe("spec-ears-unparsed", () => {
  it("flags FR-003's criterion without SHALL, on its line", () => {
    const issues = ofRule(lint({ path: "spec.md", kind: "spec", text: CHECKOUT_SPEC }), "spec-ears-unparsed");
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      severity: "warning",
      line: lineOf(CHECKOUT_SPEC, "WHEN the card is declined"),
      evidence: { reason: "no SHALL clause" },
    });
    expect(issues[0].line).toBe(35);
    expect(issues[0].message).toContain("no SHALL clause");
    expect(issues[0].suggestion).toContain("WHEN <trigger> THE <system> SHALL <response>");
  });

  it("does not judge EARS written in another language (inakanou/ArchiTrack's Japanese Kiro requirements: 361 of 361 were well formed)", () => {
    // .kiro/specs/user-authentication/requirements.md:64
    // :64, and :68, whose Latin names outnumber its Japanese letters.
    const text =
      "# Requirements\n\n1. WHEN 管理者が有効なメールアドレスを提供する THEN Authentication Serviceは一意の招待トークンを生成しなければならない\n" +
      "2. IF リクエスト送信者が管理者ロールを持たない THEN Authentication Serviceは403 Forbiddenエラーを返さなければならない\n";
    expect(ofRule(lint({ path: ".kiro/specs/auth/requirements.md", kind: "spec", text }), "spec-ears-unparsed")).toEqual([]);
    // An English criterion without SHALL is still reported.
    const english = "# Requirements\n\n1. WHEN the admin gives an address THEN the service sends an invitation\n";
    expect(ofRule(lint({ path: ".kiro/specs/auth/requirements.md", kind: "spec", text: english }), "spec-ears-unparsed")).toHaveLength(1);
  });

  it("suggests the unwanted-behaviour template for IF without THEN, and reads wrapped items", () => {
    const text = "### FR-002: Timeouts\n\n**Acceptance criteria**\n\n- IF the provider times out THE checkout\n  service SHALL mark the payment pending.\n";
    const [issue] = ofRule(lint({ path: "spec.md", kind: "spec", text }), "spec-ears-unparsed");
    expect(issue).toMatchObject({ line: 5 });
    expect(issue.message).toContain("IF needs THEN");
    expect(issue.suggestion).toContain("IF <condition> THEN THE <system> SHALL <response>");
  });

  it("leaves valid EARS and ordinary prose alone", () => {
    const text = CHECKOUT_SPEC.replace(
      "WHEN the card is declined the customer sees an error and can try again with another card.",
      "WHEN the card is declined THE checkout page SHALL show the reason and offer another card.",
    );
    expect(ofRule(lint({ path: "spec.md", kind: "spec", text }), "spec-ears-unparsed")).toEqual([]);
    const prose = "When in doubt, the payments team decides.\n\n- If a card fails, customers retry.\n";
    expect(ofRule(lint({ path: "spec.md", kind: "spec", text: prose }), "spec-ears-unparsed")).toEqual([]);
  });
});

describe("spec-duplicate-requirement-id", () => {
  it("flags the second definition as an error, with the first line and a free id", () => {
    const text = CHECKOUT_SPEC.replace("### FR-006: Currencies", "### FR-003: Currencies");
    const issues = ofRule(lint({ path: "spec.md", kind: "spec", text }), "spec-duplicate-requirement-id");
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      severity: "error",
      line: 37,
      evidence: { id: "FR-003", firstLine: 27, nextFreeId: "FR-008" },
    });
    expect(issues[0].suggestion).toContain("FR-008");
  });

  it("finds bold definitions of success criteria and non-functional requirements", () => {
    const text = [
      "## Requirements", // 1
      "", // 2
      "- **NFR-001**: p95 latency under 300 ms.", // 3
      "- **NFR-001:** Availability 99.9%.", // 4
      "", // 5
      "## Success Criteria", // 6
      "", // 7
      "- **SC-001**: 95% of checkouts complete in under 2 seconds.", // 8
      "- **SC-002**: Zero double charges.", // 9
      "- **SC-001**: Abandonment falls below 40%.", // 10
    ].join("\n");
    const issues = ofRule(lint({ path: "spec.md", kind: "spec", text }), "spec-duplicate-requirement-id");
    expect(issues.map((i) => [i.line, i.evidence?.id, i.evidence?.firstLine])).toEqual([
      [4, "NFR-001", 3],
      [10, "SC-001", 8],
    ]);
  });

  it("does not treat mentions in running text, or ids in code, as definitions", () => {
    const text = "### FR-001: Sessions\n\nSee FR-001 and **FR-002** below.\n\n```\n### FR-001: example\n```\n\n### FR-002: Payments\n";
    expect(ofRule(lint({ path: "spec.md", kind: "spec", text }), "spec-duplicate-requirement-id")).toEqual([]);
    expect(ofRule(lint({ path: "spec.md", kind: "spec", text: CHECKOUT_SPEC }), "spec-duplicate-requirement-id")).toEqual([]);
  });
});

describe("lintFile", () => {
  it("reports every issue of the demo checkout spec, in line order", () => {
    const issues = lint({ path: "specs/001-checkout/spec.md", kind: "spec", text: CHECKOUT_SPEC });
    expect(issues.map((i) => [i.line, i.rule])).toEqual([
      [35, "spec-ears-unparsed"],
      [40, "spec-needs-clarification"],
      [46, "spec-requirement-without-criteria"],
    ]);
    for (const issue of issues) expect(issue.suggestion.length).toBeGreaterThan(20);
  });

  it("puts whole-file issues first", () => {
    const text = bullets(201) + "\n- Run the suite until Friday.\n";
    const issues = lint({ text });
    expect(issues[0]).toMatchObject({ rule: "agent-instruction-count", line: null });
    expect(issues.at(-1)).toMatchObject({ rule: "agent-task-specific" });
  });
});

describe("inline silencing cannot hide security findings (security review)", () => {
  it("ignores a directive inside a JSON string and never silences a security rule", () => {
    const mcp = JSON.stringify({ mcpServers: { x: { command: "npx", args: ["some-mcp-server"], env: { NOTE: "<!-- specledger-disable -->" } } } });
    expect(lintFile({ path: ".mcp.json", kind: "tool-config", text: mcp }).map((i) => i.rule)).toContain("agent-mcp-unpinned");
    const skill = "---\nname: deploy\ndescription: Deploys.\nallowed-tools: Bash\n---\n<!-- specledger-disable -->\n\nRun it.\n";
    const rules = lintFile({ path: ".claude/skills/deploy/SKILL.md", kind: "skill", text: skill }).map((i) => i.rule);
    expect(rules.filter((r) => r.startsWith("agent-dangerous") || r === "agent-mcp-unpinned")).toEqual(rules.filter((r) => r.startsWith("agent-dangerous")));
  });
});

describe("contract-unparsable", () => {
  const openapi = `openapi: 3.0.3\ninfo:\n  title: Pets\n  version: "1"\npaths: {}\n`;
  const lint = (path: string, text: string) => lintFile({ path, kind: "contract", text });

  it("is an error on a YAML or JSON contract that does not parse, at the line the parser stopped", () => {
    expect(lint("api/openapi.yaml", `${openapi}  bad: [unclosed\n`)).toEqual([
      expect.objectContaining({
        rule: "contract-unparsable",
        severity: "error",
        line: 6,
        message: expect.stringMatching(/^The contract is not valid YAML or JSON \(line 6\)/),
      }),
    ]);
    expect(lint("schemas/pet.schema.json", '{"type": "object", "properties": {')).toEqual([expect.objectContaining({ rule: "contract-unparsable" })]);
    expect(lint("api/openapi.json", "42")).toEqual([
      expect.objectContaining({ rule: "contract-unparsable", message: "The contract is not a YAML or JSON object." }),
    ]);
  });

  it("says nothing of a contract that parses, or of one in a format the classifier does not read (Swagger 2, a plain document)", () => {
    expect(lint("api/openapi.yaml", openapi)).toEqual([]);
    expect(lint("api/openapi.json", JSON.stringify({ swagger: "2.0", paths: {} }))).toEqual([]);
    expect(lint("specs/001-a/contracts/events.yaml", "name: hello\n")).toEqual([]);
  });

  it("is the only rule a YAML or JSON contract gets (no prose rules on data); a Markdown contract keeps the prose rules", () => {
    const big = `${openapi}x-notes: |\n${"  [NEEDS CLARIFICATION: which pets?] words words words words\n".repeat(800)}`;
    expect(lint("api/openapi.yaml", big)).toEqual([]);
    expect(lint("specs/001-a/contracts/api.md", "# API\n\n[NEEDS CLARIFICATION: auth?]\n").map((i) => i.rule)).toEqual(["spec-needs-clarification"]);
  });

  it("can be switched off", () => {
    const off = lintConfigSchema.parse({ rules: { "contract-unparsable": { enabled: false } } });
    expect(lintFile({ path: "api/openapi.yaml", kind: "contract", text: "a: [" }, off)).toEqual([]);
  });
});
