import type { Role } from "@/lib/db";

// Below the domain so every reader of import errors (lib/specs queries, lib/repositories) shapes them alike.

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
