// `specledger lint [paths...]`: the import's lint rules on a working tree, without a server
// (decision 040). Reads .specledger.yml at the root and every .gitignore on the way down, prints
// text, JSON or SARIF 2.1.0, and with --fix applies the safe fixes (lib/findings/fix.ts) to the
// files it reports on. Exit codes: 0 no finding at error severity, 1 at least one, 2 usage.
import fs from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import ignore, { type Ignore } from "ignore";
import { sarifLog } from "@/lib/checks/report";
import { fixFile } from "@/lib/findings/fix";
import { comparePaths, hasErrors, lintWorkingTree, type LocalFile, type LocalFinding } from "@/lib/findings/local";
import { REPO_CONFIG_PATH, parseRepoConfig } from "@/lib/findings/suppress";
import { classifyPath, kindRulesFromEnv } from "@/lib/specs/kinds";
import { CliExit, EXIT } from "../exit";

import { cliVersion as version } from "../version";

/** Walking stops here: a tree this big is named by paths, not linted whole by accident. */
export const MAX_WALKED_ENTRIES = 200_000;
/** A governed file bigger than this is not instructions; reading it could only cost memory. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

const HELP = `
Lints the governed files (specs and agent files: AGENTS.md, CLAUDE.md, SKILL.md, subagents, prompts,
rules, .claude/settings.json, MCP configurations) under the given paths, or the whole tree, with
the rules the import runs. Files ignored by .gitignore and the .git folder are skipped; findings
are silenced by <!-- specledger-disable... --> comments and .specledger.yml, as in the app.

--fix rewrites only the files it reports on, and only with fixes whose result is certain:
an unquoted ** glob in front matter is quoted; a SKILL.md field outside the specification
(version, author...) moves under metadata. Run it twice: the second run changes nothing.

Exit codes: 0 no finding at error severity, 1 at least one finding at error severity,
2 usage (a path that does not exist or lies outside --dir, an unknown --format).`;

type LintOptions = { format: "text" | "json" | "sarif"; output?: string; fix?: boolean; dir?: string };

export function lintCommand(): Command {
  return new Command("lint")
    .description("lint the specs and agent files of a working tree, with the rules the import runs (no server needed)")
    .argument("[paths...]", "files or folders to lint (default: the whole tree under --dir)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif"]).default("text"))
    .option("--output <file>", "write the --format output to this file instead of stdout")
    .option("--fix", "apply the safe fixes to the files, then report what is left")
    .option("--dir <path>", "the repository's root, where .specledger.yml is read (default: the current directory)")
    .addHelpText("after", HELP)
    .action(lint);
}

async function lint(paths: string[], opts: LintOptions) {
  const root = path.resolve(opts.dir ?? ".");
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new CliExit(EXIT.usage, `--dir ${root} is not a folder.`);
  const scopes = paths.map((p) => {
    const absolute = path.resolve(p);
    const relative = path.relative(root, absolute).split(path.sep).join("/");
    if (relative.startsWith("..") || path.isAbsolute(relative)) throw new CliExit(EXIT.usage, `${p} is outside ${root}.`);
    if (!fs.existsSync(absolute)) throw new CliExit(EXIT.usage, `${p} does not exist.`);
    return relative;
  });
  const { files, findings } = lintFolder(root, scopes, { fix: opts.fix });
  const output =
    opts.format === "json"
      ? `${JSON.stringify({ root, files: files.length, summary: summaryOf(findings), findings }, null, 2)}\n`
      : opts.format === "sarif"
        ? `${JSON.stringify(toSarif(findings), null, 2)}\n`
        : formatText(findings, files.length);
  if (opts.output) fs.writeFileSync(opts.output, output);
  else process.stdout.write(output);
  if (hasErrors(findings)) throw new CliExit(EXIT.failed);
}

/**
 * What `specledger lint` does between its arguments and its output: walk the tree under `root`,
 * read the governed files in `scopes` (repository-relative folders or files; none is the whole
 * tree), apply the safe fixes when asked, and lint. The agent-config benchmark times this.
 */
export function lintFolder(root: string, scopes: readonly string[], opts: { fix?: boolean } = {}): { files: LocalFile[]; findings: LocalFinding[] } {
  const walked = walk(root);
  const classify = (
    (rules) => (p: string) =>
      classifyPath(p, rules)
  )(kindRulesFromEnv());
  const inScope = (p: string) => scopes.length === 0 || scopes.some((s) => s === "" || p === s || p.startsWith(`${s}/`));

  const repoConfigText = readText(path.join(root, REPO_CONFIG_PATH));
  const { config: repoConfig, error: configError } = parseRepoConfig(repoConfigText);
  if (configError) process.stderr.write(`specledger: ${configError} (nothing is silenced by it)\n`);

  const files: LocalFile[] = [];
  for (const p of walked.files) {
    const kind = classify(p);
    // Skills' bundled files are versioned by the import but not linted there either (decision 046).
    if (!kind || kind === "skill-file" || !inScope(p)) continue;
    const full = path.join(root, p);
    const size = fs.statSync(full).size;
    if (size > MAX_FILE_BYTES) {
      process.stderr.write(`specledger: skipped ${p}: ${size} bytes, over the ${MAX_FILE_BYTES}-byte limit for a governed file.\n`);
      continue;
    }
    files.push({ path: p, kind, text: fs.readFileSync(full).toString("utf8") });
  }

  if (opts.fix) {
    for (const file of files) {
      const fixed = fixFile(file);
      if (fixed.changes.length === 0) continue;
      fs.writeFileSync(path.join(root, file.path), fixed.text);
      file.text = fixed.text;
      for (const change of fixed.changes) process.stderr.write(`fixed ${file.path}: ${change}\n`);
    }
  }

  const findings = lintWorkingTree({ files, tree: walked.tree, gitignores: walked.gitignores, repoConfig });
  return { files, findings };
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

interface Walked {
  files: string[];
  /** Files and folders, as the import's head tree lists them. */
  tree: Set<string>;
  gitignores: Record<string, string>;
}

/** Every file under root that git would not ignore, without following symbolic links. */
function walk(root: string): Walked {
  const out: Walked = { files: [], tree: new Set(), gitignores: {} };
  const rules: Array<{ dir: string; ig: Ignore }> = [];
  const ignored = (p: string, isDir: boolean) =>
    rules.some(({ dir, ig }) => {
      if (dir && !p.startsWith(`${dir}/`)) return false;
      const relative = (dir ? p.slice(dir.length + 1) : p) + (isDir ? "/" : "");
      try {
        return ig.ignores(relative);
      } catch {
        return false;
      }
    });
  let entries = 0;
  const visit = (dir: string) => {
    const gitignore = readText(path.join(root, dir, ".gitignore"));
    if (gitignore !== null) {
      out.gitignores[dir] = gitignore;
      rules.push({ dir, ig: ignore().add(gitignore) });
    }
    const children = fs.readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => comparePaths(a.name, b.name));
    for (const child of children) {
      if (++entries > MAX_WALKED_ENTRIES) {
        throw new CliExit(EXIT.usage, `more than ${MAX_WALKED_ENTRIES} files under ${root}: name the paths to lint.`);
      }
      const p = dir ? `${dir}/${child.name}` : child.name;
      if (child.name === ".git" || child.isSymbolicLink()) continue;
      if (child.isDirectory()) {
        if (ignored(p, true)) continue;
        out.tree.add(p);
        visit(p);
      } else if (child.isFile() && !ignored(p, false)) {
        out.tree.add(p);
        out.files.push(p);
      }
    }
  };
  visit("");
  return out;
}

function summaryOf(findings: readonly LocalFinding[]) {
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  return { errors: count("error"), warnings: count("warning"), infos: count("info") };
}

function formatText(findings: readonly LocalFinding[], files: number): string {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${f.path}${f.line ? `:${f.line}` : ""}: ${f.severity} ${f.rule}: ${f.message}`);
    if (f.matched) lines.push(`    matched: ${f.matched}`);
    lines.push(`    fix: ${f.suggestion}`);
  }
  const s = summaryOf(findings);
  lines.push(`${files} governed file(s) linted: ${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} note(s).`);
  return `${lines.join("\n")}\n`;
}

function toSarif(findings: readonly LocalFinding[]) {
  return sarifLog({
    version,
    results: findings.map((f) => ({
      rule: f.rule,
      level: f.severity === "info" ? ("note" as const) : f.severity,
      message: `${f.message} ${f.suggestion}`,
      path: f.path,
      line: f.line,
    })),
  });
}
