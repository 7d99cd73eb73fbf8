/** What the banner over a version that is not the live one says, or null on the live one. */
export interface VersionBanner {
  seq: number;
  total: number;
  /** The version's commit day, YYYY-MM-DD (UTC). */
  day: string;
  liveSeq: number;
}

/**
 * The live version is the newest one; a deleted spec has none, so every version of it is old
 * and the banner compares with the last one it had.
 */
export function versionBanner(opts: { selectedSeq: number; latestSeq: number; total: number; committedAt: Date }): VersionBanner | null {
  if (opts.selectedSeq === opts.latestSeq) return null;
  return { seq: opts.selectedSeq, total: opts.total, day: opts.committedAt.toISOString().slice(0, 10), liveSeq: opts.latestSeq };
}
