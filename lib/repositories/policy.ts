import path from "node:path";
import type { Role } from "@/lib/db";

// Pure rules about repository sources and what each viewer may read of their errors.

/** SPECLEDGER_LOCAL_ROOTS: colon-separated folders under which local repositories may be added; null when unset. */
export function localRootsFromEnv(env: Record<string, string | undefined> = process.env): string[] | null {
  const roots = (env.SPECLEDGER_LOCAL_ROOTS ?? "").split(":").filter(Boolean).map((r) => path.resolve(r));
  return roots.length > 0 ? roots : null;
}

/** Whether `realPath` is one of `realRoots` or inside one (both already free of symbolic links). */
export function isUnderRoots(realPath: string, realRoots: readonly string[]): boolean {
  return realRoots.some((root) => realPath === root || realPath.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
}

/** What non-admins read instead of git's or the file system's own words. */
export const SHORT_CAUSE = "Repository not found or not accessible. An admin can see the details.";

/**
 * An import's or repository's error as `role` may read it: admins get the full text; others
 * get it only when it names no path, URL or git output, else the short cause. Fails closed:
 * anything that looks like a server detail is hidden.
 */
export function errorForRole(text: string | null, role: Role): string | null {
  if (text === null || role === "admin") return text;
  if (/[\\/]|fatal:|error:|\bgit\b|ENOENT|EACCES|errno/i.test(text)) return SHORT_CAUSE;
  return text;
}
