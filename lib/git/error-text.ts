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

/** Longest cause `oneLineCause` returns, in characters. */
export const MAX_CAUSE_LENGTH = 300;

/**
 * One line out of an error's text, for a summary a person reads (the CLI's one-line report, an
 * import's follow-up error): git's stderr can hold thousands of repeated lines (a partial
 * clone asking its remote once per missing blob). Keeps the first line and git's first
 * fatal or error line when it is another one, and says how many lines were left out.
 */
export function oneLineCause(text: string, max = MAX_CAUSE_LENGTH): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length === 0) return "unknown cause";
  const fatal = lines.slice(1).find((line) => /^(fatal|error):/i.test(line) && !lines[0].includes(line));
  const kept = fatal ? `${lines[0]} … ${fatal}` : lines[0];
  const left = lines.length - (fatal ? 2 : 1);
  const summary = left > 0 ? `${kept} (${left} more ${left === 1 ? "line" : "lines"} of output)` : kept;
  return summary.length <= max ? summary : `${summary.slice(0, max - 1)}…`;
}

/**
 * An error's text with this server's absolute paths (a mirror, a temporary key folder, a local
 * source) replaced by "<path>". A slash after a word, a colon or another slash is part of a URL
 * and is kept; credentials in URLs are redactText's (lib/git/source.ts).
 */
export function redactLocalPaths(text: string): string {
  return text.replace(/(?<![\w.:/~-])\/[^\s'"()<>,;]*/g, "<path>");
}

/** The cause sent outside the server (an import.failed notification): one line, no local paths. Credentials must be redacted first. */
export function publicCause(text: string): string {
  return oneLineCause(redactLocalPaths(text));
}
