// Which files are tests, and which lines of them name a requirement, as pure functions
// (docs/decisions/034-requirements.md).

/** git pathspecs of test files: the usual names and folders of JavaScript, TypeScript, Python and Go tests; never Markdown. */
export const TEST_PATHSPECS = [
  ":(glob)**/*.test.*",
  ":(glob)**/*_test.*",
  ":(glob)**/test_*.py",
  ":(glob)**/tests/**",
  ":(glob)**/__tests__/**",
  ":(glob)**/*.spec.ts",
  ":(glob)**/*.spec.tsx",
  ":(glob)**/*.spec.js",
  ":(glob)**/*.spec.jsx",
  ":(exclude,glob)**/*.md",
  ":(exclude,glob)**/*.markdown",
];

/** The ids a test line may carry (what `git grep -E` is asked for). */
export const MENTION_PATTERN = String.raw`(FR|NFR|SC|REQ)-[0-9]+`;

export interface TestMention {
  path: string;
  line: number;
  key: string;
  how: "annotation" | "mention";
  /** The feature the id is qualified with (`001-login` in `001-login:FR-001`, `specs/001-login` in `specs/001-login:FR-001`); "" for a bare id. */
  feature: string;
}

/**
 * An id as a test names it, bare (`FR-001`) or qualified with its feature's folder, or any
 * trailing part of that folder's path, before a colon: `001-login:FR-001`, `specs/001-login:FR-001`.
 */
const QUALIFIED_ID = /(?<![\w./-])(?:([A-Za-z0-9_.][\w./-]{0,199}):)?\b((?:FR|NFR|SC|REQ)-\d{1,6}(?:\.\d{1,4})*)\b/g;

/** The feature qualifiers a spec at `specPath` answers to: its folder and each trailing part of it ("" for bare ids too). */
export function featureQualifiers(specPath: string): string[] {
  const parts = specPath.split("/").slice(0, -1);
  return ["", ...parts.map((_, i) => parts.slice(i).join("/"))];
}

/** Mentions per file at most: a generated fixture full of ids is not a thousand tests. */
export const MAX_MENTIONS_PER_FILE = 500;

/** True for a path the scan reads (the same rules as TEST_PATHSPECS). */
export function isTestPath(path: string): boolean {
  if (/\.(md|markdown)$/i.test(path)) return false;
  const name = path.slice(path.lastIndexOf("/") + 1);
  return (
    /\.test\.[^/]+$/.test(name) ||
    /_test\.[^/]+$/.test(name) ||
    /^test_.*\.py$/.test(name) ||
    /\.spec\.(ts|tsx|js|jsx)$/.test(name) ||
    /(^|\/)(tests|__tests__)\//.test(path)
  );
}

/** The requirement ids one line of a test names: `@req FR-001` is an annotation, any other mention (a test name, a comment) a mention. */
export function mentionsInLine(path: string, line: number, text: string): TestMention[] {
  const how = /@req\b/.test(text) ? "annotation" : "mention";
  const seen = new Set<string>();
  const out: TestMention[] = [];
  for (const m of text.slice(0, 2000).matchAll(QUALIFIED_ID)) {
    const feature = (m[1] ?? "").replace(/^\.\//, "").replace(/\/+$/, "");
    const key = m[2];
    if (seen.has(`${feature}:${key}`)) continue;
    seen.add(`${feature}:${key}`);
    out.push({ path, line, key, how, feature });
  }
  return out;
}

/** Bytes of one grep line kept at most: a minified fixture's megabyte line is read past, never held. */
export const MAX_LINE_BYTES = 8_192;
/** Bytes of the path and line-number fields kept at most (git paths are far shorter). */
const MAX_FIELD_BYTES = 4_096;

/**
 * Reads `git grep -z -n` output (`<rev>:<path>\0<line>\0<text>\n` per line) chunk by chunk, as
 * git writes it: each line's text is kept up to MAX_LINE_BYTES and the rest skipped, and a file's
 * lines past MAX_MENTIONS_PER_FILE mentions are skipped, so memory stays bounded whatever the
 * test files hold. `push` returns the mentions completed by a chunk; `end` those of the last line.
 */
export class GrepMentionParser {
  private field = 0;
  private parts: Buffer[] = [];
  private kept = 0;
  private where = "";
  private lineNo = "";
  private readonly perFile = new Map<string, number>();

  constructor(private readonly rev: string) {}

  /** Bytes of the current line held so far (what the limits bound). */
  get heldBytes(): number {
    return this.kept;
  }

  push(chunk: Buffer): TestMention[] {
    const out: TestMention[] = [];
    let at = 0;
    while (at < chunk.length) {
      const stop = this.field < 2 ? chunk.indexOf(0, at) : chunk.indexOf(10, at);
      const end = stop === -1 ? chunk.length : stop;
      this.keep(chunk.subarray(at, end));
      if (stop === -1) break;
      this.close(out);
      at = stop + 1;
    }
    return out;
  }

  end(): TestMention[] {
    const out: TestMention[] = [];
    if (this.field === 2) this.close(out);
    return out;
  }

  private keep(bytes: Buffer) {
    const room = (this.field < 2 ? MAX_FIELD_BYTES : MAX_LINE_BYTES) - this.kept;
    if (room <= 0 || bytes.length === 0) return;
    const taken = bytes.length > room ? bytes.subarray(0, room) : bytes;
    // A copy: the chunk's memory is git's pipe buffer, reused after this call.
    this.parts.push(Buffer.from(taken));
    this.kept += taken.length;
  }

  private close(out: TestMention[]) {
    const value = Buffer.concat(this.parts).toString("utf8");
    this.parts = [];
    this.kept = 0;
    if (this.field === 0) {
      this.where = value.startsWith(`${this.rev}:`) ? value.slice(this.rev.length + 1) : value;
      this.field = 1;
      return;
    }
    if (this.field === 1) {
      this.lineNo = value;
      this.field = 2;
      return;
    }
    this.field = 0;
    const line = Number(this.lineNo);
    if (!this.where || !/^[0-9]+$/.test(this.lineNo) || !Number.isSafeInteger(line) || line < 1) return;
    const count = this.perFile.get(this.where) ?? 0;
    const room = MAX_MENTIONS_PER_FILE - count;
    if (room <= 0) return;
    const found = mentionsInLine(this.where, line, value).slice(0, room);
    out.push(...found);
    this.perFile.set(this.where, count + found.length);
  }
}

/**
 * Parses `git grep -z -n` output over a tree (`<rev>:<path>\0<line>\0<text>` per line) into
 * mentions, at most MAX_MENTIONS_PER_FILE per file. Lines it cannot read are skipped.
 */
export function parseGrepOutput(output: string, rev: string): TestMention[] {
  const parser = new GrepMentionParser(rev);
  return [...parser.push(Buffer.from(output, "utf8")), ...parser.end()];
}

export type LinkStatus = "verified" | "unverified" | "suspect";

/** A requirement with no test is unverified; one changed after every linked test last changed is suspect. */
export function linkStatus(requirementChangedAt: Date, testsChangedAt: readonly Date[]): LinkStatus {
  if (testsChangedAt.length === 0) return "unverified";
  return testsChangedAt.some((t) => t.getTime() >= requirementChangedAt.getTime()) ? "verified" : "suspect";
}
