import { createTwoFilesPatch, diffLines, FILE_HEADERS_ONLY } from "diff";
import { formatBytes } from "./format";

export type DiffLine = {
  kind: "context" | "added" | "removed";
  text: string;
  oldNumber: number | null;
  newNumber: number | null;
};

export type SideBySideRow = {
  left: { number: number; text: string; kind: "context" | "removed" } | null;
  right: { number: number; text: string; kind: "context" | "added" } | null;
};

/** A file's path before and after, when they differ. */
export type Rename = { from: string; to: string };

export type VersionDiff =
  | { status: "ok"; lines: DiffLine[]; rows: SideBySideRow[]; added: number; removed: number; patch: string; rename?: Rename }
  | { status: "identical" }
  | { status: "renamed"; rename: Rename }
  | { status: "too-different"; reason: string; rename?: Rename };

/** A run of lines to show (a hunk, with its `@@` header), or a run of unchanged lines collapsed until expanded. */
export type DiffBlock = { kind: "hunk"; header: string; lines: DiffLine[] } | { kind: "gap"; lines: DiffLine[] };

/** Unchanged lines shown around each change, as git and GitHub do. */
export const DEFAULT_CONTEXT_LINES = 3;

export type DiffTextsOptions = {
  oldText: string;
  newText: string;
  /** File names shown in the unified patch header. */
  oldLabel?: string;
  newLabel?: string;
  /** The file's paths: when they differ the diff is a rename (with or without edits). */
  oldPath?: string;
  newPath?: string;
  /** Budget for each of the two diff passes (lines, then patch), in milliseconds. */
  timeoutMs?: number;
  /** Larger sides are refused outright, since even a fast diff of them would be unreadable. */
  maxBytes?: number;
};

export const DEFAULT_DIFF_TIMEOUT_MS = 1000;
export const DEFAULT_DIFF_MAX_BYTES = 2 * 1024 * 1024;

/**
 * Line diff of two versions of a document. Myers' algorithm is quadratic on very different
 * inputs, so it runs with a time budget and reports "too-different" instead of hanging a request.
 */
export function diffTexts(opts: DiffTextsOptions): VersionDiff {
  const { oldText, newText, oldLabel = "old", newLabel = "new" } = opts;
  const timeout = opts.timeoutMs ?? DEFAULT_DIFF_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_DIFF_MAX_BYTES;

  const rename =
    opts.oldPath !== undefined && opts.newPath !== undefined && opts.oldPath !== opts.newPath ? { from: opts.oldPath, to: opts.newPath } : undefined;
  if (oldText === newText) return rename ? { status: "renamed", rename } : { status: "identical" };
  const withRename = <T extends object>(diff: T) => (rename ? { ...diff, rename } : diff);

  for (const [side, text] of [
    ["old", oldText],
    ["new", newText],
  ] as const) {
    const bytes = utf8Length(text);
    if (bytes > maxBytes) {
      return withRename({
        status: "too-different" as const,
        reason: `The ${side} version is ${formatBytes(bytes)}, over the ${formatBytes(maxBytes)} limit for diffs.`,
      });
    }
  }

  const tooSlow = withRename({
    status: "too-different" as const,
    reason: `The versions are too different to diff within ${timeout} ms.`,
  });

  const changes = diffLines(oldText, newText, { timeout });
  if (!changes) return tooSlow;
  // The patch is computed separately by jsdiff, so it gets its own budget and may abort on its own.
  const patch = createTwoFilesPatch(oldLabel, newLabel, oldText, newText, undefined, undefined, {
    timeout,
    headerOptions: FILE_HEADERS_ONLY,
  });
  if (patch === undefined) return tooSlow;

  const lines: DiffLine[] = [];
  let oldNumber = 1;
  let newNumber = 1;
  let added = 0;
  let removed = 0;
  for (const change of changes) {
    for (const text of splitLines(change.value)) {
      if (change.added) {
        lines.push({ kind: "added", text, oldNumber: null, newNumber: newNumber++ });
        added++;
      } else if (change.removed) {
        lines.push({ kind: "removed", text, oldNumber: oldNumber++, newNumber: null });
        removed++;
      } else {
        lines.push({ kind: "context", text, oldNumber: oldNumber++, newNumber: newNumber++ });
      }
    }
  }

  return withRename({ status: "ok" as const, lines, rows: toSideBySide(lines), added, removed, patch });
}

/**
 * Groups diff lines into hunks of changes with `context` unchanged lines around them, and
 * gaps of the unchanged lines between (collapsed on the page until expanded). Hunks closer
 * than twice the context merge, as in `git diff`.
 */
export function toHunks(lines: readonly DiffLine[], context = DEFAULT_CONTEXT_LINES): DiffBlock[] {
  const shown = new Array<boolean>(lines.length).fill(false);
  lines.forEach((line, i) => {
    if (line.kind === "context") return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) shown[k] = true;
  });
  const blocks: DiffBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const start = i;
    while (i < lines.length && shown[i] === shown[start]) i++;
    const run = lines.slice(start, i);
    blocks.push(shown[start] ? { kind: "hunk", header: hunkHeader(run), lines: run } : { kind: "gap", lines: run });
  }
  return blocks;
}

/** `@@ -oldStart,oldCount +newStart,newCount @@`, numbered as in a unified patch (a side with no lines starts at the line before). */
export function hunkHeader(lines: readonly DiffLine[]): string {
  const side = (key: "oldNumber" | "newNumber") => {
    const numbers = lines.map((l) => l[key]).filter((n): n is number => n !== null);
    if (numbers.length > 0) return `${numbers[0]},${numbers.length}`;
    // An insertion into (or deletion from) nothing: the line it follows on that side.
    const before = lines.find((l) => l[key === "oldNumber" ? "newNumber" : "oldNumber"] !== null);
    const other = before ? before[key === "oldNumber" ? "newNumber" : "oldNumber"]! - 1 : 0;
    return `${Math.max(0, other)},0`;
  };
  return `@@ -${side("oldNumber")} +${side("newNumber")} @@`;
}

/** Pairs each run of removed lines with the run of added lines after it, so edits sit side by side. */
export function toSideBySide(lines: readonly DiffLine[]): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.kind === "context") {
      rows.push({
        left: { number: line.oldNumber!, text: line.text, kind: "context" },
        right: { number: line.newNumber!, text: line.text, kind: "context" },
      });
      i++;
      continue;
    }
    const removedRun: DiffLine[] = [];
    const addedRun: DiffLine[] = [];
    while (i < lines.length && lines[i].kind === "removed") removedRun.push(lines[i++]);
    while (i < lines.length && lines[i].kind === "added") addedRun.push(lines[i++]);
    for (let k = 0; k < Math.max(removedRun.length, addedRun.length); k++) {
      const left = removedRun[k];
      const right = addedRun[k];
      rows.push({
        left: left ? { number: left.oldNumber!, text: left.text, kind: "removed" } : null,
        right: right ? { number: right.newNumber!, text: right.text, kind: "added" } : null,
      });
    }
  }
  return rows;
}

/** How many lines a document has, by the diff's rule: a final newline ends a line, it does not start one. */
export function countLines(text: string): number {
  return splitLines(text).length;
}

/** A change's value holds whole lines, each ending in "\n" except possibly the file's last. */
function splitLines(value: string): string[] {
  const parts = value.split("\n");
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

// Counts without allocating an encoded copy of a document that may be megabytes long.
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
