/**
 * Demo data: builds a small, realistic "organisation" of git repositories full of spec
 * files and agent instruction files, with a deterministic history (fixed authors, dates
 * and contents, so commit ids are the same on every machine).
 *
 * Notable fixtures other code and tests rely on (keep them stable):
 * - payments-service: Spec Kit layout; specs/001-checkout/spec.md has 5 versions, governs
 *   src/checkout/** and is stale (code commits after its last change); it has a malformed
 *   EARS criterion (FR-003), a [NEEDS CLARIFICATION] marker (FR-006) and a requirement
 *   without acceptance criteria (FR-007). AGENTS.md and CLAUDE.md disagree (pnpm vs npm,
 *   Vitest vs Jest, minor vs major units). specs/002-refunds is renamed to
 *   specs/002-refund-requests; specs/003-old-wallet/spec.md is added, then deleted.
 * - orders-service: Kiro layout; specs/checkout/spec.md is a near-duplicate of payments'
 *   specs/001-checkout/spec.md; .kiro/steering/structure.md names src/legacy/router.ts,
 *   which was deleted.
 *   Its first import (stage "first-import") ends before the order-history pagination
 *   requirement and the Copilot instructions' second version: the demo seed approves and
 *   deploys version 1 of both, then imports the rest (unreviewed, deployed-stale findings).
 * - web-app: bloated AGENTS.md (> 300 lines, > 200 imperative bullets, a task-specific
 *   line); CLAUDE.md byte-identical to payments-service's; branch `experiment` holds an
 *   unmerged change to specs/010-onboarding/spec.md.
 * - platform-infra: contracts; symlink CLAUDE.md -> AGENTS.md; symlink
 *   docs/specs/shared.md -> ../../../outside/secret.md (outside the repo); binary
 *   docs/specs/logo.md.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface DemoRepo {
  name: string;
  path: string;
  description: string;
}

type FileContent = string | Buffer | { symlink: string } | null; // null deletes the file
interface Step {
  message: string;
  author: AuthorKey;
  files?: Record<string, FileContent>;
  /** `git mv` pairs applied before the files are written. */
  moves?: [string, string][];
  /** Commit on this branch (created from the current main HEAD), then return to main. */
  branch?: string;
}
interface RepoPlan {
  name: string;
  description: string;
  startDay: number;
  endDay: number;
  steps: Step[];
  /**
   * How many steps Specledger's first import of the demo saw; the rest are pushed after the
   * demo's reviews and deployments (so approved versions and deployed builds fall behind).
   * Unset: the first import sees every step.
   */
  firstImportSteps?: number;
}

/** The demo as Specledger first imported it, or as it is now (see RepoPlan.firstImportSteps). */
export type DemoStage = "first-import" | "latest";

const AUTHORS = {
  priya: { name: "Priya Raman", email: "priya.raman@acme.example", tz: "+0530" },
  dana: { name: "Dana Whitfield", email: "dana.whitfield@acme.example", tz: "-0500" },
  marcus: { name: "Marcus Okafor", email: "marcus.okafor@acme.example", tz: "+0100" },
  lena: { name: "Lena Fischer", email: "lena.fischer@acme.example", tz: "+0200" },
  tomas: { name: "Tomás Ortega", email: "tomas.ortega@acme.example", tz: "-0300" },
  kenji: { name: "Kenji Watanabe", email: "kenji.watanabe@acme.example", tz: "+0900" },
} as const;
type AuthorKey = keyof typeof AUTHORS;

/** Day 0 of the history: 2026-05-18 (UTC midnight); plans span days 0..180, i.e. up to mid-November 2026. */
const WINDOW_START = Date.UTC(2026, 4, 18);
const DAY = 86_400_000;

const GIT_CONFIG = [
  "-c",
  "init.defaultBranch=main",
  "-c",
  "commit.gpgsign=false",
  "-c",
  "tag.gpgsign=false",
  "-c",
  "user.name=Specledger Demo",
  "-c",
  "user.email=demo@specledger.invalid",
  "-c",
  "core.autocrlf=false",
  "-c",
  "core.symlinks=true",
  "-c",
  "advice.detachedHead=false",
];

function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0", ...extra };
  for (const k of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_CEILING_DIRECTORIES"]) delete env[k];
  return env;
}

function git(cwd: string, args: string[], extraEnv?: Record<string, string>): string {
  return execFileSync("git", [...GIT_CONFIG, ...args], {
    cwd,
    env: gitEnv(extraEnv),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.trim();
}

/** Is `dir` itself (not a parent) a git repo whose main has the expected number of commits and head subject? */
function isExpectedRepo(dir: string, expectedSubject: string, expectedCommits: number): boolean {
  if (!fs.existsSync(path.join(dir, ".git"))) return false;
  try {
    const top = git(dir, ["rev-parse", "--show-toplevel"]);
    if (fs.realpathSync(top) !== fs.realpathSync(dir)) return false;
    // The count tells an older plan of the demo (a step added before the last) from this one.
    return git(dir, ["log", "-1", "--format=%s", "main"]) === expectedSubject && Number(git(dir, ["rev-list", "--count", "main"])) === expectedCommits;
  } catch {
    return false;
  }
}

/** Writes one step's files (and moves/deletions) into the work tree and commits them. */
function commitStep(dir: string, step: Step, when: number): void {
  for (const [from, to] of step.moves ?? []) {
    fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
    git(dir, ["mv", from, to]);
  }
  for (const [rel, content] of Object.entries(step.files ?? {})) {
    const abs = path.join(dir, rel);
    if (content === null) {
      fs.rmSync(abs, { force: true });
      continue;
    }
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (fs.existsSync(abs) || isSymlink(abs)) fs.rmSync(abs, { force: true });
    if (typeof content === "object" && !Buffer.isBuffer(content)) fs.symlinkSync(content.symlink, abs);
    else fs.writeFileSync(abs, content);
  }
  git(dir, ["add", "-A"]);
  const a = AUTHORS[step.author];
  const date = `${Math.floor(when / 1000)} ${a.tz}`;
  const committed = `${Math.floor(when / 1000) + 300} ${a.tz}`;
  git(dir, ["commit", "-q", "--no-verify", "-m", step.message], {
    GIT_AUTHOR_NAME: a.name,
    GIT_AUTHOR_EMAIL: a.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: a.name,
    GIT_COMMITTER_EMAIL: a.email,
    GIT_COMMITTER_DATE: committed,
  });
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Step i of a plan: evenly spread over the plan's days, moved off weekends, at a
 * deterministic time within the author's local working hours (09:00-17:59).
 */
function commitTime(plan: RepoPlan, i: number, tz: string): number {
  const n = plan.steps.length;
  let day = WINDOW_START + Math.round(plan.startDay + ((plan.endDay - plan.startDay) * i) / Math.max(1, n - 1)) * DAY;
  const weekday = new Date(day).getUTCDay();
  if (weekday === 6) day += 2 * DAY;
  if (weekday === 0) day += DAY;
  const offsetMin = (tz.startsWith("-") ? -1 : 1) * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(3, 5)));
  const localMin = (9 + ((i * 37) % 9)) * 60 + ((i * 53) % 60);
  return day + (localMin - offsetMin) * 60_000;
}

/** The steps a stage of the demo has; commit times still come from the whole plan, so a stage's commits are a prefix of the latest history. */
function stepsAt(plan: RepoPlan, stage: DemoStage): Step[] {
  return stage === "first-import" && plan.firstImportSteps !== undefined ? plan.steps.slice(0, plan.firstImportSteps) : plan.steps;
}

function buildRepo(dir: string, plan: RepoPlan, steps: Step[], onProgress?: (msg: string) => void): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ["init", "-q"]);
  const n = steps.length;
  steps.forEach((step, i) => {
    const when = commitTime(plan, i, AUTHORS[step.author].tz);
    onProgress?.(`${plan.name} [${i + 1}/${n}] ${firstLine(step.message)}`);
    if (step.branch) {
      const exists = git(dir, ["branch", "--list", step.branch]) !== "";
      git(dir, exists ? ["checkout", "-q", step.branch] : ["checkout", "-q", "-b", step.branch]);
      commitStep(dir, step, when);
      git(dir, ["checkout", "-q", "main"]);
    } else {
      commitStep(dir, step, when);
    }
  });
}

export async function buildDemoRepos(opts: { dir: string; stage?: DemoStage; onProgress?: (msg: string) => void }): Promise<DemoRepo[]> {
  const root = path.resolve(opts.dir);
  fs.mkdirSync(root, { recursive: true });
  // The target of platform-infra's escaping symlink: a real file outside every repository,
  // so that an importer that wrongly follows links would be caught reading it.
  fs.mkdirSync(path.join(root, "outside"), { recursive: true });
  fs.writeFileSync(path.join(root, "outside", "secret.md"), "# Not part of any repository\n\nSECRET-DO-NOT-IMPORT: Specledger must never read this file.\n");
  const result: DemoRepo[] = [];
  for (const plan of PLANS()) {
    const dir = path.join(root, plan.name);
    const steps = stepsAt(plan, opts.stage ?? "latest");
    const lastMain = [...steps].reverse().find((s) => !s.branch)!;
    if (isExpectedRepo(dir, firstLine(lastMain.message), steps.filter((s) => !s.branch).length)) {
      opts.onProgress?.(`${plan.name}: up to date, reusing`);
    } else {
      opts.onProgress?.(`${plan.name}: building ${steps.length} commits`);
      buildRepo(dir, plan, steps, opts.onProgress);
    }
    result.push({ name: plan.name, path: dir, description: plan.description });
  }
  return result;
}

// Content ------------------------------------------------------------------------------

const pkg = (name: string, scripts: Record<string, string>, deps: Record<string, string>) =>
  JSON.stringify({ name: `@acme/${name}`, version: "0.1.0", private: true, type: "module", scripts, dependencies: deps }, null, 2) + "\n";

const GITIGNORE = "node_modules/\ndist/\ncoverage/\n.env\n";

function checkoutSpec(v: number): string {
  const s: string[] = [];
  s.push(`---
id: 001-checkout
title: Checkout
status: ${v >= 5 ? "approved" : "draft"}
owner: "@acme/payments"
governs: ["src/checkout/**"]
---

# Feature Specification: Checkout

**Feature Branch**: \`001-checkout\`
**Created**: 2026-06-02
**Status**: ${v >= 5 ? "Approved (reviewed by @acme/payments, 2026-09-14)" : "Draft"}

## Summary

Customers pay for the contents of their cart in one step. The checkout service creates a
checkout session from a cart, collects the card through the payment provider's hosted
fields (card data never touches our servers), authorises the amount and hands a confirmed
order to the orders service.

## User Scenarios & Testing

### User Story 1 - Pay with a card (Priority: P1)

As a signed-in customer, I want to pay for my cart with a card so that my order is placed
without leaving the store.

**Independent test**: create a cart with two items, submit a test card and verify that an
order is created with status \`paid\`.

### User Story 2 - Recover from a declined card (Priority: P1)

As a customer whose card is declined, I want a clear reason and a way to try another card
so that I do not abandon the purchase.
`);
  if (v >= 2)
    s.push(`
### User Story 3 - Strong customer authentication (Priority: P2)

As a customer in the EEA, I want to complete 3-D Secure when my bank asks for it so that
my payment is not rejected.
`);
  if (v >= 4)
    s.push(`
### Edge Cases

- The customer double-clicks "Pay": exactly one authorisation may be made.
- The provider times out after it authorised: the session is reconciled, never charged twice.
- The cart changes in another tab while the payment page is open.
`);
  s.push(`
## Requirements

### FR-001: Create a checkout session

The checkout service MUST create a checkout session from a cart and fix prices, tax and
currency when the session is created.

**Acceptance criteria**

- WHEN a customer starts checkout with a non-empty cart THE checkout service SHALL create a session that expires after 30 minutes.
- IF the cart is empty THEN THE checkout service SHALL reject the request with \`422 cart_empty\`.

### FR-002: Authorise card payments

The checkout service MUST authorise the session total with the payment provider.

**Acceptance criteria**

- WHEN a customer submits a valid card THE checkout service SHALL authorise the session total and return the payment id within ${v >= 4 ? 3 : 5} seconds.
- WHEN the provider does not answer within ${v >= 5 ? 8 : 10} seconds THE checkout service SHALL mark the payment \`pending_reconciliation\` and SHALL NOT retry the authorisation.

### FR-003: Declined cards

The checkout service MUST tell the customer why a card was declined without leaking
issuer details.

**Acceptance criteria**

- IF the issuer declines the card THEN THE checkout service SHALL return \`402\` with the decline code mapped to a customer-safe message.
- WHEN the card is declined the customer sees an error and can try again with another card.

### FR-004: Idempotent confirmation

The checkout service MUST accept an \`Idempotency-Key\` header on confirmation.

**Acceptance criteria**

- WHEN a confirmation repeats an \`Idempotency-Key\` seen in the last 24 hours THE checkout service SHALL return the original response without authorising again.
`);
  if (v >= 2)
    s.push(`
### FR-005: 3-D Secure

The checkout service MUST support the provider's customer authentication challenge.

**Acceptance criteria**

- WHEN the provider requires customer authentication THE checkout service SHALL return \`requires_action\` with the challenge URL.
- IF the challenge is not completed within 10 minutes THEN THE checkout service SHALL cancel the authorisation and expire the session.

### FR-006: Currencies

The checkout service MUST charge in the currency of the cart: EUR, GBP or USD.${
      v >= 3
        ? `
[NEEDS CLARIFICATION: do we support SEK and NOK at launch, or only after the Nordics tax review?]`
        : ""
    }

**Acceptance criteria**

- WHEN a session is created THE checkout service SHALL store every amount as integer minor units of the cart currency.
`);
  if (v >= 3)
    s.push(`
### FR-007: Order hand-off

The checkout service MUST publish a \`checkout.completed\` event with the order id, amount
and currency once the authorisation succeeds, so that the orders service can create the
order.
`);
  s.push(`
## Key Entities

- **CheckoutSession**: cart snapshot, currency, total, status (\`open\`, \`requires_action\`, \`paid\`, \`expired\`), expiry.
- **Payment**: provider payment id, amount in minor units, status, decline code.

## Success Criteria

- **SC-001**: 95% of checkouts complete in under 2 seconds of server time.
- **SC-002**: Zero double charges per month.
`);
  if (v >= 4) s.push(`- **SC-003**: Abandonment after a declined card falls below 40%.\n`);
  return s.join("");
}

/** orders-service's adapted copy of the checkout spec: roughly 85% the same words. */
function ordersCheckoutSpec(): string {
  return checkoutSpec(5)
    .replace("id: 001-checkout", "id: orders-checkout")
    .replace('owner: "@acme/payments"', 'owner: "@acme/orders"')
    .replace('governs: ["src/checkout/**"]', 'governs: ["src/orders/checkout/**"]')
    .replace("**Feature Branch**: `001-checkout`", "**Source**: copied from payments-service `specs/001-checkout/spec.md`")
    .replace("Approved (reviewed by @acme/payments, 2026-09-14)", "Draft (orders team fork)")
    .replace("hands a confirmed\norder to the orders service.", "creates the order in the\norders database in the same request.")
    .replace(/### User Story 3[\s\S]*?rejected\.\n\n/, "")
    .replace("within 3 seconds", "within 4 seconds")
    .replace("within 8 seconds", "within 15 seconds")
    .replace(
      /### FR-007[\s\S]*?order\.\n/,
      `### FR-007: Order creation

The orders service MUST create the order and reserve stock in the same database
transaction as the authorisation result is stored.
`,
    )
    .replace("- **SC-003**: Abandonment after a declined card falls below 40%.\n", "- **SC-003**: Orders appear in the customer's history within 5 seconds.\n");
}

const CONSTITUTION = (v: number) => `# Payments Service Constitution

## Core Principles

### I. Money is integer minor units
Amounts are stored, computed and transported as integers in the currency's minor unit
(cents, pence). Floating point never touches money.

### II. Spec first
Every behaviour change starts as a change to a spec under \`specs/\`, reviewed by
@acme/payments before code is written.

### III. Test-first
Acceptance criteria become tests before implementation. Red, green, refactor.

### IV. Observable by default
Every request logs a correlation id; every provider call records latency and outcome.

### V. Minimal PCI scope
Card data never reaches our servers; we only handle provider tokens.
${
  v >= 2
    ? `
### VI. Idempotency everywhere
Every mutating endpoint requires an \`Idempotency-Key\` and replays the stored response.
`
    : ""
}
## Governance

Amendments need approval from two members of @acme/payments and a migration note.

**Version**: ${v >= 2 ? "1.1.0" : "1.0.0"} | **Ratified**: 2026-05-20 | **Last Amended**: ${v >= 2 ? "2026-10-05" : "2026-05-20"}
`;

const CHECKOUT_PLAN = `# Implementation Plan: Checkout

**Branch**: \`001-checkout\` | **Date**: 2026-06-16 | **Spec**: [spec.md](./spec.md)

## Summary

A Fastify service exposes checkout sessions over REST (see \`contracts/openapi.yaml\`).
Authorisation goes through the provider SDK behind a \`PaymentProvider\` interface so that
tests use a fake. Sessions live in PostgreSQL; idempotency keys in a dedicated table.

## Technical Context

**Language/Version**: TypeScript 5.9 on Node 20
**Primary Dependencies**: Fastify 5, the provider SDK, Zod
**Storage**: PostgreSQL 16
**Testing**: Vitest, with a fake provider
**Performance Goals**: p95 under 2 s of server time per checkout

## Constitution Check

- [x] Money in integer minor units (Principle I)
- [x] Spec reviewed before code (Principle II)
- [x] No card data on our servers (Principle V)

## Project Structure

\`\`\`
src/checkout/
  session.ts    # create and expire sessions
  confirm.ts    # authorise, 3-D Secure, idempotency
\`\`\`
`;

const CHECKOUT_TASKS = (done: boolean) => `# Tasks: Checkout

**Input**: design documents from \`specs/001-checkout/\`

## Phase 1: Setup

- [x] T001 Create the \`src/checkout\` module and wire it into the server
- [x] T002 [P] Add the fake payment provider for tests

## Phase 2: User Story 1 - Pay with a card (P1)

- [${done ? "x" : " "}] T003 [US1] Create checkout sessions (FR-001) in src/checkout/session.ts
- [${done ? "x" : " "}] T004 [US1] Authorise and confirm (FR-002, FR-004) in src/checkout/confirm.ts

## Phase 3: User Story 2 - Declined cards (P1)

- [ ] T005 [US2] Map decline codes to customer-safe messages (FR-003)

## Phase 4: User Story 3 - 3-D Secure (P2)

- [ ] T006 [US3] Return \`requires_action\` and expire abandoned challenges (FR-005)
`;

const CHECKOUT_OPENAPI = `openapi: 3.1.0
info: { title: Checkout API, version: 1.0.0 }
paths:
  /v1/checkout/sessions:
    post:
      operationId: createCheckoutSession
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [cartId], properties: { cartId: { type: string } } }
      responses: { "201": { description: Session created }, "422": { description: Cart is empty } }
  /v1/checkout/sessions/{id}/confirm:
    post:
      operationId: confirmCheckoutSession
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
        - { name: Idempotency-Key, in: header, required: true, schema: { type: string } }
      responses: { "200": { description: Payment authorised }, "402": { description: Card declined } }
`;

const refundsSpec = (title: string) => `# Feature Specification: ${title}

**Feature Branch**: \`002-refunds\`
**Created**: 2026-07-20
**Status**: Draft

## User Scenarios & Testing

### User Story 1 - Refund a paid order (Priority: P1)

As a support agent, I want to refund all or part of a paid order so that the customer gets
their money back without an engineer's help.

## Requirements

### FR-001: Full and partial refunds

**Acceptance criteria**

- WHEN a support agent requests a refund up to the captured amount THE refunds service SHALL create a refund and return its id.
- IF the requested amount exceeds the amount still refundable THEN THE refunds service SHALL reject the request with \`422 refund_exceeds_capture\`.

### FR-002: Ledger entries

**Acceptance criteria**

- WHEN a refund succeeds THE refunds service SHALL write balanced debit and credit entries to the ledger.
`;

const REFUNDS_PLAN = `# Implementation Plan: Refunds

**Spec**: [spec.md](./spec.md)

## Summary

Refunds call the provider's refund API and record the result in the ledger service
(\`services/ledger\`). Partial refunds are tracked per payment.

## Technical Context

**Language/Version**: TypeScript 5.9 on Node 20
**Storage**: PostgreSQL 16 (\`refunds\` table)
`;

const REFUNDS_TASKS = `# Tasks: Refunds

- [ ] T001 [US1] Add the refunds endpoint in src/refunds/refund.ts
- [ ] T002 [US1] Write ledger entries through services/ledger
- [ ] T003 [P] Contract tests for \`422 refund_exceeds_capture\`
`;

const OLD_WALLET_SPEC = `# Feature Specification: Stored Wallet

**Status**: Draft

Customers keep a balance with us and pay from it at checkout.

## Requirements

### FR-001: Top up

- WHEN a customer tops up THE wallet service SHALL credit the balance after the payment settles.

> Parked: legal review says a stored balance needs an e-money licence.
`;

/** Exported as a fixture: the competing-instructions tests compare it with claudeMd(2). */
export const PAYMENTS_AGENTS = `# AGENTS.md - payments-service

## Setup

- Use pnpm (v9). Do not commit \`package-lock.json\`.
- Install with \`pnpm install --frozen-lockfile\`.

## Tests

- Run \`pnpm test\` before every commit; it runs Vitest.
- Integration tests need Docker: \`pnpm test:integration\`.

## Code style

- TypeScript strict mode; never use \`any\`.
- Money is always integer minor units (\`amountMinor\`), never floats or decimals.
- Every mutating endpoint takes an \`Idempotency-Key\` header.

## Specs

- Specs live in \`specs/NNN-feature/\`. Read the feature's \`spec.md\` and \`plan.md\` before changing code under \`src/\`.
- Never change a spec and the code it governs in the same pull request.

## Pull requests

- Conventional commits, e.g. \`feat(checkout): ...\`.
- Squash-merge only.
`;

export const claudeMd = (v: number) => `# CLAUDE.md

Guidance for Claude Code when working in this repository.

## Commands

- Use npm. Install dependencies with \`npm ci\`.
- Run unit tests with \`npm run test:unit\` (Jest).
- Lint with \`npm run lint\`.

## Conventions

- TypeScript with strict mode on.
- API responses show amounts as decimals in major units (\`"amount": "12.50"\`).
- Keep pull requests small; merge commits are fine.
- Small spec fixes may ship in the same pull request as the code they describe.
${
  v >= 2
    ? `
## Before you finish

- Re-read the spec under \`specs/\` that your change touches and list any requirement you did not implement.
- Never commit secrets or \`.env\` files.
`
    : ""
}`;

const LEDGER_AGENTS = `# AGENTS.md - services/ledger

These instructions apply to the ledger service and take precedence over the root AGENTS.md.

- The ledger is append-only: never write UPDATE or DELETE statements against \`ledger_entries\`.
- Every transaction is double-entry: debits equal credits.
- Run \`pnpm --filter @acme/ledger test\` for this package only.
`;

const PAYMENTS_CODEOWNERS = `# Default owners
* @acme/platform

# Specs are owned by the payments team
specs/ @acme/payments
specs/002-refunds/ @acme/payments @dana
specs/002-refund-requests/ @acme/payments @dana

# Agent instructions affect every change
AGENTS.md @acme/platform
CLAUDE.md @acme/platform
services/ledger/ @acme/ledger
`;

const ts = (body: string) => `// Copyright Acme Inc.\n${body}`;

function paymentsPlan(): RepoPlan {
  return {
    name: "payments-service",
    startDay: 0,
    endDay: 180,
    description: "Checkout, refunds and the ledger. Spec Kit layout, CODEOWNERS, AGENTS.md and CLAUDE.md that disagree.",
    steps: [
      {
        author: "priya",
        message: "Initial commit: payments service skeleton",
        files: {
          "README.md": "# payments-service\n\nCheckout, refunds and the ledger for Acme's storefront.\n",
          "package.json": pkg("payments-service", { test: "vitest run", "test:unit": "vitest run", lint: "eslint ." }, { fastify: "^5.2.0", zod: "^4.0.0" }),
          ".gitignore": GITIGNORE,
          "src/index.ts": ts(`import Fastify from "fastify";\n\nexport const app = Fastify({ logger: true });\n`),
        },
      },
      { author: "priya", message: "Add project constitution", files: { ".specify/memory/constitution.md": CONSTITUTION(1) } },
      { author: "dana", message: "Add CODEOWNERS", files: { ".github/CODEOWNERS": PAYMENTS_CODEOWNERS } },
      { author: "marcus", message: "spec(001-checkout): first draft of the checkout spec", files: { "specs/001-checkout/spec.md": checkoutSpec(1) } },
      { author: "marcus", message: "Add AGENTS.md with setup and test instructions", files: { "AGENTS.md": PAYMENTS_AGENTS } },
      { author: "priya", message: "spec(001-checkout): add 3-D Secure and currency requirements", files: { "specs/001-checkout/spec.md": checkoutSpec(2) } },
      {
        author: "marcus",
        message: "plan(001-checkout): implementation plan and OpenAPI contract",
        files: {
          "specs/001-checkout/plan.md": CHECKOUT_PLAN,
          "specs/001-checkout/contracts/openapi.yaml": CHECKOUT_OPENAPI,
        },
      },
      { author: "lena", message: "Add CLAUDE.md for Claude Code users", files: { "CLAUDE.md": claudeMd(1) } },
      { author: "marcus", message: "tasks(001-checkout): break the plan into tasks", files: { "specs/001-checkout/tasks.md": CHECKOUT_TASKS(false) } },
      {
        author: "lena",
        message: "feat(checkout): create checkout sessions",
        files: {
          "src/checkout/session.ts": ts(
            `export interface CheckoutSession { id: string; cartId: string; currency: "EUR" | "GBP" | "USD"; totalMinor: number; expiresAt: Date }\n\nconst SESSION_TTL_MS = 30 * 60 * 1000;\n\nexport function createSession(cartId: string, currency: CheckoutSession["currency"], totalMinor: number): CheckoutSession {\n  if (totalMinor <= 0) throw Object.assign(new Error("cart_empty"), { statusCode: 422 });\n  return { id: crypto.randomUUID(), cartId, currency, totalMinor, expiresAt: new Date(Date.now() + SESSION_TTL_MS) };\n}\n`,
          ),
        },
      },
      { author: "dana", message: "spec(003-old-wallet): draft stored-wallet spec", files: { "specs/003-old-wallet/spec.md": OLD_WALLET_SPEC } },
      {
        author: "priya",
        message: "spec(001-checkout): clarify currencies, add order hand-off event",
        files: { "specs/001-checkout/spec.md": checkoutSpec(3) },
      },
      {
        author: "dana",
        message: "spec(002-refunds): refunds spec, plan and tasks",
        files: {
          "specs/002-refunds/spec.md": refundsSpec("Refunds"),
          "specs/002-refunds/plan.md": REFUNDS_PLAN,
          "specs/002-refunds/tasks.md": REFUNDS_TASKS,
        },
      },
      {
        author: "priya",
        message: "spec(001-checkout): address review comments (edge cases, SC-003)",
        files: { "specs/001-checkout/spec.md": checkoutSpec(4) },
      },
      {
        author: "lena",
        message: "feat(checkout): confirm endpoint with idempotency keys",
        files: {
          "src/checkout/confirm.ts": ts(
            `import type { CheckoutSession } from "./session.js";\n\nconst seen = new Map<string, unknown>();\n\nexport async function confirm(session: CheckoutSession, idempotencyKey: string, authorise: (s: CheckoutSession) => Promise<unknown>) {\n  if (seen.has(idempotencyKey)) return seen.get(idempotencyKey);\n  const result = await authorise(session);\n  seen.set(idempotencyKey, result);\n  return result;\n}\n`,
          ),
          "specs/001-checkout/tasks.md": CHECKOUT_TASKS(true),
        },
      },
      {
        author: "kenji",
        message: "services/ledger: add the ledger package and its AGENTS.md",
        files: {
          "services/ledger/AGENTS.md": LEDGER_AGENTS,
          "services/ledger/package.json": pkg("ledger", { test: "vitest run" }, {}),
          "services/ledger/src/ledger.ts": ts(
            `export interface Entry { account: string; debitMinor: number; creditMinor: number }\n\nexport function assertBalanced(entries: Entry[]): void {\n  const d = entries.reduce((s, e) => s + e.debitMinor, 0);\n  const c = entries.reduce((s, e) => s + e.creditMinor, 0);\n  if (d !== c) throw new Error(\`unbalanced transaction: \${d} != \${c}\`);\n}\n`,
          ),
        },
      },
      { author: "priya", message: "spec(001-checkout): tighten provider timeout, mark approved", files: { "specs/001-checkout/spec.md": checkoutSpec(5) } },
      {
        author: "dana",
        message: "Remove abandoned stored-wallet spec\n\nLegal says a stored balance needs an e-money licence; superseded by checkout.",
        files: { "specs/003-old-wallet/spec.md": null },
      },
      {
        author: "dana",
        message: "Rename specs/002-refunds to specs/002-refund-requests",
        moves: [["specs/002-refunds", "specs/002-refund-requests"]],
        files: {
          "specs/002-refund-requests/spec.md": refundsSpec("Refund requests"),
        },
      },
      {
        author: "marcus",
        message: "Amend constitution: idempotency keys on every mutating endpoint",
        files: { ".specify/memory/constitution.md": CONSTITUTION(2) },
      },
      {
        author: "lena",
        message: "feat(checkout): retry provider timeouts with backoff",
        files: {
          "src/checkout/retry.ts": ts(
            `export async function withBackoff<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {\n  let last: unknown;\n  for (let i = 0; i < attempts; i++) {\n    try { return await fn(); } catch (e) { last = e; await new Promise((r) => setTimeout(r, 200 * 2 ** i)); }\n  }\n  throw last;\n}\n`,
          ),
        },
      },
      { author: "tomas", message: "docs(CLAUDE.md): add a before-you-finish checklist", files: { "CLAUDE.md": claudeMd(2) } },
      {
        author: "lena",
        message: "fix(checkout): round tax per line item, not per cart",
        files: {
          "src/checkout/tax.ts": ts(
            `export function lineTaxMinor(priceMinor: number, quantity: number, rateBasisPoints: number): number {\n  return Math.round((priceMinor * quantity * rateBasisPoints) / 10_000);\n}\n`,
          ),
          "src/refunds/refund.ts": ts(`export interface RefundRequest { paymentId: string; amountMinor: number }\n`),
        },
      },
    ],
  };
}

const orderRequirements = (v: number) => `# Requirements Document

## Introduction

Order history lets signed-in customers see what they bought, track shipments and start a
return without contacting support.

## Requirements

### Requirement 1

**User Story:** As a customer, I want to see a list of my past orders, so that I can track what I bought.

#### Acceptance Criteria

1. WHEN a signed-in customer opens "My orders" THEN the system SHALL list their orders newest first.
2. WHEN an order has more than one shipment THEN the system SHALL show the status of each shipment.
3. IF the customer has no orders THEN the system SHALL show an empty state with a link to the catalogue.

### Requirement 2

**User Story:** As a customer, I want to open one order, so that I can see its items, totals and invoice.

#### Acceptance Criteria

1. WHEN a customer opens an order THEN the system SHALL show items, quantities, prices and the invoice link.
2. IF the order belongs to another customer THEN the system SHALL respond with 404.
${
  v >= 2
    ? `
### Requirement 3

**User Story:** As a customer with many orders, I want the list to load quickly, so that I do not wait.

#### Acceptance Criteria

1. WHEN a customer has more than 20 orders THEN the system SHALL return them in pages of 20 with an opaque cursor.
2. WHEN the next page is requested with a valid cursor THEN the system SHALL return the following page within 300 ms at p95.
`
    : ""
}`;

const ORDER_DESIGN = `# Design Document: Order History

## Overview

A read-only endpoint over the orders database, served by \`src/orders/history.ts\`.

## Architecture

The web app calls \`GET /v1/customers/{customerId}/orders\`; the handler reads from the
\`orders\` and \`shipments\` tables through a read replica.

## Components and Interfaces

- \`listOrders(customerId, cursor?)\` returns \`{ orders, nextCursor }\`.
- \`getOrder(customerId, orderId)\` returns the order or \`null\`.

## Data Models

- **Order**: id, customerId, placedAt, totalMinor, currency, status.
- **Shipment**: id, orderId, carrier, trackingNumber, status.

## Error Handling

Orders of other customers are reported as 404, never 403, so ids cannot be probed.

## Testing Strategy

Unit tests with an in-memory repository; one contract test against the OpenAPI document.
`;

const orderTasks = (done: boolean) => `# Implementation Plan

- [x] 1. Set up the orders module and repository interface
  - Create \`src/orders/history.ts\` with the handler skeleton
  - _Requirements: 1.1_
- [${done ? "x" : " "}] 2. Implement the order list
  - [${done ? "x" : " "}] 2.1 Query orders newest first with shipments
  - [${done ? "x" : " "}] 2.2 Empty state response
  - _Requirements: 1.1, 1.2, 1.3_
- [ ] 3. Implement order detail with ownership check
  - _Requirements: 2.1, 2.2_
- [ ] 4. Cursor pagination
  - _Requirements: 3.1, 3.2_
`;

const STEERING_PRODUCT = `# Product

Acme sells furniture online in the EU, the UK and the US. The orders service owns orders,
shipments and returns from the moment checkout succeeds until the goods are delivered.
Customers care most about knowing where their order is.
`;

const STEERING_TECH = `# Tech Stack

- TypeScript on Node 20, Fastify 5, PostgreSQL 16 via Kysely.
- Tests: Vitest. Run \`npm test\`.
- Events: consumes \`checkout.completed\` from payments-service.
- No ORMs with lazy loading; write explicit queries.
`;

const STEERING_STRUCTURE = `# Project Structure

- \`src/orders/\` - order history and order detail handlers.
- \`src/orders/checkout/\` - the orders side of checkout (order creation).
- \`src/legacy/router.ts\` - the old Express router; new routes must not be added there.
- \`specs/\` and \`.kiro/specs/\` - feature specs. Read them before changing behaviour.
`;

const ORDERS_COPILOT = `# Copilot instructions for orders-service

- This is a Fastify service in TypeScript; see \`.kiro/steering/tech.md\` for the stack.
- Handlers live in \`src/orders/\`; keep SQL in the repository functions.
- Return 404 for orders that belong to another customer.
- Use \`npm test\` to run the tests; add a test for every bug fix.
- Money is integer minor units (\`totalMinor\`).
`;

// Pushed after the first import, when version 1 had been approved: the unreviewed change.
const ORDERS_COPILOT_PAGINATION = `${ORDERS_COPILOT}- List endpoints paginate with an opaque cursor, never with page numbers or offsets.
`;

const ORDERS_CURSOR_TESTING = `---
description: Testing conventions for orders-service
globs: "**/*.test.ts"
alwaysApply: false
---

# Testing

- Use Vitest with \`describe\`/\`it\`; one behaviour per test.
- Use the in-memory repository, never a real database, in unit tests.
- Name tests after the requirement they cover, e.g. \`it("1.3 shows the empty state")\`.
`;

function ordersPlan(): RepoPlan {
  return {
    name: "orders-service",
    startDay: 10,
    endDay: 177,
    // The first import ends before the pagination requirement: version 1 of the requirements
    // and of the Copilot instructions get approved and deployed, then both change.
    firstImportSteps: 10,
    description: "Orders and order history. Kiro layout with steering docs, a forked copy of the checkout spec, Copilot and Cursor rules.",
    steps: [
      {
        author: "kenji",
        message: "Initial commit",
        files: {
          "README.md": "# orders-service\n\nOrders, shipments and order history.\n",
          "package.json": pkg("orders-service", { test: "vitest run" }, { fastify: "^5.2.0", kysely: "^0.28.0" }),
          ".gitignore": GITIGNORE,
          "src/index.ts": ts(`import Fastify from "fastify";\n\nexport const app = Fastify();\n`),
          "src/legacy/router.ts": ts(`// Old Express-style router kept while routes move to Fastify.\nexport const routes = ["/orders", "/orders/:id"];\n`),
        },
      },
      {
        author: "kenji",
        message: "Add Kiro steering docs",
        files: {
          ".kiro/steering/product.md": STEERING_PRODUCT,
          ".kiro/steering/tech.md": STEERING_TECH,
          ".kiro/steering/structure.md": STEERING_STRUCTURE,
        },
      },
      {
        author: "tomas",
        message: "Add CODEOWNERS",
        files: { CODEOWNERS: "* @acme/orders\n.kiro/ @acme/orders @tomas-ortega\nspecs/checkout/ @acme/orders @acme/payments\n.github/ @acme/platform\n" },
      },
      { author: "tomas", message: "kiro(order-history): requirements", files: { ".kiro/specs/order-history/requirements.md": orderRequirements(1) } },
      { author: "kenji", message: "kiro(order-history): design", files: { ".kiro/specs/order-history/design.md": ORDER_DESIGN } },
      { author: "tomas", message: "kiro(order-history): implementation tasks", files: { ".kiro/specs/order-history/tasks.md": orderTasks(false) } },
      { author: "lena", message: "Add Copilot instructions", files: { ".github/copilot-instructions.md": ORDERS_COPILOT } },
      {
        author: "kenji",
        message: "feat(orders): order history endpoint",
        files: {
          "src/orders/history.ts": ts(
            `export interface OrderSummary { id: string; placedAt: string; totalMinor: number; currency: string }\n\nexport async function listOrders(repo: { byCustomer(id: string): Promise<OrderSummary[]> }, customerId: string) {\n  const orders = await repo.byCustomer(customerId);\n  return orders.sort((a, b) => b.placedAt.localeCompare(a.placedAt));\n}\n`,
          ),
        },
      },
      {
        author: "marcus",
        message: "Copy the checkout spec from payments-service for order creation",
        files: {
          "specs/checkout/spec.md": ordersCheckoutSpec(),
          "src/orders/checkout/create-order.ts": ts(
            `export async function createOrder(event: { orderId: string; amountMinor: number; currency: string }) {\n  return { id: event.orderId, status: "paid" as const };\n}\n`,
          ),
        },
      },
      { author: "lena", message: "Add Cursor rule for tests", files: { ".cursor/rules/testing.mdc": ORDERS_CURSOR_TESTING } },
      {
        author: "tomas",
        message: "kiro(order-history): add pagination requirement",
        files: { ".kiro/specs/order-history/requirements.md": orderRequirements(2) },
      },
      { author: "kenji", message: "Copilot: paginate with cursors", files: { ".github/copilot-instructions.md": ORDERS_COPILOT_PAGINATION } },
      { author: "kenji", message: "Remove the legacy router", files: { "src/legacy/router.ts": null } },
      { author: "tomas", message: "kiro(order-history): mark list tasks done", files: { ".kiro/specs/order-history/tasks.md": orderTasks(true) } },
    ],
  };
}

const BLOAT_TOPICS: [string, string][] = [
  ["Components", "components"],
  ["Hooks", "custom hooks"],
  ["State management", "stores"],
  ["Data fetching", "data fetching code"],
  ["Forms", "forms"],
  ["Styling", "styles"],
  ["Accessibility", "interactive elements"],
  ["Routing", "routes"],
  ["Testing", "tests"],
  ["Performance", "hot paths"],
  ["Internationalisation", "translated strings"],
  ["Error handling", "error boundaries"],
  ["Logging and analytics", "analytics events"],
  ["Security", "authentication flows"],
  ["Feature flags", "feature flags"],
  ["Dependencies", "third-party packages"],
  ["Git workflow", "branches"],
  ["Code review", "pull requests"],
  ["Documentation", "public modules"],
  ["Release", "release notes"],
  ["Monitoring", "client-side metrics"],
  ["Continuous integration", "CI workflows"],
];

const BLOAT_RULES: ((s: string) => string)[] = [
  (s) => `Always keep ${s} small and focused on a single responsibility.`,
  (s) => `Never copy ${s} between packages; extract a shared module instead.`,
  (s) => `Use the existing helpers for ${s} before writing new ones.`,
  (s) => `Always add or update tests when you change ${s}.`,
  (s) => `Never disable lint rules in ${s} without a comment explaining why.`,
  (s) => `Prefer explicit types over \`any\` in ${s}.`,
  (s) => `Do not add new dependencies for ${s} without asking in #web-platform.`,
  (s) => `Always update the Storybook page when ${s} change behaviour.`,
  (s) => `Make sure ${s} work with keyboard navigation and screen readers.`,
  (s) => `Never log personal data from ${s}.`,
  (s) => `Use named exports for ${s}; avoid default exports.`,
  (s) => `Always run \`pnpm lint\` and \`pnpm test\` before committing changes to ${s}.`,
];

/** web-app's AGENTS.md after `topics` sections of accumulated rules. */
function bloatedAgents(topics: number): string {
  const out = ["# AGENTS.md - web-app", "", "Instructions for every coding agent working on the storefront web app. Read all of it.", ""];
  if (topics >= BLOAT_TOPICS.length) out.push("> This week: fix TICKET-1234 by 2026-11-30 (the Pay button flickers on Safari 17).", "");
  out.push("## Setup", "", "- Use pnpm. Run `pnpm install` once, then `pnpm dev`.", "- Use Node 20 (see `.nvmrc`).", "");
  for (const [title, subject] of BLOAT_TOPICS.slice(0, topics)) {
    out.push(`## ${title}`, "");
    for (const rule of BLOAT_RULES) out.push(`- ${rule(subject)}`);
    out.push("");
  }
  return out.join("\n");
}

/** web-app's AGENTS.md as the demo leaves it: bloated (the lint tests count its instructions). */
export const WEB_APP_AGENTS = bloatedAgents(BLOAT_TOPICS.length);

const ONBOARDING_SPEC = (v: number, experiment = false) => `# Feature Specification: Onboarding

**Feature Branch**: \`010-onboarding\`
**Status**: Draft

## Summary

New customers see a short ${experiment ? "single-page" : "three-step"} welcome flow that asks for their country, style
preferences and newsletter consent, then lands them on a personalised home page.

## User Scenarios & Testing

### User Story 1 - First visit (Priority: P1)

As a first-time visitor, I want a quick welcome so that the store shows me relevant furniture.

## Requirements

### FR-001: Welcome flow

**Acceptance criteria**

- WHEN a visitor signs up THE web app SHALL show the welcome flow ${experiment ? "on a single page" : "in three steps"}.
- IF the visitor closes the flow THEN THE web app SHALL not show it again for 30 days.
${
  v >= 2
    ? `
### FR-002: Skip

**Acceptance criteria**

- WHEN a visitor selects "Skip" THE web app SHALL land them on the default home page and record \`onboarding_skipped\`.
`
    : ""
}`;

const DESIGN_SYSTEM = `# Design System

## Principles

- One spacing scale: 4, 8, 12, 16, 24, 32, 48 px.
- Colour comes from tokens only; no hex values in components.
- Every interactive component has visible focus and a 44 px minimum touch target.

## Components

| Component | Status | Notes |
|---|---|---|
| Button | stable | primary, secondary, ghost |
| Dialog | stable | traps focus, closes on Escape |
| Toast | beta | announces through an ARIA live region |
`;

const WEB_GEMINI = `# GEMINI.md

You are working on Acme's storefront, a Next.js app in TypeScript.

- Use pnpm; run \`pnpm test\` (Vitest) and \`pnpm lint\`.
- Components live in \`src/components\`; pages in \`src/app\`.
- Follow \`docs/specs/design-system.md\` for spacing, colour and focus.
`;

const WEB_REACT_INSTRUCTIONS = `---
applyTo: "src/**/*.tsx"
---

# React conventions

- Function components and hooks only; no class components.
- Keep server components the default; add \`"use client"\` only when state or effects are needed.
- Co-locate a component's test as \`Component.test.tsx\`.
`;

const WEB_CURSORRULES = `You are an expert in TypeScript, React and Next.js.
- Use functional components and TypeScript interfaces.
- Use Tailwind classes from the design tokens; no inline styles.
- Prefer server components; minimise "use client".
`;

function webPlan(): RepoPlan {
  return {
    name: "web-app",
    startDay: 20,
    endDay: 179,
    description:
      "The storefront web app. A bloated AGENTS.md, CLAUDE.md copied from payments-service, GEMINI.md, Copilot and Cursor rules, an unmerged experiment branch.",
    steps: [
      {
        author: "lena",
        message: "Initial commit: Next.js storefront",
        files: {
          "README.md": "# web-app\n\nAcme's storefront.\n",
          "package.json": pkg("web-app", { dev: "next dev", test: "vitest run", lint: "next lint" }, { next: "^16.0.0", react: "^19.0.0" }),
          ".gitignore": GITIGNORE + ".next/\n",
          ".nvmrc": "20\n",
          "src/app/page.tsx": ts(`export default function Home() {\n  return <main>Welcome to Acme</main>;\n}\n`),
          "src/components/Button.tsx": ts(
            `export function Button(props: { children: React.ReactNode; onClick?: () => void }) {\n  return <button className="btn" onClick={props.onClick}>{props.children}</button>;\n}\n`,
          ),
        },
      },
      { author: "lena", message: "Add AGENTS.md", files: { "AGENTS.md": bloatedAgents(3) } },
      { author: "priya", message: "docs: design system spec", files: { "docs/specs/design-system.md": DESIGN_SYSTEM } },
      { author: "tomas", message: "Add .cursorrules", files: { ".cursorrules": WEB_CURSORRULES } },
      { author: "lena", message: "AGENTS.md: conventions for forms, data fetching and testing", files: { "AGENTS.md": bloatedAgents(9) } },
      { author: "tomas", message: "spec(010-onboarding): welcome flow", files: { "specs/010-onboarding/spec.md": ONBOARDING_SPEC(1) } },
      { author: "kenji", message: "Add GEMINI.md", files: { "GEMINI.md": WEB_GEMINI } },
      { author: "priya", message: "Add React instructions for Copilot", files: { ".github/instructions/react.instructions.md": WEB_REACT_INSTRUCTIONS } },
      {
        author: "lena",
        message: "feat(onboarding): welcome steps",
        files: {
          "src/onboarding/Welcome.tsx": ts(
            `export function Welcome({ step }: { step: 1 | 2 | 3 }) {\n  return <section aria-label="Welcome">Step {step} of 3</section>;\n}\n`,
          ),
        },
      },
      {
        author: "tomas",
        branch: "experiment",
        message: "experiment: single-page onboarding",
        files: { "specs/010-onboarding/spec.md": ONBOARDING_SPEC(1, true) },
      },
      { author: "lena", message: "AGENTS.md: everything we learned this quarter", files: { "AGENTS.md": WEB_APP_AGENTS } },
      { author: "marcus", message: "Adopt the shared CLAUDE.md from payments-service", files: { "CLAUDE.md": claudeMd(2) } },
      { author: "priya", message: "spec(010-onboarding): add a skip option", files: { "specs/010-onboarding/spec.md": ONBOARDING_SPEC(2) } },
    ],
  };
}

const platformOpenapi = (v: number) => `openapi: 3.1.0
info: { title: Acme Platform API, version: ${v >= 2 ? "1.1.0" : "1.0.0"} }
servers: [{ url: "https://api.acme.example" }]
paths:
  /v1/tenants/{tenantId}:
    get:
      operationId: getTenant
      parameters: [{ name: tenantId, in: path, required: true, schema: { type: string } }]
      responses: { "200": { description: The tenant }, "404": { description: Unknown tenant } }
${
  v >= 2
    ? `  /v1/tenants/{tenantId}/usage:
    get:
      operationId: getTenantUsage
      parameters:
        - { name: tenantId, in: path, required: true, schema: { type: string } }
        - { name: month, in: query, required: false, schema: { type: string, pattern: "^\\\\d{4}-\\\\d{2}$" } }
      responses: { "200": { description: Usage for the month } }
`
    : ""
}`;

const BILLING_OPENAPI =
  JSON.stringify(
    {
      openapi: "3.1.0",
      info: { title: "Billing API", version: "2.0.0" },
      paths: {
        "/v2/invoices": { get: { operationId: "listInvoices", responses: { "200": { description: "Invoices, newest first" } } } },
        "/v2/invoices/{invoiceId}": {
          get: {
            operationId: "getInvoice",
            parameters: [{ name: "invoiceId", in: "path", required: true, schema: { type: "string" } }],
            responses: { "200": { description: "The invoice" }, "404": { description: "Unknown invoice" } },
          },
        },
      },
    },
    null,
    2,
  ) + "\n";

const ASYNCAPI = `asyncapi: 3.0.0
info: { title: Acme Platform Events, version: 1.0.0 }
channels:
  checkoutCompleted:
    address: checkout.completed
    messages:
      checkoutCompleted:
        payload:
          type: object
          required: [orderId, amountMinor, currency]
          properties: { orderId: { type: string }, amountMinor: { type: integer }, currency: { type: string } }
operations:
  publishCheckoutCompleted: { action: send, channel: { $ref: "#/channels/checkoutCompleted" } }
`;

const platformAgents = (v: number) => `# AGENTS.md - platform-infra

- Terraform lives in \`terraform/\`; run \`terraform fmt -check\` and \`terraform validate\` before pushing.
- API contracts (\`openapi.yaml\`, \`billing.openapi.json\`, \`asyncapi.yaml\`) are public: breaking changes need a new major version.
- Never commit credentials or state files.
${v >= 2 ? "- Post the output of `terraform plan` in the pull request; never apply from a laptop.\n" : ""}`;

const OBSERVABILITY_SPEC = `# Observability Standards

## Requirements

### OBS-001: Structured logs

**Acceptance criteria**

- WHEN a service handles a request THE service SHALL log one JSON line with \`trace_id\`, \`route\`, \`status\` and \`duration_ms\`.

### OBS-002: Golden signals

**Acceptance criteria**

- WHEN a service is deployed THE platform SHALL provision dashboards for latency, traffic, errors and saturation.
- IF the error rate exceeds 2% for 5 minutes THEN THE platform SHALL page the owning team.
`;

const WINDSURFRULES = `# Windsurf rules for platform-infra
- Prefer Terraform modules from terraform/modules over raw resources.
- Tag every resource with owner and cost-center.
- Keep contracts backwards compatible within a major version.
`;

/** A few bytes of PNG with NUL bytes, saved under a .md name to exercise the binary skip. */
const BINARY_LOGO = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x08, 0x06,
  0x00, 0x00, 0x00,
]);

function platformPlan(): RepoPlan {
  return {
    name: "platform-infra",
    startDay: 30,
    endDay: 176,
    description: "Shared infrastructure and public contracts: OpenAPI, AsyncAPI, a symlinked CLAUDE.md and a symlink that escapes the repository.",
    steps: [
      {
        author: "dana",
        message: "Initial commit",
        files: {
          "README.md": "# platform-infra\n\nTerraform and public API contracts for the Acme platform.\n",
          "terraform/main.tf": `terraform {\n  required_version = ">= 1.8"\n}\n\nmodule "network" {\n  source = "./modules/network"\n}\n`,
          "terraform/modules/network/main.tf": `variable "cidr" {\n  default = "10.20.0.0/16"\n}\n`,
        },
      },
      { author: "kenji", message: "Add the public platform API contract", files: { "openapi.yaml": platformOpenapi(1) } },
      { author: "kenji", message: "Add the billing API contract", files: { "billing.openapi.json": BILLING_OPENAPI } },
      { author: "marcus", message: "Add AsyncAPI document for platform events", files: { "asyncapi.yaml": ASYNCAPI } },
      { author: "dana", message: "Add AGENTS.md and point CLAUDE.md at it", files: { "AGENTS.md": platformAgents(1), "CLAUDE.md": { symlink: "AGENTS.md" } } },
      { author: "priya", message: "Add .windsurfrules", files: { ".windsurfrules": WINDSURFRULES } },
      { author: "kenji", message: "spec: observability standards", files: { ".specs/observability.md": OBSERVABILITY_SPEC } },
      {
        author: "dana",
        message: "docs/specs: link the shared spec and add the logo",
        files: {
          "docs/specs/shared.md": { symlink: "../../../outside/secret.md" },
          "docs/specs/logo.md": BINARY_LOGO,
        },
      },
      { author: "marcus", message: "openapi: add tenant usage endpoint", files: { "openapi.yaml": platformOpenapi(2) } },
      { author: "dana", message: "AGENTS.md: document the terraform plan workflow", files: { "AGENTS.md": platformAgents(2) } },
    ],
  };
}

const PLANS = (): RepoPlan[] => [paymentsPlan(), ordersPlan(), webPlan(), platformPlan()];

/** The demo repositories' names, in the order buildDemoRepos returns them. */
export const demoRepositoryNames = (): string[] => PLANS().map((plan) => plan.name);
