import { z } from "zod";

/** The workspace's last-green policy: how many succeeded runs make a version green. */
export const lastGreenPolicySchema = z
  .object({ minSucceeded: z.number().int().min(1).max(1000).default(1).describe("Succeeded runs a version needs (default 1).") })
  .strict();
export type LastGreenPolicy = z.output<typeof lastGreenPolicySchema>;

/** What the runs of one spec version say, as one query aggregates them. */
export interface VersionRuns {
  seq: number;
  succeeded: number;
  lastSucceededAt: Date | null;
  lastFailedAt: Date | null;
}

/** Why a version is not green, or null when it is. */
export function notGreenBecause(version: VersionRuns, policy: LastGreenPolicy): string | null {
  if (version.succeeded < policy.minSucceeded) {
    return `version ${version.seq} has ${version.succeeded} succeeded run${version.succeeded === 1 ? "" : "s"}, ${policy.minSucceeded} needed`;
  }
  // A failure reported at the same instant as the last success is not "before" it: ties fail closed.
  if (version.lastFailedAt && (!version.lastSucceededAt || version.lastFailedAt >= version.lastSucceededAt)) {
    return `version ${version.seq} failed after its last success`;
  }
  return null;
}

/**
 * The newest version that is green under the policy: at least `minSucceeded` succeeded runs and
 * no failed run reported after its last success. With none, the reason names the newest version's problem.
 */
export function pickLastGreen<V extends VersionRuns>(versions: V[], policy: LastGreenPolicy): { version: V | null; reason: string | null } {
  const newestFirst = [...versions].sort((a, b) => b.seq - a.seq);
  const green = newestFirst.find((v) => notGreenBecause(v, policy) === null);
  if (green) return { version: green, reason: null };
  if (newestFirst.length === 0) return { version: null, reason: "No run reported using any version of this spec." };
  return {
    version: null,
    reason: `No version qualifies (at least ${policy.minSucceeded} succeeded, no failure after the last success): ${notGreenBecause(newestFirst[0], policy)}.`,
  };
}

/** "Live is 2 versions past last green", or null when live is green or unknown. */
export function liveVersusGreen(liveSeq: number | null, greenSeq: number | null): string | null {
  if (liveSeq === null) return null;
  if (greenSeq === null) return "No version of this spec is green yet.";
  if (liveSeq === greenSeq) return null;
  const behind = liveSeq - greenSeq;
  return `Live is ${behind} version${behind === 1 ? "" : "s"} past last green.`;
}

/** Quotes a word for a POSIX shell, so a printed command can be pasted as is. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The commands that bring a version's file back, run in a clone of its repository. */
export function checkoutCommands(commitSha: string, path: string): { show: string; restore: string } {
  return { show: `git show ${shellQuote(`${commitSha}:${path}`)}`, restore: `git checkout ${commitSha} -- ${shellQuote(path)}` };
}
