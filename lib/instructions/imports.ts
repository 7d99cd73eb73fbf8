// `@path` imports in CLAUDE.md and GEMINI.md: found the way Claude Code and Gemini CLI find them,
// outside fenced code blocks and inline code spans. Pure; resolution lives in resolve.ts.

export interface ImportRef {
  /** The path as written after `@`, without trailing punctuation. */
  target: string;
  /** 1-based line of the import. */
  line: number;
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
// `@` at the start of a line or after whitespace, then a path (backslash-escaped spaces allowed).
const AT_PATH = /(?:^|\s)@((?:[^\s\\`]|\\ )+)/g;
// Sentence punctuation after a path is not part of it ("see @docs/x.md.").
const TRAILING = /[.,;:!?)\]]+$/;

/** Removes inline code spans (`` `x` ``, ``` ``x`` ```) from one line, keeping its length irrelevant. */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)[\s\S]*?\1/g, " ");
}

export function findImports(markdown: string): ImportRef[] {
  const refs: ImportRef[] = [];
  let fence: string | null = null;
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const open = raw.match(FENCE);
    if (fence) {
      if (open && open[1][0] === fence[0] && open[1].length >= fence.length && raw.trim() === open[1]) fence = null;
      continue;
    }
    if (open) {
      fence = open[1];
      continue;
    }
    if (!raw.includes("@")) continue;
    const line = withoutCodeSpans(raw);
    for (const match of line.matchAll(AT_PATH)) {
      const target = match[1].replace(/\\ /g, " ").replace(TRAILING, "");
      if (target) refs.push({ target, line: i + 1 });
    }
  }
  return refs;
}

/** Whether an import target is written like a file path rather than a handle ("@octocat"): it has a slash or a dot. */
export function looksLikePath(target: string): boolean {
  return target.includes("/") || target.includes(".");
}
