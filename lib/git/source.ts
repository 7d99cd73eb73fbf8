import fs from "node:fs";
import path from "node:path";
import { git, GitError } from "./git";

export type SourceKind = "path" | "url";

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SourceError";
  }
}

/** Tells a git URL from a local path; rejects anything that is neither. */
export function classifySource(source: string): SourceKind {
  const trimmed = source.trim();
  if (!trimmed) throw new SourceError("Give a local path or a git URL.");
  if (/^(https?|ssh|git|file):\/\//i.test(trimmed) || /^[\w.-]+@[\w.-]+:/.test(trimmed)) {
    // Secrets do not belong in a repository's address, which every viewer sees.
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(trimmed)) {
      throw new SourceError("Leave the password or token out of the URL; give the server access with a git credential helper or an SSH key.");
    }
    return "url";
  }
  if (/^[a-z][a-z0-9+.-]*::/i.test(trimmed) || /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new SourceError(`Unsupported URL scheme in ${JSON.stringify(trimmed)}: use https, ssh, git or file.`);
  }
  if (!path.isAbsolute(trimmed)) throw new SourceError(`A local path must be absolute: ${JSON.stringify(trimmed)}.`);
  return "path";
}

/** A URL without any user name or password in it, for messages and pages. */
export function redactUrl(source: string): string {
  return source.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}

/** A readable name for a repository from its path or URL. */
export function repositoryNameFromSource(source: string): string {
  const last = source.trim().replace(/[\\/]+$/, "").split(/[\\/:]/).pop() ?? "repository";
  return last.replace(/\.git$/, "") || "repository";
}

export interface ResolvedSource {
  gitDir: string;
  branch: string;
  head: string | null;
}

/**
 * Makes the repository readable and finds its default branch and head. A local path is read
 * in place (never written); a URL is mirrored into `mirrorDir` and fetched on later imports.
 */
export async function resolveSource(opts: { source: string; mirrorDir: string; branch?: string | null }): Promise<ResolvedSource> {
  const kind = classifySource(opts.source);
  let gitDir: string;
  if (kind === "path") {
    if (!fs.existsSync(opts.source)) throw new SourceError(`No such directory: ${opts.source}`);
    let info: string[];
    try {
      info = (await git(["rev-parse", "--absolute-git-dir", "--is-bare-repository"], { cwd: opts.source })).split("\n");
    } catch {
      throw new SourceError(`${opts.source} is not a git repository.`);
    }
    const [absoluteGitDir, bare] = info;
    if (bare !== "true") {
      // A folder inside some other repository is not that repository.
      const toplevel = await git(["rev-parse", "--show-toplevel"], { cwd: opts.source });
      if (fs.realpathSync(toplevel) !== fs.realpathSync(opts.source)) {
        throw new SourceError(`${opts.source} is not a git repository (it is a folder inside ${toplevel}).`);
      }
    }
    gitDir = absoluteGitDir;
  } else {
    gitDir = opts.mirrorDir;
    const shown = redactUrl(opts.source);
    const reason = (error: unknown) => (error instanceof GitError ? error.stderr.trim().split("\n").pop() : String(error));
    if (fs.existsSync(path.join(gitDir, "HEAD"))) {
      try {
        await git([`--git-dir=${gitDir}`, "fetch", "--prune", "--quiet", "origin"]);
      } catch (error) {
        // Keep the mirror: the next fetch only needs what is new.
        throw new SourceError(`Could not fetch ${shown}: ${reason(error)}`);
      }
    } else {
      try {
        fs.mkdirSync(path.dirname(gitDir), { recursive: true });
        fs.rmSync(gitDir, { recursive: true, force: true });
        await git(["clone", "--mirror", "--quiet", "--", opts.source, gitDir]);
      } catch (error) {
        fs.rmSync(gitDir, { recursive: true, force: true });
        throw new SourceError(`Could not clone ${shown}: ${reason(error)}`);
      }
    }
  }
  const branch = opts.branch || (await defaultBranch(gitDir));
  let head: string | null = null;
  try {
    head = await git([`--git-dir=${gitDir}`, "rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`]);
  } catch {
    head = null; // an empty repository: no commits yet
  }
  return { gitDir, branch, head };
}

async function defaultBranch(gitDir: string): Promise<string> {
  const ref = await git([`--git-dir=${gitDir}`, "symbolic-ref", "--quiet", "HEAD"]).catch(() => "");
  if (ref.startsWith("refs/heads/")) return ref.slice("refs/heads/".length);
  throw new SourceError("The repository has no default branch (HEAD is detached).");
}

export async function isAncestor(gitDir: string, ancestor: string, descendant: string): Promise<boolean> {
  try {
    await git([`--git-dir=${gitDir}`, "merge-base", "--is-ancestor", ancestor, descendant]);
    return true;
  } catch {
    return false;
  }
}

export async function countCommits(gitDir: string, range: string): Promise<number> {
  return Number(await git([`--git-dir=${gitDir}`, "rev-list", "--count", "--first-parent", range]));
}
