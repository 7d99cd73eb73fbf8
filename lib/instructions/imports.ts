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
const TRAILING = new Set(".,;:!?)]");

/** The text without the sentence punctuation it ends with; a loop, so a long run costs linear time. */
function withoutTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING.has(text[end - 1])) end--;
  return text.slice(0, end);
}

/**
 * Removes inline code spans (`` `x` ``, ``` ``x`` ```) from one line: a run of backticks opens a
 * span that the next run of the same length closes (CommonMark). One pass over the runs, so a
 * line of thousands of backticks costs linear time (a backreferencing regex took quadratic time).
 */
export function withoutCodeSpans(line: string): string {
  const runs: { start: number; end: number }[] = [];
  for (let i = 0; i < line.length;) {
    if (line[i] !== "`") {
      i++;
      continue;
    }
    let j = i;
    while (j < line.length && line[j] === "`") j++;
    runs.push({ start: i, end: j });
    i = j;
  }
  if (runs.length < 2) return line;
  // For each run, the index of the next run of the same length.
  const next = new Array<number>(runs.length).fill(-1);
  const lastOfLength = new Map<number, number>();
  for (let k = runs.length - 1; k >= 0; k--) {
    const length = runs[k].end - runs[k].start;
    next[k] = lastOfLength.get(length) ?? -1;
    lastOfLength.set(length, k);
  }
  let out = "";
  let from = 0;
  for (let k = 0; k < runs.length; k++) {
    const close = next[k];
    if (close < 0) continue;
    out += `${line.slice(from, runs[k].start)} `;
    from = runs[close].end;
    k = close;
  }
  return out + line.slice(from);
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
      const target = withoutTrailingPunctuation(match[1].replace(/\\ /g, " "));
      if (target) refs.push({ target, line: i + 1 });
    }
  }
  return refs;
}

/** Whether an import target is written like a file path rather than a handle ("@octocat"): it has a slash or a dot. */
export function looksLikePath(target: string): boolean {
  return target.includes("/") || target.includes(".");
}
