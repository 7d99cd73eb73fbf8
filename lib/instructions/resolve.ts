// What an agent loads when it works in one directory of a repository: which instruction files,
// in which order and why, the imports they pull in, and what the agent's size limit cuts off.
// Pure: the caller passes the repository's files; lib/instructions/agents.ts says how each tool reads them.
import path from "node:path/posix";
import picomatch from "picomatch";
import { parse } from "yaml";
import { AppError } from "@/lib/errors";
import { splitGlobList, startingWith } from "@/lib/paths";
import { AGENTS, type AgentId, type AgentRow, type Budget, type SourceRule } from "./agents";
import { findImports, looksLikePath } from "./imports";

export interface InstructionSource {
  path: string;
  kind: string | null;
  text: string;
}

export interface TreeFile {
  path: string;
  /** Size in bytes, when known (files Specledger does not govern have no text here). */
  size: number | null;
}

export interface ResolveInput {
  agent: AgentId;
  /** Repository-relative directory; "" is the root. */
  directory: string;
  /** The governed files with their text (instruction files and anything they may import). */
  files: readonly InstructionSource[];
  /** Every file of the repository at the same commit; defaults to the governed files. */
  tree?: readonly TreeFile[];
}

export type EntryStatus = "loaded" | "may-load" | "truncated" | "dropped" | "unreadable";

export interface CutPosition {
  /** Offset in the file's own unit (bytes or characters) where the agent stops reading. */
  offset: number;
  /** 1-based line and column of the first character lost; null when the text is not known. */
  line: number | null;
  column: number | null;
  lostBytes: number;
  lostChars: number | null;
  /** Headings in the lost part: what the agent never sees. */
  lostHeadings: string[];
  /** The first characters lost. */
  lostPreview: string;
}

export interface EffectiveEntry {
  order: number;
  path: string;
  kind: string | null;
  source: string;
  /** Why it loads: the rule, and the glob and file it matched. */
  reason: string;
  status: EntryStatus;
  importedBy: string | null;
  depth: number;
  bytes: number;
  chars: number | null;
  loadedBytes: number;
  cut: CutPosition | null;
}

export interface Skipped {
  path: string;
  reason: string;
}

export type ProblemCode =
  "over-budget" | "truncated" | "dropped" | "import-missing" | "import-cycle" | "import-outside" | "import-too-deep" | "unreadable" | "frontmatter-invalid";

export interface Problem {
  code: ProblemCode;
  path: string;
  line: number | null;
  message: string;
}

export interface EffectiveInstructions {
  agent: { id: AgentId; name: string; precedence: string; notes: readonly string[]; docs: readonly string[] };
  directory: string;
  entries: EffectiveEntry[];
  skipped: Skipped[];
  problems: Problem[];
  budget: (Budget & { used: number; over: boolean }) | null;
  totals: { files: number; bytes: number; chars: number; loadedBytes: number; tokens: number };
}

const GLOB_OPTIONS = { dot: true, windows: false } as const;
const PREVIEW_CHARS = 160;
const MAX_LOST_HEADINGS = 12;

/** A repository-relative directory in canonical form, or a refusal: no traversal, no absolute paths, no NUL. */
export function normaliseDirectory(input: string): string {
  const trimmed = input.trim().replace(/\/+$/, "");
  if (trimmed === "" || trimmed === ".") return "";
  if (trimmed.length > 1024) throw new AppError("bad_request", "The path is longer than 1,024 characters.");
  if (/[\u0000-\u001f\\]/.test(trimmed))
    throw new AppError("bad_request", "The path has control characters or backslashes; use a repository path like services/billing.");
  if (trimmed.startsWith("/")) throw new AppError("bad_request", "The path must be relative to the repository root, e.g. services/billing.");
  const segments = trimmed.split("/");
  if (segments.some((s) => s === ".." || s === "." || s === "")) {
    throw new AppError("bad_request", `The path "${trimmed}" has empty, "." or ".." segments; paths outside the repository are refused.`);
  }
  return segments.join("/");
}

/** The directory and its ancestors, root first: "a/b" → ["", "a", "a/b"]. */
function chainOf(directory: string): string[] {
  if (directory === "") return [""];
  const parts = directory.split("/");
  return ["", ...parts.map((_, i) => parts.slice(0, i + 1).join("/"))];
}

const join = (dir: string, name: string) => (dir === "" ? name : `${dir}/${name}`);
const where = (dir: string) => (dir === "" ? "the root" : `${dir}/`);

const matcherCache = new Map<string, (p: string) => boolean>();
function matcher(pattern: string): (p: string) => boolean {
  let m = matcherCache.get(pattern);
  if (!m) {
    m = picomatch(pattern, GLOB_OPTIONS);
    matcherCache.set(pattern, m);
  }
  return m;
}

/** Reads the YAML front matter at the top of a rule file; invalid front matter is reported, never thrown. `lines`: the front matter's lines when it is closed. */
export function readFrontmatter(text: string): { data: Record<string, unknown>; error: string | null; lines?: string[] } {
  // Only the head of the file can hold front matter; never split a 10 MB file to find it.
  const lines = text
    .slice(0, 70_000)
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/);
  if (!/^---\s*$/.test(lines[0] ?? "")) return { data: {}, error: null };
  const close = lines.findIndex((l, i) => i > 0 && /^(?:---|\.\.\.)\s*$/.test(l));
  if (close < 0) return { data: {}, error: "the front matter is never closed with ---" };
  const inside = lines.slice(1, close);
  try {
    const data: unknown = parse(inside.join("\n"), { maxAliasCount: 50 });
    if (data === null || data === undefined) return { data: {}, error: null, lines: inside };
    if (typeof data !== "object" || Array.isArray(data)) return { data: {}, error: "the front matter is not a mapping of fields", lines: inside };
    return { data: data as Record<string, unknown>, error: null, lines: inside };
  } catch (error) {
    return { data: {}, error: `the front matter is not YAML (${(error as Error).message.split("\n")[0]})`, lines: inside };
  }
}

/**
 * Top-level `key: value` lines read the way Cursor reads a rule's front matter when it is not YAML: the rest of
 * the line, as written (Cursor documents `globs: src/**\/*.ts, docs/**\/*.md` bare, which YAML refuses:
 * https://cursor.com/docs/context/rules). Surrounding quotes are dropped; indented and list lines are skipped.
 */
export function lineFields(lines: readonly string[]): Record<string, string> {
  const data: Record<string, string> = {};
  for (const line of lines) {
    const m = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$/.exec(line);
    // An empty value (`globs:`) is no value, as YAML reads it.
    if (!m || !m[2] || Object.hasOwn(data, m[1]) || m[1] === "__proto__") continue;
    data[m[1]] = m[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return data;
}

/** Glob patterns of a field: a list, or one comma-separated string (outside braces), as Copilot, Cursor and Kiro write them. */
export function patternsOf(value: unknown): string[] | null {
  const split = (text: string) => splitGlobList(text).filter(Boolean);
  if (typeof value === "string") return split(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.flatMap((v) => split(v as string));
  return null;
}

interface Scope {
  /** Paths of the repository inside the directory asked about, relative to the root. */
  inside: readonly string[];
  directory: string;
  /** Front matter by path, parsed once per prepared repository. */
  frontmatter: Map<string, ReturnType<typeof readFrontmatter>>;
}

/** The first pattern (relative to `base`) that matches a file inside the directory, with that file. */
function matchGlobs(patterns: string[], base: string, scope: Scope): { pattern: string; file: string } | null {
  const prefix = base === "" ? "" : `${base}/`;
  const dirRel = scope.directory === "" ? "" : scope.directory.startsWith(prefix) ? scope.directory.slice(prefix.length) : scope.directory;
  for (const pattern of patterns) {
    // A pattern whose literal start leads elsewhere cannot match inside the directory; skip the scan.
    const literal = picomatch.scan(pattern).base;
    if (literal && dirRel && !literal.startsWith(dirRel) && !dirRel.startsWith(literal)) continue;
    const test = matcher(pattern);
    for (const file of scope.inside) {
      if (!file.startsWith(prefix)) continue;
      if (test(file.slice(prefix.length))) return { pattern, file };
    }
  }
  return null;
}

type Activated = { status: "loaded" | "may-load"; reason: string } | { status: "skipped"; reason: string };

function activate(rule: SourceRule, file: InstructionSource, base: string, scope: Scope, problems: Problem[]): Activated {
  if (rule.activation === "always") return { status: "loaded", reason: rule.label };
  let parsed = scope.frontmatter.get(file.path);
  if (!parsed) {
    parsed = readFrontmatter(file.text);
    scope.frontmatter.set(file.path, parsed);
  }
  let { data, error } = parsed;
  // Cursor reads its front matter line by line, as written: a rule with a bare glob (`globs: **/*.ts`, which YAML
  // refuses) applies in Cursor, so it is read the same way here instead of being skipped (decision 028).
  if (error && rule.activation === "cursor" && parsed.lines) {
    data = lineFields(parsed.lines);
    error = null;
  }
  if (error) problems.push({ code: "frontmatter-invalid", path: file.path, line: 1, message: `${file.path}: ${error}; its scope cannot be read.` });
  const globs = (field: string, required: boolean): Activated => {
    const patterns = patternsOf(data[field]);
    if (patterns === null || patterns.length === 0) {
      return required
        ? { status: "skipped", reason: `no ${field}: not applied automatically` }
        : { status: "loaded", reason: `${rule.label} (no ${field}: applies everywhere)` };
    }
    const hit = matchGlobs(patterns, base, scope);
    return hit
      ? { status: "loaded", reason: `${rule.label}: ${field} "${hit.pattern}" matches ${hit.file}` }
      : { status: "skipped", reason: `${field} ${patterns.map((p) => `"${p}"`).join(", ")} matches no file in ${where(scope.directory)}` };
  };
  switch (rule.activation) {
    case "paths":
      return globs("paths", false);
    case "applyTo":
      return globs("applyTo", true);
    case "cursor": {
      if (data.alwaysApply === true || data.alwaysApply === "true") return { status: "loaded", reason: `${rule.label}: alwaysApply` };
      if (patternsOf(data.globs)?.length) return globs("globs", true);
      if (typeof data.description === "string" && data.description.trim())
        return { status: "may-load", reason: `${rule.label}: the model decides from its description` };
      return { status: "skipped", reason: "manual rule: loads only when @-mentioned" };
    }
    case "kiro": {
      const inclusion = typeof data.inclusion === "string" ? data.inclusion : "always";
      if (inclusion === "always") return { status: "loaded", reason: `${rule.label}: inclusion always` };
      if (inclusion === "fileMatch") return globs("fileMatchPattern", true);
      if (inclusion === "auto") return { status: "may-load", reason: `${rule.label}: inclusion auto (the model decides from its description)` };
      return { status: "skipped", reason: `inclusion ${inclusion}: loads only when referenced in chat` };
    }
    case "windsurf": {
      const trigger = typeof data.trigger === "string" ? data.trigger : null;
      if (trigger === "always_on") return { status: "loaded", reason: `${rule.label}: trigger always_on` };
      if (trigger === "glob") return globs("globs", true);
      if (trigger === "model_decision") return { status: "may-load", reason: `${rule.label}: trigger model_decision` };
      if (trigger === "manual") return { status: "skipped", reason: "trigger manual: loads only when @-mentioned" };
      return { status: "may-load", reason: `${rule.label}: no trigger (Windsurf documents no default)` };
    }
  }
}

interface Candidate {
  file: InstructionSource;
  source: string;
  reason: string;
  status: "loaded" | "may-load";
}

/** The files each source rule finds for the directory, in the tool's order, and those it passes over. */
function discover(row: AgentRow, directory: string, byPath: ReadonlyMap<string, InstructionSource>, scope: Scope, skipped: Skipped[], problems: Problem[]) {
  const chain = chainOf(directory);
  const found: Candidate[] = [];
  const seen = new Set<string>();
  const add = (rule: SourceRule, file: InstructionSource, base: string, reasonFor: (r: string) => string) => {
    if (seen.has(file.path)) return;
    seen.add(file.path);
    const activated = activate(rule, file, base, scope, problems);
    if (activated.status === "skipped") skipped.push({ path: file.path, reason: activated.reason });
    else found.push({ file, source: rule.label, reason: reasonFor(activated.reason), status: activated.status });
  };
  for (const rule of row.sources) {
    const d = rule.discovery;
    if (d.type === "chain") {
      for (const dir of chain) {
        let taken: string | null = null;
        for (const name of d.names) {
          const file = byPath.get(join(dir, name));
          if (!file) continue;
          if (taken && d.firstOnly) {
            skipped.push({ path: file.path, reason: `${taken} in the same folder is read instead` });
            continue;
          }
          taken = name;
          add(rule, file, "", (r) => `${r}: ${name} in ${where(dir)}`);
        }
      }
    } else if (d.type === "nearest") {
      let nearest: string | null = null;
      for (const dir of [...chain].reverse()) {
        for (const name of d.names) {
          const file = byPath.get(join(dir, name));
          if (!file) continue;
          if (nearest) skipped.push({ path: file.path, reason: `the nearer ${nearest} takes precedence` });
          else {
            nearest = file.path;
            add(rule, file, "", (r) => `${r}: ${file.path}`);
          }
        }
      }
    } else if (d.type === "root") {
      let taken: string | null = null;
      for (const p of d.paths) {
        const file = byPath.get(p);
        if (!file) continue;
        if (taken && d.firstOnly) {
          skipped.push({ path: p, reason: `${taken} is read instead` });
          continue;
        }
        taken = p;
        add(rule, file, "", (r) => `${r}: ${p}`);
      }
    } else {
      const test = matcher(d.glob);
      const excluded = (d.exclude ?? []).map(matcher);
      for (const base of d.nested ? chain : [""]) {
        const folder = `${join(base, d.folder)}/`;
        const inFolder = [...byPath.values()].filter((f) => f.path.startsWith(folder)).sort((a, b) => (a.path < b.path ? -1 : 1));
        for (const file of inFolder) {
          const rel = file.path.slice(folder.length);
          if (!test(rel) || excluded.some((x) => x(rel))) continue;
          add(rule, file, base, (r) => r);
        }
      }
    }
  }
  return found;
}

const isBinary = (text: string) => text.includes("\u0000");

interface Pending {
  path: string;
  kind: string | null;
  text: string | null;
  size: number;
  source: string;
  reason: string;
  status: "loaded" | "may-load" | "unreadable";
  importedBy: string | null;
  depth: number;
}

/** Appends each file and, depth first right after it, what it imports (Claude Code and Gemini CLI). */
function withImports(
  row: AgentRow,
  found: Candidate[],
  byPath: ReadonlyMap<string, InstructionSource>,
  sizes: ReadonlyMap<string, number | null>,
  problems: Problem[],
): Pending[] {
  const out: Pending[] = [];
  const placed = new Set<string>();
  const pending = (file: InstructionSource, extra: Omit<Pending, "path" | "kind" | "text" | "size" | "status">): Pending => {
    const unreadable = isBinary(file.text);
    if (unreadable)
      problems.push({
        code: "unreadable",
        path: file.path,
        line: null,
        message: `${file.path} is binary (it has NUL bytes); no agent reads it as instructions.`,
      });
    return {
      path: file.path,
      kind: file.kind,
      text: unreadable ? null : file.text,
      size: Buffer.byteLength(file.text),
      status: unreadable ? "unreadable" : "loaded",
      ...extra,
    };
  };
  const visit = (importer: Pending, stack: string[]) => {
    if (!row.imports || importer.text === null) return;
    for (const ref of findImports(importer.text)) {
      const at = `@${ref.target} in ${importer.path}:${ref.line}`;
      if (ref.target.startsWith("~") || ref.target.startsWith("/")) {
        problems.push({ code: "import-outside", path: importer.path, line: ref.line, message: `${at} points outside the repository; it is not read.` });
        continue;
      }
      const target = path.normalize(path.join(path.dirname(importer.path), ref.target));
      if (target === ".." || target.startsWith("../")) {
        problems.push({ code: "import-outside", path: importer.path, line: ref.line, message: `${at} points outside the repository; it is not read.` });
        continue;
      }
      const governed = byPath.get(target);
      if (!governed && !sizes.has(target)) {
        if (looksLikePath(ref.target))
          problems.push({ code: "import-missing", path: importer.path, line: ref.line, message: `${at} names ${target}, which does not exist.` });
        continue;
      }
      if (stack.includes(target)) {
        problems.push({ code: "import-cycle", path: importer.path, line: ref.line, message: `${at} loops: ${[...stack, target].join(" → ")}.` });
        continue;
      }
      if (importer.depth + 1 > row.imports.maxDepth) {
        problems.push({
          code: "import-too-deep",
          path: importer.path,
          line: ref.line,
          message: `${at} is ${importer.depth + 1} imports deep; ${AGENTS[row.id].name} follows at most ${row.imports.maxDepth}.`,
        });
        continue;
      }
      if (placed.has(target)) continue;
      placed.add(target);
      const extra = { source: "import", reason: `imported by ${importer.path}:${ref.line}`, importedBy: importer.path, depth: importer.depth + 1 };
      const entry: Pending = governed
        ? pending(governed, extra)
        : { path: target, kind: null, text: null, size: sizes.get(target) ?? 0, status: "loaded", ...extra };
      out.push(entry);
      visit(entry, [...stack, target]);
    }
  };
  for (const c of found) {
    if (placed.has(c.file.path)) continue;
    placed.add(c.file.path);
    const entry = pending(c.file, { source: c.source, reason: c.reason, importedBy: null, depth: 0 });
    if (entry.status !== "unreadable") entry.status = c.status;
    out.push(entry);
    visit(entry, [c.file.path]);
  }
  return out;
}

/** The character index where `limit` units of `text` end (bytes: never inside a character). */
function charIndexAt(text: string, limit: number, unit: Budget["unit"]): number {
  if (unit === "chars") return Math.min(limit, text.length);
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.codePointAt(i)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > limit) break;
    bytes += size;
    i += code >= 0x10000 ? 2 : 1;
  }
  return i;
}

function cutAt(entry: Pending, keepUnits: number, unit: Budget["unit"]): CutPosition {
  if (entry.text === null) {
    return { offset: keepUnits, line: null, column: null, lostBytes: entry.size - keepUnits, lostChars: null, lostHeadings: [], lostPreview: "" };
  }
  const index = charIndexAt(entry.text, keepUnits, unit);
  const kept = entry.text.slice(0, index);
  const lost = entry.text.slice(index);
  const lines = kept.split("\n");
  const lostHeadings = lost
    .split(/\r?\n/)
    .slice(lines.length > 0 && !kept.endsWith("\n") ? 1 : 0)
    .filter((l) => /^\s{0,3}#{1,6}\s+\S/.test(l))
    .slice(0, MAX_LOST_HEADINGS)
    .map((l) => l.trim());
  return {
    offset: keepUnits,
    line: lines.length,
    column: lines[lines.length - 1].length + 1,
    lostBytes: Buffer.byteLength(lost),
    lostChars: lost.length,
    lostHeadings,
    lostPreview: lost.slice(0, PREVIEW_CHARS),
  };
}

const unitsOf = (entry: Pending, unit: Budget["unit"]) => (unit === "bytes" || entry.text === null ? entry.size : entry.text.length);
const unitWord = (unit: Budget["unit"]) => (unit === "bytes" ? "bytes" : "characters");

/** Applies the agent's limit in load order: per file first, then the running total. */
function applyBudget(row: AgentRow, pending: Pending[], problems: Problem[]) {
  const budget = row.budget;
  const entries: EffectiveEntry[] = [];
  let used = 0;
  let wanted = 0;
  for (const p of pending) {
    const chars = p.text === null ? null : p.text.length;
    const base = {
      order: entries.length + 1,
      path: p.path,
      kind: p.kind,
      source: p.source,
      reason: p.reason,
      importedBy: p.importedBy,
      depth: p.depth,
      bytes: p.size,
      chars,
    };
    if (p.status === "unreadable") {
      entries.push({ ...base, status: "unreadable", loadedBytes: 0, cut: null });
      continue;
    }
    // Codex skips files that are only whitespace; they cost nothing.
    if (!budget || (row.id === "codex" && p.text !== null && p.text.trim() === "")) {
      entries.push({ ...base, status: p.status, loadedBytes: p.size, cut: null });
      continue;
    }
    const units = unitsOf(p, budget.unit);
    // What the file would bring after its own cut: a total is over only when files that load together exceed it.
    wanted += budget.perFile === null ? units : Math.min(units, budget.perFile);
    let keep = units;
    let why = "";
    if (budget.perFile !== null && keep > budget.perFile) {
      keep = budget.perFile;
      why = `over the ${budget.perFile.toLocaleString("en")} ${unitWord(budget.unit)} a file may have`;
    }
    if (budget.total !== null && keep > budget.total - used) {
      keep = Math.max(0, budget.total - used);
      why = `the ${budget.total.toLocaleString("en")} ${unitWord(budget.unit)} of ${row.name}'s limit are used up`;
    }
    used += keep;
    if (keep === units) {
      entries.push({ ...base, status: p.status, loadedBytes: p.size, cut: null });
    } else if (keep === 0) {
      entries.push({ ...base, status: "dropped", loadedBytes: 0, cut: cutAt(p, 0, budget.unit) });
      problems.push({ code: "dropped", path: p.path, line: 1, message: `${p.path} is not read at all: ${why}.` });
    } else {
      const cut = cutAt(p, keep, budget.unit);
      entries.push({ ...base, status: "truncated", loadedBytes: p.size - cut.lostBytes, cut });
      problems.push({
        code: "truncated",
        path: p.path,
        line: cut.line,
        message: `${p.path} is cut after ${keep.toLocaleString("en")} ${unitWord(budget.unit)}${cut.line ? ` (line ${cut.line})` : ""}: ${why}; ${cut.lostBytes.toLocaleString("en")} bytes are lost${cut.lostHeadings.length ? `, including ${cut.lostHeadings.slice(0, 3).join(", ")}` : ""}.`,
      });
    }
  }
  const over = budget?.total != null ? wanted > budget.total : entries.some((e) => e.status === "truncated");
  if (budget && over && budget.total !== null) {
    problems.unshift({
      code: "over-budget",
      path: pending[0]?.path ?? "",
      line: null,
      message: `The files ${row.name} loads here add up to ${wanted.toLocaleString("en")} ${unitWord(budget.unit)}, over its ${budget.total.toLocaleString("en")}: ${budget.description}.`,
    });
  }
  return { entries, budgetView: budget ? { ...budget, used: wanted, over } : null };
}

/** A repository read once per commit: every answer for one of its directories reuses it. */
export interface PreparedRepository {
  byPath: ReadonlyMap<string, InstructionSource>;
  sizes: ReadonlyMap<string, number | null>;
  /** Every path, sorted, so a directory's files are one contiguous range. */
  sorted: readonly string[];
  frontmatter: Map<string, ReturnType<typeof readFrontmatter>>;
}

export function prepareRepository(files: readonly InstructionSource[], tree?: readonly TreeFile[]): PreparedRepository {
  const all = tree ?? files.map((f) => ({ path: f.path, size: Buffer.byteLength(f.text) }));
  return {
    byPath: new Map(files.map((f) => [f.path, f])),
    sizes: new Map(all.map((t) => [t.path, t.size])),
    sorted: all.map((t) => t.path).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    frontmatter: new Map(),
  };
}

/** The paths under `prefix`: a binary search for the first, then a scan while they share it. */
function pathsUnder(sorted: readonly string[], prefix: string): string[] {
  if (prefix === "") return sorted as string[];
  return [...startingWith(sorted, prefix)];
}

export function resolveEffectiveInstructions(input: ResolveInput & { prepared?: PreparedRepository }): EffectiveInstructions {
  const row = AGENTS[input.agent];
  if (!row) throw new AppError("bad_request", `Unknown agent "${String(input.agent)}".`);
  const directory = normaliseDirectory(input.directory);
  const { byPath, sizes, sorted, frontmatter } = input.prepared ?? prepareRepository(input.files, input.tree);
  const prefix = directory === "" ? "" : `${directory}/`;
  const inside = pathsUnder(sorted, prefix);
  if (directory !== "" && inside.length === 0) throw new AppError("not_found", `The repository has no directory ${directory}/ at its imported head.`);
  const scope: Scope = { inside, directory, frontmatter };
  const skipped: Skipped[] = [];
  const problems: Problem[] = [];
  const found = discover(row, directory, byPath, scope, skipped, problems);
  const pending = withImports(row, found, byPath, sizes, problems);
  const { entries, budgetView } = applyBudget(row, pending, problems);
  const counted = entries.filter((e) => e.status !== "unreadable");
  const chars = counted.reduce((n, e) => n + (e.chars ?? e.bytes), 0);
  return {
    agent: { id: row.id, name: row.name, precedence: row.precedence, notes: row.notes, docs: row.docs },
    directory,
    entries,
    skipped,
    problems,
    budget: budgetView,
    totals: {
      files: counted.length,
      bytes: counted.reduce((n, e) => n + e.bytes, 0),
      chars,
      loadedBytes: counted.reduce((n, e) => n + e.loadedBytes, 0),
      // About four characters a token for English prose and code; labelled as an estimate wherever shown.
      tokens: Math.ceil(chars / 4),
    },
  };
}
