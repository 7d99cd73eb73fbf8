// What an import says about itself, shared by the importer, the CLI and the browser (no
// Node imports here): its figures, each named for what it counts, and its warning.

/** An import's figures as the Import record stores them. */
export interface ImportCounts {
  /** Every commit in the imported range; null for imports recorded before it was counted. */
  commitsScanned: number | null;
  /** The commits among them that added, changed, renamed or deleted a recognised file. */
  commitsWithSpecChanges: number;
  versionsAdded: number;
  specsAdded: number;
  filesSkipped: number;
}

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/**
 * The figures as one phrase, the same in the CLI and the UI: "41 commits read (12 with spec
 * changes); 120 new versions, 12 new specs". `skipped` follows "n files skipped".
 */
export function describeImportCounts(c: ImportCounts, opts: { skipped?: string } = {}): string {
  if (c.commitsScanned === 0) return "no new commits, already up to date";
  const withChanges = `${c.commitsWithSpecChanges.toLocaleString("en")} with spec changes`;
  const commits =
    c.commitsScanned === null ? `${count(c.commitsWithSpecChanges, "commit")} with spec changes` : `${count(c.commitsScanned, "commit")} read (${withChanges})`;
  const parts = [count(c.versionsAdded, "new version"), count(c.specsAdded, "new spec")];
  if (c.filesSkipped > 0) parts.push(`${count(c.filesSkipped, "file")} skipped${opts.skipped ?? ""}`);
  return `${commits}; ${parts.join(", ")}`;
}

/** What the repository holds after an import, for its warning. */
export interface ImportedHoldings {
  branch: string;
  /** Recognised files on the branch now. */
  liveSpecs: number;
  /** Recognised files ever seen, live or deleted. */
  allSpecs: number;
  /** Their versions, from the whole history imported so far. */
  versions: number;
}

/**
 * A successful import's warning, or null. A repository whose recognised files all exist only
 * in its history was imported (every version is kept); the warning says so, rather than
 * reading as if nothing had been found.
 */
export function importWarning(h: ImportedHoldings): string | null {
  if (h.liveSpecs > 0) return null;
  if (h.allSpecs === 0) {
    return `No recognised spec or agent files on ${h.branch}. Specledger looks for Spec Kit, Kiro, AGENTS.md, CLAUDE.md and contract files; see the kinds table.`;
  }
  const imported = `Imported ${count(h.versions, "version")} of ${count(h.allSpecs, "file")} from the history of ${h.branch}`;
  return h.allSpecs === 1
    ? `${imported}, but it is not on ${h.branch} now: it was deleted. It is listed among the deleted specs, with its history.`
    : `${imported}, but none of them is on ${h.branch} now: all were deleted. They are listed among the deleted specs, with their history.`;
}
