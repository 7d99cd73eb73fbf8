import pLimit from "p-limit";
import { git } from "./git";

// Git processes started while answering requests (resolving run references, reading a
// deployment's baseline) share one queue per server process: a burst of reports waits for
// a few gits instead of forking hundreds at once. SPECLEDGER_GIT_CONCURRENCY sets the width.
const limit = pLimit(Math.max(1, Math.floor(Number(process.env.SPECLEDGER_GIT_CONCURRENCY ?? 4)) || 4));
let started = 0;

/** Runs git through the per-process queue. */
export function limitedGit(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  return limit(() => {
    started += 1;
    return git(args, opts);
  });
}

/** How many git processes the queue has started in this process (tests compare it before and after). */
export function limitedGitCount(): number {
  return started;
}
