import { describe, expect, it } from "vitest";
import { versionBanner } from "./version-banner";

describe("versionBanner", () => {
  it("says which version of how many, from which day, and which one is live", () => {
    expect(versionBanner({ selectedSeq: 3, latestSeq: 7, total: 7, committedAt: new Date("2026-10-02T23:30:00Z") })).toEqual({
      seq: 3,
      total: 7,
      day: "2026-10-02",
      liveSeq: 7,
    });
  });

  it("shows nothing on the live version", () => {
    expect(versionBanner({ selectedSeq: 7, latestSeq: 7, total: 7, committedAt: new Date() })).toBeNull();
  });
});
