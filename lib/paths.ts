import path from "node:path";

/** Where Specledger keeps its files (mirror clones, demo repositories): git-ignored. */
export function dataDir(): string {
  return process.env.SPECLEDGER_DATA_DIR ?? path.join(process.cwd(), ".data");
}

/**
 * Why a glob someone typed cannot be used, or null. Globs become regular expressions, and a
 * segment with many `*` (`*a*a*a*a*b`) backtracks exponentially on a long path: at most three
 * wildcards per path segment keeps matching cheap whatever the path.
 */
export function globProblem(glob: string): string | null {
  if (glob.length > 500) return "A glob is at most 500 characters.";
  for (const segment of glob.split("/")) {
    if (segment === "**") continue;
    if ((segment.match(/[*?]/g) ?? []).length > 3) return `"${segment}" has more than three wildcards; split it into path segments.`;
  }
  return null;
}

/**
 * A comma-separated glob list (how Copilot, Cursor and Kiro write `applyTo` and `globs`) split on
 * the commas outside braces, so `**\/*.{ts,tsx}` stays one pattern. Entries are trimmed; empty
 * ones are kept, so a stray comma can be reported.
 */
export function splitGlobList(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "{") depth++;
    if (ch === "}") depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  parts.push(current.trim());
  return parts;
}
