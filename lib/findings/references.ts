// Repository paths that specs and agent files name, and the code a spec governs: pure
// functions over text, used by the drift checks (lib/findings/drift.ts).
import path from "node:path/posix";
import { parse as parseYaml } from "yaml";

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

/** A repo-relative path from text as written, or null when it does not look like one. */
function asRepoPath(written: string, fromDir: string, relativeOnly: boolean): string | null {
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
  if (!normalised || normalised.startsWith("../") || normalised === "..") return null;
  return dir && !normalised.endsWith("/") ? `${normalised}/` : normalised;
}

/**
 * Paths a Markdown file names: inline code (`src/x.ts`), relative links ([x](../y.md)) and,
 * with `plainText`, bare words with a slash and an extension (task lists write
 * "in src/checkout/session.ts"). Fenced code is skipped: it holds commands, not references.
 */
export function extractPathReferences(markdown: string, opts: { filePath: string; plainText?: boolean }): PathReference[] {
  const fromDir = path.dirname(opts.filePath) === "." ? "" : path.dirname(opts.filePath);
  const found: PathReference[] = [];
  const seen = new Set<string>();
  const add = (written: string, line: number, via: PathReference["via"], relativeOnly: boolean) => {
    const p = asRepoPath(written, fromDir, relativeOnly);
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
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
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

/** A reference that does not resolve, and why it is reported. */
export interface BrokenReference {
  ref: PathReference;
  reason: string;
}

/**
 * The references of one Markdown file that name nothing in the tree: the pure part of the
 * broken-reference check (lib/findings/checks/references.ts adds other repositories).
 */
export function brokenReferences(opts: { filePath: string; text: string; tree: ReadonlySet<string> }): BrokenReference[] {
  const reported = new Set<string>();
  const broken: BrokenReference[] = [];
  for (const ref of extractPathReferences(opts.text, { filePath: opts.filePath })) {
    if (reported.has(ref.path) || referenceExists(ref, opts.tree, opts.filePath)) continue;
    reported.add(ref.path);
    broken.push({ ref, reason: "The path is not in the repository's tree at this commit." });
  }
  return broken;
}
