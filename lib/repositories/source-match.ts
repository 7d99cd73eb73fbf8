// Which Specledger repository a git remote (a CI checkout's origin, a GitHub webhook's
// repository) is: both sides reduced to one comparable key. Pure.
import path from "node:path";

/**
 * "host/owner/name" (lowercase host and path, no credentials, port, scheme or ".git") for a git URL
 * in any of its spellings (https://, ssh://, git@host:owner/name, git://); the resolved
 * absolute path for a local path or file:// URL; null when it is neither.
 */
export function sourceKey(source: string): string | null {
  const s = source.trim().replace(/\/+$/, "");
  if (!s) return null;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(s);
  if (scp && !/^[a-z]:$/i.test(`${scp[1]}:`) && !s.includes("://")) return `${scp[1].toLowerCase()}/${clean(scp[2])}`;
  if (/^file:\/\//i.test(s)) {
    try {
      return path.resolve(decodeURIComponent(new URL(s).pathname));
    } catch {
      return null;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    try {
      const url = new URL(s);
      return `${url.hostname.toLowerCase()}/${clean(decodeURIComponent(url.pathname))}`;
    } catch {
      return null;
    }
  }
  return path.isAbsolute(s) ? path.resolve(s) : null;
}

function clean(p: string) {
  return p
    .replace(/^\/+/, "")
    .replace(/\.git$/i, "")
    .replace(/\/+$/, "")
    .toLowerCase();
}

/** Whether two spellings name the same repository. */
export function sameSource(a: string, b: string): boolean {
  const ka = sourceKey(a);
  return ka !== null && ka === sourceKey(b);
}
