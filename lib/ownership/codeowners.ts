import picomatch from "picomatch";

export interface OwnershipRuleLike {
  pattern: string;
  owners: string[];
}

export interface ParsedCodeowners {
  rules: (OwnershipRuleLike & { line: number })[];
  errors: { line: number; message: string }[];
}

const OWNER = /^(@[A-Za-z0-9][\w.-]*(\/[\w.-]+)?|[^@\s]+@[^@\s]+\.[^@\s]+)$/;

/**
 * Parses a CODEOWNERS file as GitHub reads it: one pattern per line followed by owners
 * (@user, @org/team or an email), `#` comments, `\#` for a literal hash. A pattern with no
 * owners is kept: it clears ownership for what it matches.
 */
export function parseCodeowners(text: string): ParsedCodeowners {
  const rules: ParsedCodeowners["rules"] = [];
  const errors: ParsedCodeowners["errors"] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = stripComment(raw).trim();
    if (!content) return;
    const [pattern, ...owners] = content.split(/\s+/);
    if (pattern.startsWith("!")) return void errors.push({ line, message: "Negated patterns (!) are not supported in CODEOWNERS." });
    if (/\[[^\]]*\]/.test(pattern)) return void errors.push({ line, message: "Character ranges ([...]) are not supported in CODEOWNERS." });
    const bad = owners.filter((o) => !OWNER.test(o));
    if (bad.length > 0) return void errors.push({ line, message: `Not an owner: ${bad.join(", ")} (use @user, @org/team or an email).` });
    rules.push({ pattern: pattern.replace(/\\#/g, "#"), owners, line });
  });
  return { rules, errors };
}

function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "#" && line[i - 1] !== "\\") return line.slice(0, i);
  }
  return line;
}

/**
 * Turns one CODEOWNERS pattern into globs, following GitHub's documented semantics: a
 * leading or inner slash anchors the pattern to the root, otherwise it matches at any
 * depth; a match on a directory covers everything below it, except that a trailing `*`
 * (as in `docs/*`) covers only the files directly in that directory. The `ignore`
 * package was tried and rejected: gitignore lets `docs/*` reach nested files.
 */
export function codeownersGlobs(pattern: string): string[] {
  let p = pattern;
  const anchored = p.startsWith("/") || p.replace(/\/+$/, "").includes("/");
  p = p.replace(/^\/+/, "").replace(/\/+$/, "");
  if (!p) return [];
  const base = anchored ? p : `**/${p}`;
  return p.endsWith("/*") || p === "*" ? (p === "*" ? ["**"] : [base]) : [base, `${base}/**`];
}

/** Whether two ordered rule lists say the same thing (pattern and owners, in order): an import then keeps the stored rules. */
export function sameRules(a: readonly OwnershipRuleLike[], b: readonly OwnershipRuleLike[]): boolean {
  return a.length === b.length && a.every((rule, i) => rule.pattern === b[i].pattern && rule.owners.join(" ") === b[i].owners.join(" "));
}

/**
 * Compiles rules into a lookup: the last rule whose pattern matches the path decides
 * (GitHub's semantics). Returns that rule and its index, or null when none matches.
 */
export function compileOwnership<T extends OwnershipRuleLike>(rules: readonly T[]): (path: string) => { rule: T; index: number } | null {
  const matchers = rules.map((rule) => {
    const globs = codeownersGlobs(rule.pattern);
    return globs.length > 0 ? picomatch(globs, { dot: true }) : () => false;
  });
  return (path) => {
    for (let i = rules.length - 1; i >= 0; i--) {
      if (matchers[i](path)) return { rule: rules[i], index: i };
    }
    return null;
  };
}
