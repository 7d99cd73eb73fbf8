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
