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

/** CPU seconds of every running PostgreSQL process (the server's backends and its background workers). */
function postgresSeconds(): number {
  let total = 0;
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      if (!stat.slice(stat.indexOf("(") + 1, close).startsWith("postgres")) continue;
      const fields = stat.slice(close + 2).split(" "); // from the third field, "state"
      total += (Number(fields[11]) + Number(fields[12])) / 100; // utime and stime
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

const nodeSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

export interface MachineCpu {
  /** All processes. */
  total: number;
  /** This Node process. */
  node: number;
  /** The database server's processes. */
  postgres: number;
}

/** Runs `work` and says how much CPU the whole machine, this process and the database spent meanwhile (null without /proc). */
export async function withMachineCpu<T>(
  work: () => Promise<T>,
): Promise<{ result: T; cpuSeconds: number | null; cpu: MachineCpu | null; wallSeconds: number }> {
  const busy = machineBusySeconds();
  const node = nodeSeconds();
  const postgres = busy === null ? 0 : postgresSeconds();
  const started = performance.now();
  const result = await work();
  const wallSeconds = (performance.now() - started) / 1000;
  const after = machineBusySeconds();
  if (busy === null || after === null) return { result, cpuSeconds: null, cpu: null, wallSeconds };
  const cpu = { total: after - busy, node: nodeSeconds() - node, postgres: postgresSeconds() - postgres };
  return { result, cpuSeconds: cpu.total, cpu, wallSeconds };
}

/** "5.80 CPU-s (Node 2.31, PostgreSQL 1.40, git and the rest 2.09)" */
export function describeCpu(cpu: MachineCpu): string {
  const rest = Math.max(0, cpu.total - cpu.node - cpu.postgres);
  return `${cpu.total.toFixed(2)} CPU-s (Node ${cpu.node.toFixed(2)}, PostgreSQL ${cpu.postgres.toFixed(2)}, git and the rest ${rest.toFixed(2)})`;
}
