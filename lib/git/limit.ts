import pLimit from "p-limit";
import { git } from "./git";

// Git processes started while answering requests (resolving run references, reading a
// deployment's baseline) share one queue per server process: a burst of reports waits for
// a few gits instead of forking hundreds at once. SPECLEDGER_GIT_CONCURRENCY sets the width.
const limit = pLimit(Math.max(1, Math.floor(Number(process.env.SPECLEDGER_GIT_CONCURRENCY ?? 4)) || 4));
let started = 0;
let running = 0;
let peak = 0;

/** Runs git through the per-process queue. */
export function limitedGit(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  return withGitSlot(() => git(args, opts));
}

/**
 * Runs `work`, which starts its own git processes one after another (a `cat-file --batch` after a
 * `--batch-check`), in one place of the queue. `work` must not wait for the queue itself.
 */
export function withGitSlot<T>(work: () => Promise<T>): Promise<T> {
  return limit(async () => {
    started += 1;
    running += 1;
    peak = Math.max(peak, running);
    try {
      return await work();
    } finally {
      running -= 1;
    }
  });
}

/** The most git processes the queue has had running at once in this process. */
export function limitedGitPeak(): number {
  return peak;
}

/** How wide the queue is. */
export function limitedGitConcurrency(): number {
  return limit.concurrency;
}

/** How many git processes the queue has started in this process (tests compare it before and after). */
export function limitedGitCount(): number {
  return started;
}
