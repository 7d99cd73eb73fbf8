// Work that fills the event loop's idle time: a generator's steps run a few milliseconds at a time,
// between whatever else the process is doing (an import waiting for the database), and the rest
// at once when the answer is needed.

export interface Sliced<T> {
  /** Runs what is left at once and returns the generator's result. */
  finish(): T;
  /** Stops scheduling slices (what ran stays done); `finish` still completes the work. */
  cancel(): void;
}

/**
 * Steps through `work` in slices of about `sliceMs`, one per turn of the event loop (after its I/O),
 * starting on the next turn. Each step should be short: a slice ends at the first step past its time.
 * A step that throws ends the slices; `finish` throws it again.
 */
export function inSlices<T>(work: Generator<unknown, T, undefined>, sliceMs = 4): Sliced<T> {
  let outcome: { done: true; value: T } | { done: false } | { failed: unknown } = { done: false };
  let timer: NodeJS.Immediate | undefined;
  const run = (until: number) => {
    try {
      while (!("failed" in outcome) && !outcome.done) {
        const step = work.next();
        if (step.done) outcome = { done: true, value: step.value };
        else if (performance.now() >= until) return;
      }
    } catch (error) {
      outcome = { failed: error };
    }
  };
  const slice = () => {
    timer = undefined;
    run(performance.now() + sliceMs);
    if (!("failed" in outcome) && !outcome.done) timer = setImmediate(slice);
  };
  timer = setImmediate(slice);
  const cancel = () => {
    if (timer) clearImmediate(timer);
    timer = undefined;
  };
  return {
    finish() {
      cancel();
      run(Infinity);
      if ("failed" in outcome) throw outcome.failed;
      return (outcome as { value: T }).value;
    },
    cancel,
  };
}
