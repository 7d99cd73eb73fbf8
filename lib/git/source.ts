import path from "node:path";
import { git } from "./git";
import { SourceError } from "./source-error";

export type SourceKind = "path" | "url";

export { SourceError };

const ACCEPTED = "Use an https://, ssh://, user@host:path or git:// URL, or an absolute local path.";

/**
 * Tells a git URL from a local path; refuses anything else before git ever sees it: other
 * schemes (file://, http://) and transports (`ext::` runs commands) are refused by name.
 */
export function classifySource(source: string): SourceKind {
  const trimmed = source.trim();
  if (!trimmed) throw new SourceError("Give a local path or a git URL.");
  if (/^[a-z][a-z0-9+.-]*::/i.test(trimmed)) throw new SourceError(`Git transports like ${trimmed.split("::")[0]}:: are not accepted. ${ACCEPTED}`);
  if (/^(https|ssh|git):\/\//i.test(trimmed)) return "url";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new SourceError(`${trimmed.split(":")[0].toLowerCase()}:// URLs are not accepted. ${ACCEPTED}`);
  }
  // scp-style: user@host:path (git reads it as ssh). The host may not start with "-".
  if (/^[\w.-]+@[a-z0-9][\w.-]*:(?!\/\/)/i.test(trimmed)) return "url";
  if (!path.isAbsolute(trimmed)) throw new SourceError(`A local path must be absolute: ${JSON.stringify(trimmed)}. ${ACCEPTED}`);
  return "path";
}

export interface ParsedSource {
  kind: SourceKind;
  /** What is stored and shown: the URL without any credential, or the path resolved. */
  source: string;
  /** The source compared for uniqueness: aliases of one repository give one key. */
  key: string;
  /** A user name and password or token split off an https URL; never stored in clear. */
  credential: { username: string; password: string } | null;
}

/**
 * Splits a source into what is stored, what is compared and the credential it carried.
 * Local paths are resolved (`a//b`, `a/./b`, `a/b/../b`, a trailing slash); the caller
 * resolves symbolic links. URLs compare with a lowercase scheme and host, no default
 * port, and no trailing `.git` or slash.
 */
export function parseSource(raw: string): ParsedSource {
  const trimmed = raw.trim();
  const kind = classifySource(trimmed);
  if (kind === "path") {
    if (trimmed.includes("\0")) throw new SourceError("A path cannot contain NUL.");
    const resolved = path.resolve(trimmed);
    return { kind, source: resolved, key: resolved, credential: null };
  }
  const scp = /^([\w.-]+)@([a-z0-9][\w.-]*):(?!\/\/)(.*)$/i.exec(trimmed);
  if (scp) {
    const [, user, host, rest] = scp;
    const source = `${user}@${host}:${rest}`;
    return { kind, source, key: `ssh://${user}@${host.toLowerCase()}/${trimPath(rest.replace(/^\/+/, ""))}`, credential: null };
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new SourceError(`Not a valid URL: ${JSON.stringify(redactUrl(trimmed))}.`);
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (!url.hostname) throw new SourceError("The URL names no host.");
  let credential: ParsedSource["credential"] = null;
  if (url.username || url.password) {
    if (scheme !== "https") {
      // An ssh user name is not a secret; a password has no place in ssh or git URLs.
      if (scheme !== "ssh" || url.password)
        throw new SourceError(`Credentials in ${scheme}:// URLs are not accepted: give the server an SSH key, or use https with a token.`);
    } else {
      credential = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
      url.username = "";
      url.password = "";
    }
  }
  url.hash = "";
  const source = url.toString().replace(/\/$/, url.pathname === "/" ? "/" : "");
  const user = url.username ? `${url.username}@` : "";
  const key = `${scheme}://${user}${url.host.toLowerCase()}/${trimPath(url.pathname.replace(/^\/+/, ""))}${url.search}`;
  return { kind, source: url.pathname === "/" ? source.replace(/\/$/, "") : source, key, credential };
}

function trimPath(p: string): string {
  return p
    .replace(/\/{2,}/g, "/")
    .replace(/\/+$/, "")
    .replace(/\.git$/i, "")
    .replace(/\/+$/, "");
}

/** A URL without any user name or password in it, for messages and pages. */
export function redactUrl(source: string): string {
  return source.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}

/** Any https://user:secret@ inside a text (git's own messages), redacted. */
export function redactText(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, "$1");
}

/** A readable name for a repository from its path or URL. */
export function repositoryNameFromSource(source: string): string {
  const last =
    source
      .trim()
      .replace(/[\\/]+$/, "")
      .split(/[\\/:]/)
      .pop() ?? "repository";
  return last.replace(/\.git$/, "") || "repository";
}

export async function defaultBranch(gitDir: string): Promise<string> {
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
