import fs from "node:fs";
import os from "node:os";

// The machine's CPU time, to show when a figure is bound by the work itself: work that needs C
// CPU-seconds cannot finish in less than C / cores seconds of wall time, whatever overlaps what.

/** The machine's busy CPU time so far, in seconds over all processes and cores (/proc/stat); null without /proc. */
export function machineBusySeconds(): number | null {
  try {
    const [cpu] = fs.readFileSync("/proc/stat", "utf8").split("\n");
    // cpu user nice system idle iowait irq softirq steal ... in USER_HZ (100 a second on Linux)
    const [user, nice, system, , , irq, softirq, steal] = cpu.trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return null;
  }
}

export const CORES = os.availableParallelism();

/** Runs `work` and says how much CPU the whole machine spent meanwhile (null without /proc). */
export async function withMachineCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpuSeconds: number | null; wallSeconds: number }> {
  const busy = machineBusySeconds();
  const started = performance.now();
  const result = await work();
  const wallSeconds = (performance.now() - started) / 1000;
  const after = machineBusySeconds();
  return { result, cpuSeconds: busy === null || after === null ? null : after - busy, wallSeconds };
}
