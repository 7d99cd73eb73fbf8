import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgressReporter, formatImportSummary, formatPhaseLine, formatProgressLine } from "./progress";

describe("formatProgressLine", () => {
  it("shows the phase, a bar, the percentage and the counts with separators", () => {
    expect(formatProgressLine({ phase: "reading", done: 17_000, total: 33_000 }, 10)).toBe("Reading files     [=====     ]  51% 17,000/33,000");
  });

  it.each([
    ["resolving", "Resolving source "],
    ["scanning", "Scanning history "],
    ["reading", "Reading files    "],
    ["writing", "Writing versions "],
  ] as const)("pads the %s label to one width so the bar does not move", (phase, label) => {
    expect(formatProgressLine({ phase, done: 0, total: 1 }, 4)).toBe(`${label} [    ]   0% 0/1`);
  });

  it("treats an unknown total as no progress and never overflows the bar", () => {
    expect(formatProgressLine({ phase: "scanning", done: 0, total: 0 }, 4)).toBe("Scanning history  [    ]   0% 0/0");
    expect(formatProgressLine({ phase: "writing", done: 12, total: 10 }, 4)).toBe("Writing versions  [====] 100% 12/10");
  });
});

describe("formatImportSummary", () => {
  it("names each figure for what it counts, in the singular where it is one", () => {
    const record = { commitsScanned: 41, commitsWithSpecChanges: 12, versionsAdded: 120, specsAdded: 12, filesSkipped: 1 };
    expect(formatImportSummary("payments-service", record)).toBe(
      "Imported payments-service: 41 commits read (12 with spec changes); 120 new versions, 12 new specs, 1 file skipped (see the repository page)",
    );
    expect(formatImportSummary("x", { commitsScanned: 1, commitsWithSpecChanges: 1, versionsAdded: 1, specsAdded: 1, filesSkipped: 0 })).toBe(
      "Imported x: 1 commit read (1 with spec changes); 1 new version, 1 new spec",
    );
    expect(formatImportSummary("x", { ...record, filesSkipped: 1_500 })).toContain("1,500 files skipped");
  });

  it("says so when there was nothing new", () => {
    expect(formatImportSummary("x", { commitsScanned: 0, commitsWithSpecChanges: 0, versionsAdded: 0, specsAdded: 0, filesSkipped: 0 })).toBe(
      "Imported x: no new commits, already up to date",
    );
  });

  it("reads commits that changed no spec file as new commits, not as up to date", () => {
    expect(formatImportSummary("x", { commitsScanned: 2, commitsWithSpecChanges: 0, versionsAdded: 0, specsAdded: 0, filesSkipped: 0 })).toBe(
      "Imported x: 2 commits read (0 with spec changes); 0 new versions, 0 new specs",
    );
  });
});

describe("createProgressReporter without a terminal", () => {
  it("prints one line per phase, not per update", () => {
    const stream = new PassThrough();
    let output = "";
    stream.on("data", (chunk) => (output += chunk));
    const reporter = createProgressReporter({ stream: stream as unknown as NodeJS.WriteStream, interactive: false });
    reporter.update({ phase: "resolving", done: 0, total: 1 });
    reporter.update({ phase: "reading", done: 0, total: 3 });
    reporter.update({ phase: "reading", done: 2, total: 3 });
    reporter.update({ phase: "writing", done: 1, total: 3 });
    reporter.stop();
    expect(output).toBe("Resolving source…\nReading files…\nWriting versions…\n");
    expect(formatPhaseLine({ phase: "scanning", done: 5, total: 9 })).toBe("Scanning history…");
  });
});
