// Which files are tests, and which lines of them name a requirement, as pure functions
// (docs/decisions/034-requirements.md).
import { mentionedKeys } from "./extract";

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
  return mentionedKeys(text.slice(0, 2000)).map((key) => ({ path, line, key, how }));
}

/**
 * Parses `git grep -z -n` output over a tree (`<rev>:<path>\0<line>\0<text>` per line) into
 * mentions, at most MAX_MENTIONS_PER_FILE per file. Lines it cannot read are skipped.
 */
export function parseGrepOutput(output: string, rev: string): TestMention[] {
  const out: TestMention[] = [];
  const perFile = new Map<string, number>();
  for (const record of output.split("\n")) {
    const [where, lineText, ...rest] = record.split("\u0000");
    if (!where || !lineText || rest.length === 0) continue;
    const path = where.startsWith(`${rev}:`) ? where.slice(rev.length + 1) : where;
    const line = Number(lineText);
    if (!Number.isInteger(line) || line < 1) continue;
    const found = mentionsInLine(path, line, rest.join("\u0000"));
    const count = perFile.get(path) ?? 0;
    const room = MAX_MENTIONS_PER_FILE - count;
    if (room <= 0) continue;
    out.push(...found.slice(0, room));
    perFile.set(path, count + Math.min(room, found.length));
  }
  return out;
}

export type LinkStatus = "verified" | "unverified" | "suspect";

/** A requirement with no test is unverified; one changed after every linked test last changed is suspect. */
export function linkStatus(requirementChangedAt: Date, testsChangedAt: readonly Date[]): LinkStatus {
  if (testsChangedAt.length === 0) return "unverified";
  return testsChangedAt.some((t) => t.getTime() >= requirementChangedAt.getTime()) ? "verified" : "suspect";
}
