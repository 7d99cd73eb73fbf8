import cliProgress from "cli-progress";
import type { ImportPhase, ImportProgress } from "@/lib/repositories/import";
import { describeImportCounts, type ImportCounts } from "@/lib/specs/import-summary";

export const PHASE_LABELS: Record<ImportPhase, string> = {
  resolving: "Resolving source",
  scanning: "Scanning history",
  reading: "Reading files",
  writing: "Writing versions",
};

// Wide enough for the longest label, so the bar does not jump between phases.
const LABEL_WIDTH = Math.max(...Object.values(PHASE_LABELS).map((label) => label.length)) + 1;

const numberFormat = new Intl.NumberFormat("en-US");

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** One line of the progress bar: `Reading files     [=====     ] 52% 17,000/33,000`. */
export function formatProgressLine(progress: ImportProgress, barWidth = 30): string {
  const fraction = progress.total > 0 ? Math.min(1, Math.max(0, progress.done / progress.total)) : 0;
  const filled = Math.round(fraction * barWidth);
  const bar = "=".repeat(filled) + " ".repeat(barWidth - filled);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${PHASE_LABELS[progress.phase].padEnd(LABEL_WIDTH)} [${bar}] ${percent} ${formatCount(progress.done)}/${formatCount(progress.total)}`;
}

/** The line printed once per phase when there is no terminal to draw a bar on. */
export function formatPhaseLine(progress: ImportProgress): string {
  return `${PHASE_LABELS[progress.phase]}…`;
}

/** `Imported payments-service: 41 commits read (12 with spec changes); 120 new versions, 12 new specs, 1 file skipped (…)`. */
export function formatImportSummary(repositoryName: string, record: ImportCounts): string {
  return `Imported ${repositoryName}: ${describeImportCounts(record, { skipped: " (see the repository page)" })}`;
}

export interface ProgressReporter {
  update(progress: ImportProgress): void;
  stop(): void;
}

export interface ProgressReporterOptions {
  stream: NodeJS.WriteStream;
  /** Draw a bar that redraws in place; otherwise print one line per phase. */
  interactive: boolean;
}

export function createProgressReporter(opts: ProgressReporterOptions): ProgressReporter {
  return opts.interactive ? barReporter(opts.stream) : lineReporter(opts.stream);
}

function lineReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let phase: ImportPhase | null = null;
  return {
    update(progress) {
      if (progress.phase === phase) return;
      phase = progress.phase;
      stream.write(`${formatPhaseLine(progress)}\n`);
    },
    stop() {},
  };
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let current: ImportProgress = { phase: "resolving", done: 0, total: 1 };
  const bar = new cliProgress.SingleBar({
    stream,
    hideCursor: true,
    clearOnComplete: false,
    format: (options) => formatProgressLine(current, options.barsize ?? 30),
  });
  let started = false;
  return {
    update(progress) {
      current = progress;
      if (!started) {
        bar.start(progress.total, progress.done);
        started = true;
        return;
      }
      // A new phase brings a new total; setTotal keeps it one bar rather than one per phase.
      if (bar.getTotal() !== progress.total) bar.setTotal(progress.total);
      bar.update(progress.done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** A bar for sending many items in batches: on stderr when it is a terminal, silent otherwise. */
export function createBatchProgress(total: number, label: string): { update(done: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, hideCursor: true, format: `${label} [{bar}] {value}/{total}` },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}
