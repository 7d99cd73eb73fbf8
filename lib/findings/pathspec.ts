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

/**
 * Many specs' pathspecs compiled together, for one pass over a history: for a path, the indexes
 * (into `specs`) of the specs whose pathspecs select it, as `compilePathspecs` would answer for
 * each. Each distinct pattern is decided once per path, not once per spec, and folder patterns
 * (`a/b`, `:(literal)a/b`, `a/b/**`) are looked up by the path's folders instead of tested, so
 * hundreds of root-level specs that differ only in their excluded folder cost a few lookups. Pure.
 */
export function compileAttribution(specs: readonly (readonly string[])[]): (path: string) => number[] {
  const patternIds = new Map<string, number>();
  const everywhere: number[] = [];
  const byFolder = new Map<string, number[]>();
  const tested: { id: number; re: RegExp }[] = [];
  const intern = (pattern: string, literal: boolean): number => {
    const key = `${literal ? "L" : "G"}:${pattern}`;
    const known = patternIds.get(key);
    if (known !== undefined) return known;
    const id = patternIds.size;
    patternIds.set(key, id);
    // picomatch's `a/**` selects `a` itself and everything below it (checked against it in the tests).
    const folder = pattern === "" ? "" : literal || !WILDCARD.test(pattern) ? pattern : /^([^*?[\\]*[^/*?[\\])\/\*\*$/.exec(pattern)?.[1];
    if (folder === "") everywhere.push(id);
    else if (folder !== undefined) byFolder.set(folder, [...(byFolder.get(folder) ?? []), id]);
    else tested.push({ id, re: picomatch.makeRe(pattern, { dot: true }) });
    return id;
  };
  const includes: number[][] = [];
  const excludes: number[][] = [];
  const anywhere: number[] = []; // specs without an include select every path
  const byInclude = new Map<number, number[]>();
  specs.forEach((pathspecs, index) => {
    includes.push([]);
    excludes.push([]);
    for (const spec of pathspecs) {
      const m = /^:\(([^)]*)\)(.*)$/.exec(spec);
      const magic = new Set((m ? m[1] : "").split(",").filter(Boolean));
      const id = intern((m ? m[2] : spec).replace(/\/+$/, ""), magic.has("literal"));
      (magic.has("exclude") ? excludes : includes)[index].push(id);
    }
    if (includes[index].length === 0) anywhere.push(index);
    for (const id of new Set(includes[index])) byInclude.set(id, [...(byInclude.get(id) ?? []), index]);
  });
  // Stamps instead of fresh sets: a pattern matched (or a spec taken) for the current path holds the current stamp.
  const matched = new Int32Array(patternIds.size);
  const taken = new Int32Array(specs.length);
  let stamp = 0;
  return (path) => {
    stamp++;
    const hits: number[] = [...everywhere];
    for (let end = path.length; end > 0; end = path.lastIndexOf("/", end - 1)) {
      const ids = byFolder.get(end === path.length ? path : path.slice(0, end));
      if (ids) hits.push(...ids);
    }
    for (const { id, re } of tested) if (re.test(path)) hits.push(id);
    for (const id of hits) matched[id] = stamp;
    const selected: number[] = [];
    const consider = (index: number) => {
      if (taken[index] === stamp) return;
      taken[index] = stamp;
      if (!excludes[index].some((id) => matched[id] === stamp)) selected.push(index);
    };
    anywhere.forEach(consider);
    for (const id of hits) byInclude.get(id)?.forEach(consider);
    return selected.sort((a, b) => a - b);
  };
}
