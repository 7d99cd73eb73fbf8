import path from "node:path";
import picomatch from "picomatch";

/** Where Specledger keeps its files (mirror clones, demo repositories): git-ignored. */
export function dataDir(): string {
  return process.env.SPECLEDGER_DATA_DIR ?? path.join(process.cwd(), ".data");
}

/** Which rules a glob is held to; each caller says which apply (see globProblem). */
export interface GlobRules {
  /**
   * The server matches it on request: at most 500 characters and three wildcards per path segment.
   * Globs become regular expressions, and a segment with many `*` (`*a*a*a*a*b`) backtracks
   * exponentially on a long path; three keep matching cheap whatever the path.
   */
  bounded: boolean;
  /** It must be able to match a repository path as written: not empty, no backslash, not absolute or ./-relative, brackets balanced, valid for picomatch. */
  matchable: boolean;
}

/** Typed by a user and matched by the server (budgets, subscriptions, suppressions): every rule. */
export const TYPED_GLOB: GlobRules = { bounded: true, matchable: true };

const PICOMATCH = { dot: true, windows: false } as const;

// Lint runs the same patterns over many files (`**/*.ts` in every rule file): compiled once per process, bounded.
const compiled = new Map<string, RegExp | Error>();

/** A glob as picomatch compiles it (dotfiles match, forward slashes), or the error picomatch throws. */
export function globRegex(glob: string): RegExp | Error {
  let regex = compiled.get(glob);
  if (regex === undefined) {
    try {
      regex = picomatch.makeRe(glob, PICOMATCH);
    } catch (error) {
      regex = error instanceof Error ? error : new Error(String(error));
    }
    if (compiled.size >= 4_096) compiled.clear();
    compiled.set(glob, regex);
  }
  return regex;
}

/** Why a glob breaks one of `rules`, as a phrase that completes "the pattern has …", or null. */
export function globProblem(glob: string, rules: GlobRules): string | null {
  if (rules.matchable) {
    if (glob === "") return "an empty pattern (a stray comma?)";
    if (glob.includes("\\")) return "a backslash; globs use forward slashes";
    if (glob.startsWith("/")) return "an absolute path; globs are relative to the project root";
    if (/^\.\.?\//.test(glob)) return `a leading "${glob.startsWith("./") ? "./" : "../"}"; the tools match paths without it`;
  }
  if (rules.bounded) {
    if (glob.length > 500) return "more than 500 characters";
    for (const segment of glob.split("/")) {
      if (segment === "**") continue;
      if ((segment.match(/[*?]/g) ?? []).length > 3) return `more than three wildcards in "${segment}"; split it into path segments`;
    }
  }
  if (rules.matchable) {
    let braces = 0;
    let brackets = 0;
    for (const ch of glob) {
      if (ch === "{") braces++;
      if (ch === "}") braces--;
      if (ch === "[") brackets++;
      if (ch === "]") brackets--;
      if (braces < 0 || brackets < 0) return "a closing bracket without its opening one";
    }
    if (braces !== 0 || brackets !== 0) return "an unclosed { or [";
    const regex = globRegex(glob);
    if (regex instanceof Error) return regex.message;
  }
  return null;
}

/** A typed glob's refusal as a sentence for a form or an API answer, or null when it is usable. */
export function typedGlobRefusal(glob: string): string | null {
  const problem = globProblem(glob, TYPED_GLOB);
  return problem === null ? null : `Not a usable glob: it has ${problem}.`;
}

/**
 * A comma-separated glob list (how Copilot, Cursor and Kiro write `applyTo` and `globs`) split on
 * the commas outside braces, so `**\/*.{ts,tsx}` stays one pattern. Entries are trimmed; empty
 * ones are kept, so a stray comma can be reported.
 */
export function splitGlobList(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "{") depth++;
    if (ch === "}") depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  parts.push(current.trim());
  return parts;
}

/** The entries of a list sorted by code unit that start with `prefix`, in order: a binary search for the first, then a scan. */
export function* startingWith(sorted: readonly string[], prefix: string): Generator<string> {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < prefix) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < sorted.length && sorted[i].startsWith(prefix); i++) yield sorted[i];
}
