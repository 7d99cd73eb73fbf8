/**
 * Synthetic Spec Kit repository generator for the import benchmark.
 *
 * The whole history is written by ONE `git fast-import` process fed through stdin
 * (streamed, respecting backpressure); nothing spawns a git process per commit.
 * Content comes from a seeded PRNG (mulberry32), so the same options always give the
 * same commits and the same head commit id.
 *
 * Layout: `specs/<NNN>-<slug>/{spec,plan,tasks}.md` (file i belongs to feature
 * floor(i / 3)), 1-4 KB Markdown bodies, plus a few non-spec files (`src/*.ts`,
 * `package.json`) touched occasionally. Each commit after the creating ones modifies
 * 1-3 files with small edits, by one of a few authors, at increasing timestamps.
 */
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import { readObjectContents } from "./git-baseline";

export interface SyntheticRepoOptions {
  dir: string;
  commits: number;
  files: number;
  seed?: number;
  /** Unix seconds of the first commit. */
  startTime?: number;
}

export interface SyntheticRepo {
  path: string;
  commits: number;
  files: number;
  headCommit: string;
}

const DEFAULT_SEED = 0x5eed;
const DEFAULT_START_TIME = 1_704_067_200; // 2024-01-01T00:00:00Z
/** Files created per creating commit at the start of history. */
const FILES_PER_CREATE_COMMIT = 100;
/** Probability that a picked file is a non-spec file. */
const NON_SPEC_PROBABILITY = 0.04;
const MIN_BYTES = 1024;
const MAX_BYTES = 4000;
const FLUSH_BYTES = 256 * 1024;
const BRANCH = "refs/heads/main";

// ---------------------------------------------------------------------------
// PRNG

/** mulberry32: tiny, fast, good-enough 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [min, max], inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------------------
// Vocabulary

const DOMAINS = [
  "billing",
  "auth",
  "search",
  "export",
  "import",
  "audit",
  "webhook",
  "workspace",
  "team",
  "invite",
  "notification",
  "report",
  "dashboard",
  "token",
  "session",
  "profile",
  "upload",
  "sync",
  "cache",
  "review",
  "comment",
  "approval",
  "release",
  "tagging",
  "archive",
  "onboarding",
  "settings",
  "metrics",
  "quota",
  "payment",
];
const ASPECTS = [
  "flow",
  "api",
  "history",
  "ui",
  "rules",
  "limits",
  "retry",
  "filters",
  "roles",
  "events",
  "pipeline",
  "scheduler",
  "permissions",
  "preview",
  "summary",
  "migration",
  "backfill",
];
const ACTORS = [
  "users",
  "administrators",
  "reviewers",
  "workspace owners",
  "agents",
  "the API client",
  "maintainers",
  "guests",
  "the scheduler",
  "support staff",
];
const ACTIONS = [
  "export",
  "import",
  "archive",
  "restore",
  "approve",
  "reject",
  "search",
  "filter",
  "comment on",
  "tag",
  "compare",
  "download",
  "rename",
  "share",
  "subscribe to",
];
const OBJECTS = [
  "invoices",
  "spec revisions",
  "audit events",
  "API tokens",
  "webhooks",
  "billing plans",
  "team invitations",
  "search results",
  "notifications",
  "workspace settings",
  "review threads",
  "release notes",
  "usage reports",
  "attachments",
  "feature flags",
];
const QUALIFIERS = [
  "within 2 seconds",
  "for up to 10,000 records",
  "without data loss",
  "using the existing session",
  "when the network is unavailable",
  "with a full audit trail",
  "in under 200 ms at p95",
  "for every workspace",
  "idempotently",
  "in a single transaction",
  "with optimistic locking",
  "using cursor pagination",
  "respecting role permissions",
  "after explicit confirmation",
  "in the user's time zone",
];
const VERBS = ["MUST", "MUST", "MUST", "SHOULD", "MUST NOT", "MAY"];
const STATUSES = ["Draft", "In Review", "Approved", "Implemented"];
const TASK_VERBS = ["Implement", "Add tests for", "Wire up", "Refactor", "Document", "Validate"];
const COMPONENTS = ["service", "repository", "route handler", "model", "validator", "worker", "view"];
const SRC_DIRS = ["services", "models", "api", "lib", "workers", "components"];
const TECH = [
  "TypeScript 5.x on Node 20",
  "PostgreSQL 16",
  "Prisma ORM",
  "Next.js App Router",
  "pg-boss job queue",
  "Vitest",
  "Playwright",
  "zod validation",
  "React Server Components",
];
const PLAN_TOPICS = [
  "Data model",
  "Storage",
  "Caching",
  "Error handling",
  "Observability",
  "Rollout",
  "Security",
  "Performance",
  "Testing strategy",
  "Migration",
];
const AUTHORS = [
  { name: "Ada Lovelace", email: "ada@example.com", tz: "+0000" },
  { name: "Grace Hopper", email: "grace@example.com", tz: "-0500" },
  { name: "Linus Park", email: "linus.park@example.com", tz: "+0900" },
  { name: "Margaret Hamilton", email: "margaret@example.com", tz: "-0800" },
  { name: "Tomas Novak", email: "tomas@example.com", tz: "+0100" },
  { name: "spec-agent", email: "agent@bots.example.com", tz: "+0000" },
];
const SRC_FILES = ["src/index.ts", "src/lib/parser.ts", "src/lib/store.ts", "src/api/routes.ts", "src/workers/sync.ts", "src/models/spec.ts"];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const pad3 = (n: number) => String(n).padStart(3, "0");

// ---------------------------------------------------------------------------
// File model

type Kind = "spec" | "plan" | "tasks" | "ts" | "json";
const SPEC_KINDS: Kind[] = ["spec", "plan", "tasks"];

interface FileState {
  path: string;
  kind: Kind;
  title: string;
  lines: string[];
  /** Next FR/T/SC/decision number for appended items. */
  nextId: number;
  /** Index into `features` for spec files; -1 otherwise. */
  feature: number;
}

function requirementText(rng: Rng): string {
  return `System ${rng.pick(VERBS)} allow ${rng.pick(ACTORS)} to ${rng.pick(ACTIONS)} ${rng.pick(OBJECTS)} ${rng.pick(QUALIFIERS)}.`;
}

function itemLine(rng: Rng, f: FileState): string {
  const id = f.nextId++;
  switch (f.kind) {
    case "spec":
      return rng.chance(0.8)
        ? `- **FR-${pad3(id)}**: ${requirementText(rng)}`
        : `- **SC-${pad3(id)}**: ${cap(rng.pick(ACTORS))} can ${rng.pick(ACTIONS)} ${rng.pick(OBJECTS)} ${rng.pick(QUALIFIERS)}.`;
    case "plan":
      return rng.chance(0.5)
        ? `- **Decision ${id}**: Use ${rng.pick(TECH)} for ${rng.pick(OBJECTS)} because it keeps ${rng.pick(ASPECTS)} ${rng.pick(QUALIFIERS)}.`
        : `- ${rng.pick(PLAN_TOPICS)}: ${rng.pick(ACTORS)} ${rng.pick(ACTIONS)} ${rng.pick(OBJECTS)} ${rng.pick(QUALIFIERS)}.`;
    case "tasks":
      return `- [${rng.chance(0.3) ? "x" : " "}] T${pad3(id)}${rng.chance(0.4) ? " [P]" : ""} [US${rng.int(1, 4)}] ${rng.pick(TASK_VERBS)} ${rng.pick(OBJECTS)} ${rng.pick(COMPONENTS)} in src/${rng.pick(SRC_DIRS)}/${rng.pick(DOMAINS)}-${rng.pick(ASPECTS)}.ts`;
    case "ts":
      return `export const ${rng.pick(DOMAINS)}${cap(rng.pick(ASPECTS))}${id} = ${rng.int(1, 99999)};`;
    case "json":
      return `    "${rng.pick(DOMAINS)}-${rng.pick(ASPECTS)}-${id}": "^${rng.int(0, 9)}.${rng.int(0, 30)}.${rng.int(0, 9)}",`;
  }
}

function byteSize(lines: readonly string[]): number {
  let n = 0;
  for (const l of lines) n += l.length + 1;
  return n;
}

function initialLines(rng: Rng, f: FileState, slug: string, created: string): string[] {
  const target = rng.int(1300, 3000);
  const lines: string[] = [];
  const fill = (minItems: number, share: number) => {
    const until = Math.floor(target * share);
    for (let i = 0; i < minItems || byteSize(lines) < until; i++) lines.push(itemLine(rng, f));
  };
  switch (f.kind) {
    case "spec": {
      lines.push(
        `# Feature Specification: ${f.title}`,
        "",
        `**Feature Branch**: \`${slug}\``,
        `**Created**: ${created}`,
        `**Status**: ${rng.pick(STATUSES)}`,
        `**Input**: User description: "${cap(rng.pick(ACTORS))} need to ${rng.pick(ACTIONS)} ${rng.pick(OBJECTS)} ${rng.pick(QUALIFIERS)}"`,
        "",
        "## User Scenarios & Testing *(mandatory)*",
        "",
      );
      const stories = rng.int(1, 3);
      for (let s = 1; s <= stories; s++) {
        lines.push(
          `### User Story ${s} - ${cap(rng.pick(ACTIONS))} ${rng.pick(OBJECTS)} (Priority: P${s})`,
          "",
          `${cap(rng.pick(ACTORS))} want to ${rng.pick(ACTIONS)} ${rng.pick(OBJECTS)} ${rng.pick(QUALIFIERS)}.`,
          "",
          "**Acceptance Scenarios**:",
          "",
          `1. **Given** ${rng.pick(OBJECTS)} exist, **When** ${rng.pick(ACTORS)} ${rng.pick(ACTIONS)} them, **Then** the result is visible ${rng.pick(QUALIFIERS)}.`,
          "",
        );
      }
      lines.push("## Requirements *(mandatory)*", "", "### Functional Requirements", "");
      fill(3, 0.85);
      lines.push("", "## Success Criteria *(mandatory)*", "");
      fill(2, 1);
      break;
    }
    case "plan": {
      lines.push(
        `# Implementation Plan: ${f.title}`,
        "",
        `**Branch**: \`${slug}\` | **Date**: ${created} | **Spec**: [spec.md](./spec.md)`,
        "",
        "## Summary",
        "",
        `Deliver ${rng.pick(OBJECTS)} ${rng.pick(ASPECTS)} so that ${rng.pick(ACTORS)} can ${rng.pick(ACTIONS)} ${rng.pick(OBJECTS)} ${rng.pick(QUALIFIERS)}.`,
        "",
        "## Technical Context",
        "",
        `**Language/Version**: ${TECH[0]}`,
        `**Primary Dependencies**: ${rng.pick(TECH)}, ${rng.pick(TECH)}`,
        `**Storage**: ${TECH[1]}`,
        `**Testing**: ${TECH[5]}`,
        `**Performance Goals**: ${rng.pick(QUALIFIERS)}`,
        "",
        "## Design Decisions",
        "",
      );
      fill(3, 1);
      break;
    }
    case "tasks": {
      lines.push(`# Tasks: ${f.title}`, "", "**Input**: Design documents from `/specs/" + slug + "/`", "", "## Phase 1: Setup", "");
      fill(2, 0.3);
      lines.push("", "## Phase 2: Core", "");
      fill(3, 0.8);
      lines.push("", "## Phase 3: Polish", "");
      fill(1, 1);
      break;
    }
    case "ts": {
      lines.push(`// ${f.path}`, `import { z } from "zod";`, "");
      fill(5, 1);
      break;
    }
    case "json": {
      lines.push("{", `  "name": "synthetic-app",`, `  "version": "1.0.0",`, `  "dependencies": {`);
      fill(3, 1);
      lines.push(`    "zod": "^4.0.0"`, "  }", "}");
      break;
    }
  }
  return lines;
}

/** Indices of editable item lines (requirements, tasks, decisions, code lines). */
function itemIndices(f: FileState): number[] {
  const out: number[] = [];
  for (let i = 0; i < f.lines.length; i++) {
    const l = f.lines[i];
    if (f.kind === "ts" ? l.startsWith("export const ") : f.kind === "json" ? l.endsWith(",") && l.startsWith('    "') : l.startsWith("- ")) {
      out.push(i);
    }
  }
  return out;
}

/** Small edit: change a line, tick a task, append or delete a few lines; keeps 1-4 KB. */
function editFile(rng: Rng, f: FileState): void {
  const items = itemIndices(f);
  const size = byteSize(f.lines);
  const r = rng.float();
  if (items.length === 0) {
    f.lines.push(itemLine(rng, f));
    return;
  }
  if ((r < 0.25 && size < MAX_BYTES - 600) || size < MIN_BYTES + 200) {
    // Insert 1-3 new items after a random item.
    const at = rng.pick(items) + 1;
    const n = rng.int(1, 3);
    const added: string[] = [];
    for (let i = 0; i < n; i++) added.push(itemLine(rng, f));
    f.lines.splice(at, 0, ...added);
  } else if ((r < 0.4 || size > MAX_BYTES - 300) && items.length > 3) {
    // Delete 1-2 items.
    const n = Math.min(rng.int(1, 2), items.length - 3);
    for (let i = 0; i < n; i++) {
      const idx = itemIndices(f);
      f.lines.splice(rng.pick(idx), 1);
    }
  } else if (f.kind === "tasks" && rng.chance(0.5)) {
    // Tick or untick a task.
    const i = rng.pick(items);
    const l = f.lines[i];
    f.lines[i] = l.startsWith("- [ ]") ? "- [x]" + l.slice(5) : "- [ ]" + l.slice(5);
  } else {
    // Rewrite 1-2 items in place.
    const n = rng.int(1, 2);
    for (let k = 0; k < n; k++) {
      const i = rng.pick(items);
      const before = f.lines[i];
      let after = itemLine(rng, f);
      if (f.kind === "spec") {
        // Keep the requirement id, change its wording (a typical "clarify FR-007" edit).
        const m = /^- \*\*((?:FR|SC)-\d+)\*\*: /.exec(before);
        if (m) after = `- **${m[1]}**: ${requirementText(rng)}`;
      }
      f.lines[i] = after === before ? after + " (clarified)" : after;
    }
  }
}

// ---------------------------------------------------------------------------
// fast-import stream

/** Buffered writer onto fast-import's stdin that respects backpressure. */
class StreamWriter {
  private parts: string[] = [];
  private pending = 0;
  constructor(private readonly stream: Writable) {}

  push(s: string): void {
    this.parts.push(s);
    this.pending += s.length;
  }

  async maybeFlush(): Promise<void> {
    if (this.pending >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join("");
    this.parts = [];
    this.pending = 0;
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const done = (err?: Error) => {
          this.stream.off("drain", onDrain);
          this.stream.off("error", onError);
          this.stream.off("close", onClose);
          if (err) reject(err);
          else resolve();
        };
        const onDrain = () => done();
        const onError = (err: Error) => done(err);
        const onClose = () => done(new Error("git fast-import closed its input early"));
        this.stream.on("drain", onDrain);
        this.stream.on("error", onError);
        this.stream.on("close", onClose);
      });
    }
  }
}

interface GenState {
  rng: Rng;
  files: FileState[];
  specFilesByFeature: number[][];
  nonSpec: number[];
  time: number;
}

function dataCmd(content: string): string {
  // All generated content is ASCII, so string length equals byte length.
  return `data ${content.length}\n${content}\n`;
}

function commitHeader(rng: Rng, time: number, message: string, from: string | null): string {
  const a = rng.pick(AUTHORS);
  const who = `${a.name} <${a.email}> ${time} ${a.tz}`;
  return `commit ${BRANCH}\nauthor ${who}\ncommitter ${who}\n${dataCmd(message)}${from ? `from ${from}\n` : ""}`;
}

function fileCmd(f: FileState): string {
  return `M 100644 inline ${f.path}\n${dataCmd(f.lines.join("\n") + "\n")}`;
}

function messageFor(rng: Rng, touched: FileState[]): string {
  const f = touched[0];
  const scope = f.kind === "ts" || f.kind === "json" ? "app" : f.path.split("/")[1];
  const verbs =
    f.kind === "tasks"
      ? ["update tasks", "tick off tasks", "split task", "reorder tasks"]
      : f.kind === "plan"
        ? ["revise plan", "record design decision", "update technical context"]
        : f.kind === "spec"
          ? ["clarify requirements", "add acceptance criteria", "tighten success criteria", "address review comments"]
          : ["refactor", "bump dependency", "fix lint"];
  const subject = `${f.kind === "ts" || f.kind === "json" ? "chore" : "spec"}(${scope}): ${rng.pick(verbs)}`;
  return touched.length > 1 ? `${subject}\n\nTouches ${touched.map((t) => t.path).join(", ")}.\n` : `${subject}\n`;
}

/** Writes `count` edit commits; `from` is set on the first one when resuming a branch. */
async function writeEditCommits(w: StreamWriter, g: GenState, count: number, from: string | null): Promise<void> {
  const { rng } = g;
  for (let c = 0; c < count; c++) {
    g.time += rng.int(60, 5400);
    const touched: FileState[] = [];
    const n = rng.int(1, 3);
    const feature = rng.int(0, g.specFilesByFeature.length - 1);
    for (let k = 0; k < n; k++) {
      let f: FileState;
      if (g.nonSpec.length && rng.chance(NON_SPEC_PROBABILITY)) f = g.files[rng.pick(g.nonSpec)];
      else if (rng.chance(0.8)) f = g.files[rng.pick(g.specFilesByFeature[feature])];
      else f = g.files[rng.pick(rng.pick(g.specFilesByFeature))];
      if (!touched.includes(f)) touched.push(f);
    }
    let body = "";
    for (const f of touched) {
      editFile(rng, f);
      body += fileCmd(f);
    }
    w.push(commitHeader(rng, g.time, messageFor(rng, touched), c === 0 ? from : null) + body + "\n");
    await w.maybeFlush();
  }
}

// ---------------------------------------------------------------------------
// git helpers

/** Small git command, output collected (only for commands with tiny output). */
function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: gitEnv() });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`git ${args.join(" ")} failed (exit ${code}): ${err.trim()}`))));
  });
}

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0" };
  // Never let an outer repository's environment leak into the synthetic one.
  delete env.GIT_DIR;
  delete env.GIT_WORK_TREE;
  delete env.GIT_INDEX_FILE;
  return env;
}

/** Spawns ONE `git fast-import`, lets `produce` stream commands into it, waits for exit. */
async function runFastImport(repoPath: string, produce: (w: StreamWriter) => Promise<void>): Promise<void> {
  const child = spawn("git", ["fast-import", "--quiet", "--done"], {
    cwd: repoPath,
    stdio: ["pipe", "ignore", "pipe"],
    env: gitEnv(),
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    if (stderr.length < 16384) stderr += d;
  });
  child.stdin.on("error", () => {}); // EPIPE surfaces through the exit status below
  const exited = new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`git fast-import failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`)),
    );
  });
  const w = new StreamWriter(child.stdin);
  let produceError: unknown = null;
  try {
    await produce(w);
    w.push("done\n");
    await w.flush();
    child.stdin.end();
  } catch (err) {
    produceError = err;
    child.kill();
  }
  try {
    await exited;
  } catch (err) {
    throw produceError ?? err;
  }
  if (produceError) throw produceError;
}

async function finishRepo(repoPath: string): Promise<string> {
  const head = (await git(repoPath, ["rev-parse", BRANCH])).trim();
  if ((await git(repoPath, ["rev-parse", "--is-bare-repository"])).trim() === "false") {
    await git(repoPath, ["reset", "-q", "--hard", "main"]);
  }
  await git(repoPath, ["commit-graph", "write", "--reachable", "--changed-paths"]);
  return head;
}

function featureSlug(rng: Rng, n: number): { slug: string; title: string } {
  const d = rng.pick(DOMAINS);
  const a = rng.pick(ASPECTS);
  return { slug: `${pad3(n)}-${d}-${a}`, title: `${cap(d)} ${cap(a)}` };
}

function assertCount(name: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got ${n}`);
}

// ---------------------------------------------------------------------------
// Public API

/**
 * Creates a new repository at `opts.dir` whose `main` has exactly `opts.commits` commits
 * and `opts.files` Markdown spec files under `specs/` at its head (plus a few non-spec
 * files). The first commit(s) create the files, 100 per commit; the rest edit 1-3 files.
 */
export async function createSyntheticRepo(opts: SyntheticRepoOptions): Promise<SyntheticRepo> {
  assertCount("commits", opts.commits, 1);
  assertCount("files", opts.files, 1);
  const repoPath = path.resolve(opts.dir);
  await mkdir(repoPath, { recursive: true });
  await git(repoPath, ["-c", "init.defaultBranch=main", "init", "-q"]);

  const rng = new Rng(opts.seed ?? DEFAULT_SEED);
  const startTime = opts.startTime ?? DEFAULT_START_TIME;
  const created = new Date(startTime * 1000).toISOString().slice(0, 10);

  // Build the initial file set: spec.md, plan.md, tasks.md per feature.
  const files: FileState[] = [];
  const specFilesByFeature: number[][] = [];
  const featureCount = Math.ceil(opts.files / 3);
  for (let feat = 0; feat < featureCount; feat++) {
    const { slug, title } = featureSlug(rng, feat + 1);
    const members: number[] = [];
    for (let k = 0; k < 3 && feat * 3 + k < opts.files; k++) {
      const kind = SPEC_KINDS[k];
      const f: FileState = { path: `specs/${slug}/${kind}.md`, kind, title, lines: [], nextId: 1, feature: feat };
      f.lines = initialLines(rng, f, slug, created);
      members.push(files.length);
      files.push(f);
    }
    specFilesByFeature.push(members);
  }
  const nonSpec: number[] = [];
  for (const p of [...SRC_FILES, "package.json"]) {
    const f: FileState = { path: p, kind: p.endsWith(".json") ? "json" : "ts", title: p, lines: [], nextId: 1, feature: -1 };
    f.lines = initialLines(rng, f, "", created);
    nonSpec.push(files.length);
    files.push(f);
  }

  const g: GenState = { rng, files, specFilesByFeature, nonSpec, time: startTime };
  const createCommits = Math.min(opts.commits, Math.ceil(opts.files / FILES_PER_CREATE_COMMIT));
  await runFastImport(repoPath, async (w) => {
    for (let c = 0; c < createCommits; c++) {
      const lo = Math.floor((c * opts.files) / createCommits);
      const hi = Math.floor(((c + 1) * opts.files) / createCommits);
      const batch = files.slice(lo, hi);
      if (c === 0) batch.push(...nonSpec.map((i) => files[i]));
      const first = batch[0].path.split("/")[1];
      const last = files[hi - 1].path.split("/")[1];
      const msg = c === 0 ? `Initial import of specs ${first}..${last}\n` : `Add specs ${first}..${last}\n`;
      if (c > 0) g.time += rng.int(600, 7200);
      w.push(commitHeader(rng, g.time, msg, null) + batch.map(fileCmd).join("") + "\n");
      await w.maybeFlush();
    }
    await writeEditCommits(w, g, opts.commits - createCommits, null);
  });

  const headCommit = await finishRepo(repoPath);
  return { path: repoPath, commits: opts.commits, files: opts.files, headCommit };
}

/**
 * Appends exactly `opts.commits` edit commits on `main` of an existing synthetic repo
 * (read back from its head tree), later than its head commit. Used to test incremental
 * import. The default seed derives from the current head, so repeated calls differ.
 */
export async function appendSyntheticCommits(opts: { path: string; commits: number; seed?: number }): Promise<{ headCommit: string }> {
  assertCount("commits", opts.commits, 0);
  const repoPath = path.resolve(opts.path);
  const [head, lastTime, tree] = await Promise.all([
    git(repoPath, ["rev-parse", BRANCH]).then((s) => s.trim()),
    git(repoPath, ["log", "-1", "--format=%ct", BRANCH]).then((s) => Number(s.trim())),
    git(repoPath, ["ls-tree", "-r", "--full-tree", BRANCH]),
  ]);
  if (opts.commits === 0) return { headCommit: head };

  const rng = new Rng(opts.seed ?? parseInt(head.slice(0, 8), 16));
  const entries = tree
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf("\t");
      const [, type, oid] = line.slice(0, tab).split(" ");
      return { type, oid, path: line.slice(tab + 1) };
    })
    .filter((e) => e.type === "blob");
  const contents = await readObjectContents({ repoPath, names: entries.map((e) => e.oid) });

  const files: FileState[] = [];
  const nonSpec: number[] = [];
  const byFeature = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const text = contents[i].toString("utf8");
    const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
    const m = /^specs\/([^/]+)\/(spec|plan|tasks)\.md$/.exec(e.path);
    const kind: Kind = m ? (m[2] as Kind) : e.path.endsWith(".json") ? "json" : "ts";
    const f: FileState = { path: e.path, kind, title: e.path, lines, nextId: 1000, feature: -1 };
    // Continue numbering after the highest existing id so appended items stay unique.
    for (const l of lines) {
      const id = /(?:FR-|SC-|T|Decision )(\d+)|[A-Za-z](\d+) = /.exec(l);
      const n = id ? Number(id[1] ?? id[2]) : 0;
      if (n >= f.nextId) f.nextId = n + 1;
    }
    if (m) {
      const list = byFeature.get(m[1]) ?? [];
      list.push(files.length);
      byFeature.set(m[1], list);
    } else {
      nonSpec.push(files.length);
    }
    files.push(f);
  });
  const specFilesByFeature = [...byFeature.values()];
  if (specFilesByFeature.length === 0) throw new Error(`${repoPath}: no spec files at ${BRANCH}`);

  const g: GenState = { rng, files, specFilesByFeature, nonSpec, time: lastTime };
  await runFastImport(repoPath, (w) => writeEditCommits(w, g, opts.commits, `${BRANCH}^0`));
  const headCommit = await finishRepo(repoPath);
  return { headCommit };
}
