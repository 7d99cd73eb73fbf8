import { describe, expect, it } from "vitest";
import { dueForSync, isSyncableSource, nextSyncAt, syncDelayMinutes, type SyncState } from "./sync";

const now = new Date("2026-12-03T12:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const repo = (overrides: Partial<SyncState> & { id?: string } = {}) => ({
  id: "r",
  source: "https://git.example.com/team/project.git",
  syncIntervalMinutes: 10,
  lastSyncAt: minutesAgo(11),
  syncFailures: 0,
  ...overrides,
});

describe("syncDelayMinutes", () => {
  it.each([
    [10, 0, 10],
    [10, 1, 20],
    [10, 3, 80],
    [10, 6, 360], // 640 capped at 6 h
    [10, 1000, 360], // no overflow, still the cap
    [1440, 0, 1440], // an interval past the cap is never shortened
    [1440, 3, 1440],
    [5, -1, 5],
  ])("interval %i, %i failures → %i minutes", (interval, failures, expected) => {
    expect(syncDelayMinutes(interval, failures)).toBe(expected);
  });
});

describe("isSyncableSource", () => {
  it.each([
    ["https://git.example.com/a.git", true],
    ["ssh://git@git.example.com/a.git", true],
    ["git@git.example.com:team/a.git", true],
    ["git://127.0.0.1:9418/a", true],
    ["/srv/git/a", false],
    ["file:///srv/git/a", false],
    ["relative/path", false],
    ["", false],
  ])("%s → %s", (source, expected) => {
    expect(isSyncableSource(source)).toBe(expected);
  });
});

describe("dueForSync", () => {
  it("picks a URL repository whose last sync is older than its interval, not one synced within it", () => {
    expect(dueForSync([repo({ id: "old" }), repo({ id: "fresh", lastSyncAt: minutesAgo(9) })], now).map((r) => r.id)).toEqual(["old"]);
  });

  it("is due exactly at the interval's end", () => {
    expect(dueForSync([repo({ lastSyncAt: minutesAgo(10) })], now)).toHaveLength(1);
  });

  it("syncs a never-synced URL repository at once", () => {
    expect(nextSyncAt(repo({ lastSyncAt: null }))).toEqual(new Date(0));
    expect(dueForSync([repo({ lastSyncAt: null })], now)).toHaveLength(1);
  });

  it("never syncs a repository without an interval, nor a local path", () => {
    expect(nextSyncAt(repo({ syncIntervalMinutes: null, lastSyncAt: null }))).toBeNull();
    expect(nextSyncAt(repo({ source: "/srv/git/project", lastSyncAt: null }))).toBeNull();
    expect(dueForSync([repo({ syncIntervalMinutes: null }), repo({ source: "/srv/git/project" })], now)).toEqual([]);
  });

  it("backs a failing repository off: interval × 2^failures", () => {
    const failing = repo({ syncFailures: 2, lastSyncAt: minutesAgo(39) });
    expect(dueForSync([failing], now)).toEqual([]);
    expect(nextSyncAt(failing)).toEqual(new Date(minutesAgo(39).getTime() + 40 * 60_000));
    expect(dueForSync([{ ...failing, lastSyncAt: minutesAgo(40) }], now)).toHaveLength(1);
  });

  it("tries a long-failing repository again after at most 6 hours", () => {
    expect(dueForSync([repo({ syncFailures: 30, lastSyncAt: minutesAgo(359) })], now)).toEqual([]);
    expect(dueForSync([repo({ syncFailures: 30, lastSyncAt: minutesAgo(360) })], now)).toHaveLength(1);
  });

  it("orders the most overdue first", () => {
    const list = [repo({ id: "a", lastSyncAt: minutesAgo(15) }), repo({ id: "b", lastSyncAt: null }), repo({ id: "c", lastSyncAt: minutesAgo(60) })];
    expect(dueForSync(list, now).map((r) => r.id)).toEqual(["b", "c", "a"]);
  });
});
