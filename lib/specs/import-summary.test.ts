import { describe, expect, it } from "vitest";
import { describeImportCounts, importWarning } from "./import-summary";

describe("describeImportCounts", () => {
  const counts = { commitsScanned: 41, commitsWithSpecChanges: 12, versionsAdded: 120, specsAdded: 12, filesSkipped: 0 };

  it("names each figure for what it counts", () => {
    expect(describeImportCounts(counts)).toBe("41 commits read (12 with spec changes); 120 new versions, 12 new specs");
    expect(describeImportCounts({ ...counts, commitsScanned: 1, commitsWithSpecChanges: 1, versionsAdded: 1, specsAdded: 1 })).toBe(
      "1 commit read (1 with spec changes); 1 new version, 1 new spec",
    );
  });

  it("says commits were read even when none changed a spec file", () => {
    expect(describeImportCounts({ ...counts, commitsScanned: 3, commitsWithSpecChanges: 0, versionsAdded: 0, specsAdded: 0 })).toBe(
      "3 commits read (0 with spec changes); 0 new versions, 0 new specs",
    );
  });

  it("is up to date only when no commit was read", () => {
    expect(describeImportCounts({ ...counts, commitsScanned: 0, commitsWithSpecChanges: 0 })).toBe("no new commits, already up to date");
  });

  it("counts skipped files, with the caller's pointer", () => {
    expect(describeImportCounts({ ...counts, filesSkipped: 2 }, { skipped: " (see the repository page)" })).toBe(
      "41 commits read (12 with spec changes); 120 new versions, 12 new specs, 2 files skipped (see the repository page)",
    );
  });

  it("does not invent a figure for imports recorded before commits were counted", () => {
    expect(describeImportCounts({ ...counts, commitsScanned: null })).toBe("12 commits with spec changes; 120 new versions, 12 new specs");
  });
});

describe("importWarning", () => {
  it("says nothing when recognised files are live", () => {
    expect(importWarning({ branch: "main", liveSpecs: 1, allSpecs: 3, versions: 9 })).toBeNull();
  });

  it("says nothing was recognised when nothing ever was", () => {
    expect(importWarning({ branch: "main", liveSpecs: 0, allSpecs: 0, versions: 0 })).toMatch(/^No recognised spec or agent files on main\./);
  });

  it("says what came from history when every recognised file was deleted", () => {
    const warning = importWarning({ branch: "trunk", liveSpecs: 0, allSpecs: 2, versions: 5 });
    expect(warning).toBe(
      "Imported 5 versions of 2 files from the history of trunk, but none of them is on trunk now: all were deleted. They are listed among the deleted specs, with their history.",
    );
    expect(warning).not.toMatch(/No recognised/);
    expect(importWarning({ branch: "main", liveSpecs: 0, allSpecs: 1, versions: 1 })).toBe(
      "Imported 1 version of 1 file from the history of main, but it is not on main now: it was deleted. It is listed among the deleted specs, with its history.",
    );
  });
});
