// Repository paths that specs and agent files name, and the code a spec governs: pure
// functions over text, used by the drift checks (lib/findings/drift.ts).
import ignore from "ignore";
import path from "node:path/posix";
import { parse as parseYaml } from "yaml";
import { inlineSuppressions, silencedInline } from "./suppress";

export interface PathReference {
  /** Repo-relative POSIX path, without `./`; a trailing `/` marks a directory. */
  path: string;
  /** The text as written. */
  written: string;
  line: number;
  via: "code" | "link" | "text";
}

const FENCE = /^\s{0,3}(```|~~~)/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// Placeholders and patterns, not paths: globs, templates, ellipses, NNN-style slots.
const NOT_A_PATH = /[*?{}[\]<>$%|\\"'`=,;()\s]|\.\.\.|(?:^|\/)(?:N{2,}|X{3,})(?:[-_./]|$)/;
const FILE_LIKE = /\.[A-Za-z0-9]{1,8}$/;

/**
 * A repo-relative path from text as written, or null when it does not look like one. With
 * `keepExternal`, a path that leaves the repository (`../other-repo/x`) is kept, starting `../`.
 */
function asRepoPath(written: string, fromDir: string, relativeOnly: boolean, keepExternal = false): string | null {
  let target = written.trim().replace(/(?::\d+(?::\d+)?|#L\d+(?:-L?\d+)?)$/, "");
  if (!target || SCHEME.test(target) || target.startsWith("#") || target.startsWith("@") || target.startsWith("~")) return null;
  if (NOT_A_PATH.test(target)) return null;
  const dir = target.endsWith("/");
  const explicit = target.startsWith("./") || target.startsWith("../");
  if (target.startsWith("/")) {
    // `/src/x.ts` in a doc means the repository root; absolute machine paths are lint's business.
    if (/^\/(?:home|Users|usr|etc|var|tmp|opt)\//.test(target)) return null;
    target = target.slice(1);
  } else if (explicit || relativeOnly) {
    target = path.join(fromDir, target);
  }
  if (!explicit && !relativeOnly && !target.includes("/")) return null; // a bare name like `spec.md` is a mention, not a location
  if (!dir && !FILE_LIKE.test(target) && !explicit && !relativeOnly) return null; // `application/json`, `owner/team`
  const normalised = path.normalize(target).replace(/^\.(?:\/|$)/, "");
  if (!normalised || normalised === "..") return null;
  if (normalised.startsWith("../")) return keepExternal && normalised.length > 3 ? normalised : null;
  return dir && !normalised.endsWith("/") ? `${normalised}/` : normalised;
}

/**
 * Paths a Markdown file names: inline code (`src/x.ts`), relative links ([x](../y.md)) and,
 * with `plainText`, bare words with a slash and an extension (task lists write
 * "in src/checkout/session.ts"). Fenced code is skipped: it holds commands, not references.
 */
export function extractPathReferences(markdown: string, opts: { filePath: string; plainText?: boolean; keepExternal?: boolean }): PathReference[] {
  const fromDir = path.dirname(opts.filePath) === "." ? "" : path.dirname(opts.filePath);
  const found: PathReference[] = [];
  const seen = new Set<string>();
  const add = (written: string, line: number, via: PathReference["via"], relativeOnly: boolean) => {
    const p = asRepoPath(written, fromDir, relativeOnly, opts.keepExternal);
    if (!p || seen.has(`${p}\n${line}`)) return;
    seen.add(`${p}\n${line}`);
    found.push({ path: p, written, line, via });
  };
  let inFence = false;
  markdown.split(/\r?\n/).forEach((text, i) => {
    if (FENCE.test(text)) {
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    const line = i + 1;
    for (const m of text.matchAll(/`([^`\n]+)`/g)) add(m[1], line, "code", false);
    // A link written inside inline code (`[T02](2-stride.md)`) shows a format; it links nothing.
    for (const m of text.replace(/`[^`\n]+`/g, " ").matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1].split(/[?#]/)[0];
      if (target) add(decodeURI(target), line, "link", !target.startsWith("/"));
    }
    if (opts.plainText) {
      const prose = text.replace(/`[^`\n]*`/g, " ").replace(/\]\([^)]*\)/g, "]");
      for (const m of prose.matchAll(/(?:^|[\s(])((?:[\w.-]+\/)+[\w.-]+\.[A-Za-z0-9]{1,8})(?=$|[\s),.;:])/g)) add(m[1], line, "text", false);
    }
  });
  return found;
}

/** Whether a reference names something in the tree (files and directories, repo-relative). */
export function referenceExists(ref: PathReference, tree: ReadonlySet<string>, filePath: string): boolean {
  const bare = ref.path.replace(/\/$/, "");
  if (tree.has(bare)) return true;
  // Inline code is often written relative to the file's own folder (a nested AGENTS.md).
  if (ref.via !== "link") {
    const dir = path.dirname(filePath);
    if (dir !== "." && tree.has(path.join(dir, bare))) return true;
  }
  return false;
}

/** Front matter as an object, or null when there is none or it does not parse. */
export function frontMatter(markdown: string): Record<string, unknown> | null {
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(markdown);
  if (!m) return null;
  try {
    const value = parseYaml(m[1]);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export interface GovernedPaths {
  source: "front matter" | "tasks and design" | "feature folder";
  /** git pathspecs (with `:(glob)` magic) selecting the governed code. */
  pathspecs: string[];
  /** What a person reads: the globs or paths. */
  describe: string[];
}

/**
 * What code a spec governs: its front matter's `governs:` globs; failing that, the paths its
 * feature's tasks and design name; failing that, the source tree beside its feature folder
 * (the folder holding `specs/`, minus the specs and Markdown). Null when none applies.
 */
export function governedPaths(opts: {
  specPath: string;
  text: string;
  featureKey: string | null;
  /** The feature's other files (tasks, plan, design) with their texts. */
  siblings: { path: string; kind: string; text: string }[];
}): GovernedPaths | null {
  const governs = frontMatter(opts.text)?.governs;
  const globs = (Array.isArray(governs) ? governs : typeof governs === "string" ? [governs] : [])
    .filter((g): g is string => typeof g === "string" && g.trim().length > 0)
    .map((g) => g.trim().replace(/^\.?\//, ""));
  if (globs.length > 0) return { source: "front matter", pathspecs: globs.map((g) => `:(glob)${g}`), describe: globs };
  if (!opts.featureKey) return null;
  const named = new Set<string>();
  for (const sibling of opts.siblings) {
    if (sibling.kind !== "tasks" && sibling.kind !== "plan") continue;
    for (const ref of extractPathReferences(sibling.text, { filePath: sibling.path, plainText: true })) {
      if (ref.path.startsWith(opts.featureKey + "/") || ref.path.endsWith(".md")) continue;
      named.add(ref.path);
    }
  }
  if (named.size > 0) {
    const paths = [...named].sort();
    return { source: "tasks and design", pathspecs: paths.map((p) => `:(literal)${p.replace(/\/$/, "")}`), describe: paths };
  }
  // specs/001-x or services/a/specs/001-x: the code lives beside the specs folder.
  const specsDir = path.dirname(opts.featureKey);
  const base = path.dirname(specsDir) === "." ? "" : `${path.dirname(specsDir)}/`;
  if (specsDir.split("/").some((s) => s.startsWith(".") && s !== ".")) {
    // .kiro/specs/x: the code is the repository around the hidden folder.
    const hidden = specsDir.split("/").findIndex((s) => s.startsWith("."));
    const root = specsDir.split("/").slice(0, hidden).join("/");
    const prefix = root ? `${root}/` : "";
    return {
      source: "feature folder",
      pathspecs: [`:(glob)${prefix}**`, `:(exclude,glob)${prefix}.*/**`, ":(exclude,glob)**/*.md"],
      describe: [`${prefix || "(repository root)"} except hidden folders and Markdown`],
    };
  }
  return {
    source: "feature folder",
    pathspecs: [`:(glob)${base}**`, `:(exclude,glob)${specsDir}/**`, ":(exclude,glob)**/*.md"],
    describe: [`${base || "(repository root)"} except ${specsDir}/ and Markdown`],
  };
}

/**
 * The part of a spec's governance its authors wrote down: `governs:` globs, or the *files* its
 * feature's tasks and plan name. Null for the rest, which is inferred: the fallback (the source
 * tree beside the specs folder) governs nearly every path of a Spec Kit repository, and so do the
 * bare folders of Spec Kit's "Path Conventions" section (`src/`, `tests/`); with them every code
 * commit made every such spec stale (decision 048). A glob with more than three `*` in a segment
 * is refused, as in .specledger.yml: its regular expression can backtrack.
 */
export function declaredGovernance(governs: GovernedPaths): GovernedPaths | null {
  if (governs.source === "front matter") {
    return governs.pathspecs.some((p) => p.split("/").some((segment) => (segment.match(/\*/g)?.length ?? 0) > 3)) ? null : governs;
  }
  if (governs.source !== "tasks and design") return null;
  const isFile = (p: string) => /\.[A-Za-z0-9]+$/.test(p.split("/").pop() ?? "");
  const pathspecs = governs.pathspecs.filter(isFile);
  return pathspecs.length > 0 ? { source: governs.source, pathspecs, describe: governs.describe.filter(isFile) } : null;
}

/** A reference that does not resolve, and why it is reported. */
export interface BrokenReference {
  ref: PathReference;
  reason: string;
}

/** What one file's references come to: the ones to report, and those that leave the repository. */
export interface ReferenceCheck {
  broken: BrokenReference[];
  /** `../sibling-repo/x`: outside this repository, so nothing here can confirm or refute it. */
  external: PathReference[];
}

/** The repository at one commit, as the broken-reference check sees it. */
export interface ReferenceScope {
  /** Every path (files and folders) at the commit. */
  tree: ReadonlySet<string>;
  /** The text of every .gitignore at the commit, by folder ("" for the root). */
  gitignores?: Readonly<Record<string, string>>;
}

/** Whether .gitignore files (by folder, "" the root) ignore a repo-relative path; a folder ends in `/`. */
export function gitignoreMatcher(gitignores: Readonly<Record<string, string>>): (repoPath: string) => boolean {
  const rules = Object.entries(gitignores).map(([dir, text]) => ({ dir, ig: ignore().add(text) }));
  return (repoPath) =>
    rules.some(({ dir, ig }) => {
      if (dir && !repoPath.startsWith(`${dir}/`)) return false;
      const relative = dir ? repoPath.slice(dir.length + 1) : repoPath;
      if (!relative || relative.startsWith("/") || relative.startsWith("..")) return false;
      try {
        return ig.ignores(relative);
      } catch {
        return false; // a path `ignore` cannot judge (it never names a checked-in file)
      }
    });
}

// Where agent tools keep their configuration in whatever project they run in. A file describing
// `.claude/settings.json` or `.github/prompts/` names a convention, not a file of this repository.
const TOOL_CONFIG =
  /^(?:\.(?:claude|cursor|vscode|continue|specify|goose|codex|opencode|windsurf|gemini|kiro|agents?|roo|amazonq|clinerules|cline|kilocode|qwen|augment|junie|trae|zed|copilot|aider[\w.-]*|mcp\.json)|\.github\/(?:agents|prompts|instructions|chatmodes|skills|copilot-instructions\.md))(?:\/|$)/;

// Files written to be installed into other projects (a catalogue's skills, agents, instructions,
// commands): their paths describe the project they are installed in. A dot-folder parent
// (`.claude/skills/`, `.github/instructions/`) marks the repository's own configuration instead.
const DISTRIBUTED = /(?:^|\/)(?<![.][\w-]*\/)(?:skills|plugins|agents|instructions|prompts|commands|templates|chatmodes)\//;

// Placeholders written as paths: `path/to/x`, `foo/`, `your-app/`, `SKILL_NAME/`, a bare `link`.
const PLACEHOLDER_PATH = /^(?:path\/to\/|(?:link|url|path|file|folder|dir)$)/i;
const PLACEHOLDER_SEGMENT = /^(?:foo|bar|baz|qux|quux|xxx|yyy|(?:your|my|some)[-_].*)$/i;
const PLACEHOLDER_CAPITALS = /^[A-Z]+(?:_[A-Z]+)+$/;

// Git branch prefixes (`feat/`, `fix/2653-paths`), not folders.
const BRANCH_PREFIX = /^(?:feat|fix|chore|feature|features|bugfix|hotfix|refactor|perf|release|releases)$/;

// "Do not create files like `src/x.ts`": an example of what must not exist.
const NEGATIVE_EXAMPLE =
  /\b(?:do not|don't|never|avoid|no separate|instead of)\s+(?:\w+\s+)?(?:create|add|put|write|make|introduce|generate|hand-edit|edit)\b/i;
// "see `docs/x.md` in that repo": a path of another repository.
const OTHER_REPOSITORY = /\b(?:that|other|another|sibling|separate|upstream|their) repo(?:sitory)?\b/i;

/** Path-like names a line mentions (inline code and bare words), cut at the first placeholder segment. */
function namedFolders(text: string): { name: string; open: boolean }[] {
  const found: { name: string; open: boolean }[] = [];
  const words = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  words.push(...[...text.replace(/`[^`\n]*`/g, " ").matchAll(/(?:^|[\s(])((?:[\w.@-]+\/)+[\w.@*\\-]*)/g)].map((m) => m[1]));
  for (const word of words) {
    const segments = word
      .trim()
      .replace(/^\.?\//, "")
      .split("/");
    const kept: string[] = [];
    let open = false;
    for (const segment of segments) {
      if (!/^[\w.@-]+$/.test(segment) || segment === "..") {
        open = segment !== "";
        break;
      }
      kept.push(segment);
    }
    if (kept.length > 0 && kept.join("/").length > 1) found.push({ name: kept.join("/"), open });
  }
  return found;
}

/** Runs of one to three words of a heading as folder names ("Modifying System Prompt" names `system-prompt`). */
function headingNames(heading: string): string[] {
  const words = heading
    .toLowerCase()
    .replace(/`[^`]*`/g, " ")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const names: string[] = [];
  for (let n = 1; n <= 3; n++)
    for (let i = 0; i + n <= words.length; i++) {
      const run = words.slice(i, i + n);
      if (run.join("").length > 3) names.push(run.join("-"), run.join("_"));
    }
  return names;
}

interface LineContext {
  /** Folders named on the line, in its parent list items and in its headings. */
  named: { name: string; open: boolean }[];
  /** Folder names spelled out in the headings above the line. */
  headingWords: string[];
  headingText: string;
}

/** For each line, what its parent list items and headings name: paths in lists are often relative to them. */
function lineContexts(markdown: string): LineContext[] {
  const headings: { level: number; text: string }[] = [];
  let items: { indent: number; text: string }[] = [];
  let inFence = false;
  return markdown.split(/\r?\n/).map((text) => {
    if (FENCE.test(text)) inFence = !inFence;
    if (!inFence) {
      const heading = /^\s{0,3}(#{1,6})\s+(.*)$/.exec(text);
      const item = /^(\s*)(?:[-*+]|\d{1,9}[.)])\s+/.exec(text);
      if (heading) {
        while (headings.length > 0 && headings.at(-1)!.level >= heading[1].length) headings.pop();
        headings.push({ level: heading[1].length, text: heading[2] });
        items = [];
      } else if (item) {
        while (items.length > 0 && items.at(-1)!.indent >= item[1].length) items.pop();
        items.push({ indent: item[1].length, text });
      } else if (text.trim() && !/^\s/.test(text)) items = [];
    }
    const around = [text, ...items.map((i) => i.text), ...headings.map((h) => h.text)];
    return {
      named: around.flatMap(namedFolders),
      headingWords: headings.flatMap((h) => headingNames(h.text)),
      headingText: headings.map((h) => h.text).join(" "),
    };
  });
}

/** Tree paths by their last segment (lower case), to find folders a file names by a suffix. */
function byLastSegment(tree: ReadonlySet<string>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const p of tree) {
    const key = p.slice(p.lastIndexOf("/") + 1).toLowerCase();
    const list = index.get(key);
    if (list) list.push(p);
    else index.set(key, [p]);
  }
  return index;
}

const indexes = new WeakMap<ReadonlySet<string>, Map<string, string[]>>();
function indexOf(tree: ReadonlySet<string>) {
  let index = indexes.get(tree);
  if (!index) indexes.set(tree, (index = byLastSegment(tree)));
  return index;
}

/**
 * Why a reference that is not in the tree is still not broken, or null when it is. Each answer
 * is a cause of false alarms found on the lint corpus (docs/decisions/028-lint-corpus.md).
 */
function notBrokenBecause(
  ref: PathReference,
  filePath: string,
  lineText: string,
  context: LineContext,
  scope: ReferenceScope,
  ignored: (p: string) => boolean,
): string | null {
  const bare = ref.path.replace(/\/$/, "");
  const asWritten = (p: string) => (ref.path.endsWith("/") ? `${p}/` : p);
  const segments = bare.split("/");
  if (PLACEHOLDER_PATH.test(bare) || segments.some((s) => PLACEHOLDER_SEGMENT.test(s) || PLACEHOLDER_CAPITALS.test(s))) return "a placeholder";
  if (BRANCH_PREFIX.test(segments[0]) && !scope.tree.has(segments[0])) return "a git branch name";
  if (/\bbranch(?:es)?\b/i.test(`${lineText} ${context.headingText}`) && !scope.tree.has(segments[0])) return "a git branch name";
  if (ignored(asWritten(bare)) || ignored(bare)) return "ignored by .gitignore (generated or local)";
  const fileDir = path.dirname(filePath) === "." ? "" : path.dirname(filePath);
  if (ref.via !== "link") {
    // Relative to a folder above the file: `pydantic_ai/settings.py` from pydantic_ai_slim/pydantic_ai/models/.
    for (let dir = fileDir; dir; dir = path.dirname(dir) === "." ? "" : path.dirname(dir)) {
      if (scope.tree.has(`${dir}/${bare}`)) return "relative to a folder above the file";
    }
    // Relative to a folder named on the line, in a parent list item or in a heading.
    const index = indexOf(scope.tree);
    const candidates = index.get(segments.at(-1)!.toLowerCase()) ?? [];
    for (const { name, open } of context.named.filter((n) => n.name !== bare)) {
      if (ignored(asWritten(`${name}/${bare}`))) return "inside an ignored folder named beside it";
      const folders = [name, ...(index.get(name.slice(name.lastIndexOf("/") + 1).toLowerCase()) ?? []).filter((p) => p.endsWith(`/${name}`))];
      for (const folder of folders) {
        if (scope.tree.has(`${folder}/${bare}`)) return `relative to ${folder}/, named beside it`;
        if (open && candidates.some((c) => c.startsWith(`${folder}/`) && c.endsWith(`/${bare}`))) return `inside ${folder}/, named beside it`;
      }
    }
    for (const word of context.headingWords) {
      const folders = (index.get(word) ?? []).filter((p) => scope.tree.has(`${p}/${bare}`));
      if (folders.length > 0) return `relative to ${folders[0]}/, named by the heading`;
    }
    if (TOOL_CONFIG.test(bare)) return "a tool's configuration location, as in any project";
    if (DISTRIBUTED.test(filePath)) return "describes the project the file is installed in";
    if (NEGATIVE_EXAMPLE.test(lineText)) return "an example of what not to create";
  }
  if (OTHER_REPOSITORY.test(lineText)) return "a path in another repository";
  return null;
}

// One matcher per set of .gitignore texts: the check calls brokenReferences once per file.
const matchers = new WeakMap<Readonly<Record<string, string>>, (repoPath: string) => boolean>();
function matcherOf(gitignores: Readonly<Record<string, string>>) {
  let matcher = matchers.get(gitignores);
  if (!matcher) matchers.set(gitignores, (matcher = gitignoreMatcher(gitignores)));
  return matcher;
}

/**
 * The references of one Markdown file that name nothing at the commit: the pure part of the
 * broken-reference check (lib/findings/checks/references.ts adds other imported repositories).
 * Each is reported once per file, at its first line.
 */
export function brokenReferences(opts: { filePath: string; text: string } & ReferenceScope): ReferenceCheck {
  const ignored = matcherOf(opts.gitignores ?? {});
  const lines = opts.text.split(/\r?\n/);
  let contexts: LineContext[] | null = null;
  const seen = new Set<string>();
  const result: ReferenceCheck = { broken: [], external: [] };
  const silenced = opts.text.includes("specledger-disable") ? inlineSuppressions(opts.text) : null;
  for (const ref of extractPathReferences(opts.text, { filePath: opts.filePath, keepExternal: true })) {
    if (seen.has(ref.path)) continue;
    seen.add(ref.path);
    if (ref.path.startsWith("../")) {
      result.external.push(ref);
      continue;
    }
    if (referenceExists(ref, opts.tree, opts.filePath)) continue;
    if (silenced && silencedInline(silenced, "broken-reference", ref.line)) continue;
    contexts ??= lineContexts(opts.text);
    const lineText = lines[ref.line - 1] ?? "";
    if (notBrokenBecause(ref, opts.filePath, lineText, contexts[ref.line - 1], opts, ignored)) continue;
    result.broken.push({
      ref,
      reason: `Not in the repository at this commit, not relative to ${path.dirname(opts.filePath) === "." ? "the root" : `${path.dirname(opts.filePath)}/ or a folder above it`}, and not ignored by .gitignore.`,
    });
  }
  return result;
}
