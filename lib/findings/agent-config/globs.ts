// Globs that scope a rule file to paths: Copilot `applyTo`, Cursor `globs`, Claude Code `paths`.
import { globProblem, globRegex, splitGlobList, startingWith } from "@/lib/paths";
import { fieldLine, type Frontmatter } from "./frontmatter";
import type { ConfigFlavor, ConfigIssue } from "./types";

const GLOB_FIELD: Partial<Record<ConfigFlavor, string>> = {
  "copilot-instructions": "applyTo",
  "cursor-rule": "globs",
  "claude-rule": "paths",
  skill: "paths",
};

// The folder a tool reads these files from; the globs are relative to the folder holding it.
const HOME: Partial<Record<ConfigFlavor, RegExp>> = {
  "copilot-instructions": /(?:^|\/)\.github\/instructions\//,
  "cursor-rule": /(?:^|\/)\.cursor\/rules\//,
  "claude-rule": /(?:^|\/)\.claude\/rules\//,
};

const MATCH_ALL = new Set(["*", "**", "**/*", "**/**"]);

/** The patterns a field holds: a list, or one string of comma-separated patterns (how Copilot and Cursor write them). */
export function patternsOf(value: unknown): string[] | null {
  if (typeof value === "string") return splitGlobList(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.flatMap((v) => splitGlobList(v as string));
  return null;
}

// One repository's rule files share the tree and often their patterns: answers are kept per tree.
const answers = new WeakMap<ReadonlySet<string>, { files: Map<string, string[]>; matches: Map<string, boolean> }>();

/** The folders a pattern names before its first wildcard (`src/app/` of `src/app/**\/*.ts`): only paths below them can match. */
function literalFolder(pattern: string): string {
  const segments = pattern.split("/");
  let folder = "";
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[\]{}()!+@]/.test(segment)) break;
    folder += `${segment}/`;
  }
  return folder;
}

/** Whether a pattern matches a file below `root`; a pattern without a slash also matches a file name at any depth. */
function matchesSome(tree: ReadonlySet<string>, root: string, pattern: string): boolean {
  let cache = answers.get(tree);
  if (!cache) answers.set(tree, (cache = { files: new Map(), matches: new Map() }));
  const key = `${root}\0${pattern}`;
  const known = cache.matches.get(key);
  if (known !== undefined) return known;
  let files = cache.files.get(root);
  if (!files) {
    files = [];
    for (const p of tree) if (p.startsWith(root)) files.push(p.slice(root.length));
    // Sorted by code unit (sort's default), so the paths below a folder are one run found by binary search.
    files.sort();
    cache.files.set(root, files);
  }
  // A bare regex test is several times faster than picomatch's matcher function over a large tree.
  const regex = globRegex(pattern);
  let found = false;
  if (!(regex instanceof Error)) {
    if (!pattern.includes("/")) {
      found = files.some((f) => regex.test(f) || regex.test(f.slice(f.lastIndexOf("/") + 1)));
    } else {
      const folder = literalFolder(pattern);
      for (const file of startingWith(files, folder)) {
        if (regex.test(file)) {
          found = true;
          break;
        }
      }
    }
  }
  cache.matches.set(key, found);
  return found;
}

/** Invalid patterns always; patterns that match no file when the file sits where its tool reads it and the tree is known. */
export function globIssues(flavor: ConfigFlavor, fm: Frontmatter, path: string, tree?: ReadonlySet<string>): ConfigIssue[] {
  const field = GLOB_FIELD[flavor];
  if (!field || fm.kind !== "ok" || fm.data[field] === undefined || fm.data[field] === null) return [];
  // A Cursor rule with alwaysApply: true is in every context whatever its globs say (https://cursor.com/docs/context/rules,
  // "Always Apply"): a dead glob there changes nothing (langfuse's .cursor/rules, decision 028).
  if (flavor === "cursor-rule" && (fm.data.alwaysApply === true || fm.data.alwaysApply === "true")) return [];
  const line = fieldLine(fm, field);
  const patterns = patternsOf(fm.data[field]);
  if (patterns === null) {
    return [
      {
        rule: "agent-glob-invalid",
        line,
        message: `\`${field}\` must be a glob or a list of globs.`,
        suggestion: `Write it as \`${field}: "src/**/*.ts"\`.`,
        evidence: { field },
      },
    ];
  }
  const issues: ConfigIssue[] = [];
  const valid: string[] = [];
  let invalid = 0;
  for (const pattern of patterns) {
    // A committed file may hold any pattern a tool accepts, so only what can never match is reported.
    const problem = globProblem(pattern, { bounded: false, matchable: true });
    if (problem) {
      invalid++;
      issues.push({
        rule: "agent-glob-invalid",
        line,
        message: `\`${field}\` pattern "${pattern}" has ${problem}, so it never matches.`,
        suggestion: 'Write it relative to the project root with forward slashes, e.g. "src/**/*.ts".',
        evidence: { field, pattern, problem },
      });
    } else if (!MATCH_ALL.has(pattern) && globProblem(pattern, { bounded: true, matchable: false }) === null) {
      // A pattern that could backtrack for long is not matched against the tree (a committed file is untrusted input).
      valid.push(pattern);
    }
  }
  const home = HOME[flavor]?.exec(path);
  if (!tree || !home || valid.length === 0) return issues;
  // A nested project (packages/web/.cursor/rules) scopes its globs to its own folder.
  const root = path.slice(0, home.index + (home[0].startsWith("/") ? 1 : 0));
  const dead = valid.filter((pattern) => !matchesSome(tree, root, pattern));
  // A match-all pattern, or one too costly to match, may apply the file; an invalid one never does.
  const noneApplies = dead.length === valid.length && patterns.length === valid.length + invalid;
  // A list written for every extension of a folder that exists (`**/trigger/**/*.ts, ...*.js`) is complete, not stale:
  // only a dead pattern whose folder part no live pattern shares is reported (trigger.dev's writing-tasks.mdc, decision 028).
  const folderOf = (pattern: string) => pattern.slice(0, Math.max(0, pattern.lastIndexOf("/")));
  const liveFolders = new Set(patterns.filter((p) => !dead.includes(p) && globProblem(p, { bounded: false, matchable: true }) === null).map(folderOf));
  for (const pattern of dead.filter((p) => !liveFolders.has(folderOf(p)))) {
    issues.push({
      rule: "agent-glob-no-match",
      line,
      message: noneApplies
        ? `\`${field}\` pattern "${pattern}" matches no file in the repository, so ${path} never applies.`
        : `\`${field}\` pattern "${pattern}" matches no file in the repository; ${path} applies only through its other patterns.`,
      suggestion: "Point it at the paths it is meant for (they may have moved), or remove the file if the code is gone.",
      evidence: { field, pattern, root: root || "." },
    });
  }
  return issues;
}
