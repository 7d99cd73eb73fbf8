import picomatch from "picomatch";

/** A path the pathspecs select: any include matches (all paths when there is none) and no exclude does. */
export type PathspecMatcher = (path: string) => boolean;

const WILDCARD = /[*?[\\]/;

/**
 * Compiles the git pathspecs that lib/findings/references.ts writes (`:(glob)`, `:(literal)`,
 * `:(exclude,glob)`, `:(exclude,literal)`) into one predicate, so that one `git log` over every
 * spec's code can attribute each changed path to the specs governing it. As in git, a pattern
 * without wildcards also selects everything under it as a folder; `*` stays within a folder
 * and `**` crosses them. Pure.
 */
export function compilePathspecs(pathspecs: readonly string[]): PathspecMatcher {
  const includes: PathspecMatcher[] = [];
  const excludes: PathspecMatcher[] = [];
  for (const spec of pathspecs) {
    const m = /^:\(([^)]*)\)(.*)$/.exec(spec);
    const magic = new Set((m ? m[1] : "").split(",").filter(Boolean));
    const pattern = (m ? m[2] : spec).replace(/\/+$/, "");
    (magic.has("exclude") ? excludes : includes).push(compileOne(pattern, magic.has("literal")));
  }
  return (path) => (includes.length === 0 || includes.some((f) => f(path))) && !excludes.some((f) => f(path));
}

function compileOne(pattern: string, literal: boolean): PathspecMatcher {
  if (pattern === "") return () => true;
  const prefix = (path: string) => path === pattern || path.startsWith(`${pattern}/`);
  if (literal || !WILDCARD.test(pattern)) return prefix;
  const re = picomatch.makeRe(pattern, { dot: true });
  return (path) => re.test(path);
}

/** The include patterns alone: one `git log` limited by them sees every path any of the specs could govern. */
export function includePathspecs(pathspecs: readonly string[]): string[] {
  return pathspecs.filter((spec) => !/^:\([^)]*\bexclude\b[^)]*\)/.test(spec));
}
