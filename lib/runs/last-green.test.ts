import { describe, expect, it } from "vitest";
import { checkoutCommands, liveVersusGreen, pickLastGreen, shellQuote, type VersionRuns } from "./last-green";

const at = (minute: number) => new Date(Date.UTC(2026, 11, 3, 12, minute));
const v = (seq: number, succeeded: number, lastOk: number | null, lastFail: number | null): VersionRuns => ({
  seq,
  succeeded,
  lastSucceededAt: lastOk === null ? null : at(lastOk),
  lastFailedAt: lastFail === null ? null : at(lastFail),
});

describe("pickLastGreen", () => {
  it.each([
    ["the newest version with a success", [v(1, 1, 1, null), v(2, 1, 2, null)], 1, 2],
    ["skips a newer version that failed after its success", [v(1, 1, 1, null), v(2, 1, 2, 3)], 1, 1],
    ["keeps a version whose failure came before its last success", [v(3, 2, 9, 5)], 1, 3],
    ["a failure at the same instant as the success is not green (fail closed)", [v(1, 1, 4, 4)], 1, null],
    ["needs N succeeded runs", [v(1, 3, 1, null), v(2, 2, 2, null)], 3, 1],
    ["none when no version has enough", [v(1, 1, 1, null)], 2, null],
    ["none without runs", [], 1, null],
    ["order of the input does not matter", [v(5, 1, 1, null), v(2, 1, 2, null), v(9, 0, null, 3)], 1, 5],
  ] as const)("%s", (_name, versions, minSucceeded, expected) => {
    expect(pickLastGreen([...versions], { minSucceeded }).version?.seq ?? null).toBe(expected);
  });

  it("says why nothing qualifies, naming the newest version's problem", () => {
    expect(pickLastGreen([v(1, 1, 1, 2), v(2, 0, null, 3)], { minSucceeded: 1 }).reason).toMatch(/version 2 has 0 succeeded runs, 1 needed/);
    expect(pickLastGreen([v(4, 1, 1, 2)], { minSucceeded: 1 }).reason).toMatch(/version 4 failed after its last success/);
    expect(pickLastGreen([], { minSucceeded: 1 }).reason).toMatch(/No run reported/);
    expect(pickLastGreen([v(1, 1, 1, null)], { minSucceeded: 1 }).reason).toBeNull();
  });
});

describe("liveVersusGreen", () => {
  it.each([
    [5, 3, "Live is 2 versions past last green."],
    [4, 3, "Live is 1 version past last green."],
    [3, 3, null],
    [3, null, "No version of this spec is green yet."],
    [null, null, null],
  ] as const)("live %s, green %s", (live, green, expected) => {
    expect(liveVersusGreen(live, green)).toBe(expected);
  });
});

describe("checkoutCommands", () => {
  it("prints commands a shell runs as is, quoting odd paths", () => {
    expect(checkoutCommands("abc1234", "specs/a/spec.md")).toEqual({
      show: "git show abc1234:specs/a/spec.md",
      restore: "git checkout abc1234 -- specs/a/spec.md",
    });
    expect(checkoutCommands("abc1234", "specs/it's here.md").restore).toBe(`git checkout abc1234 -- 'specs/it'\\''s here.md'`);
    expect(shellQuote("$(rm -rf /)")).toBe("'$(rm -rf /)'");
  });
});
