import { describe, expect, it } from "vitest";
import { diffContracts } from "./diff";
import { KNOWN_DISAGREEMENTS, externalPairs } from "./external";

// oasdiff's own test pairs (lib/contracts/external/oasdiff): every difference from its labels is
// one that was reviewed and explained, and almost nothing it rates breaking slips through.

const now = new Date("2026-12-01T00:00:00Z");
const pairs = externalPairs();
const verdicts = pairs.map((pair) => ({ pair, predicted: diffContracts(pair.base, pair.revision, { now }).changes.some((c) => c.class === "breaking") }));

describe("the external labelled set (oasdiff's test pairs)", () => {
  it("holds the pairs its index names, half of them or more breaking", () => {
    expect(pairs.length).toBeGreaterThanOrEqual(150);
    expect(pairs.filter((p) => p.breaking).length).toBeGreaterThanOrEqual(pairs.length / 2);
  });

  it("differs from oasdiff only where the difference was reviewed, and every reviewed difference still occurs", () => {
    const differing = verdicts.filter((v) => v.predicted !== v.pair.breaking).map((v) => v.pair.name);
    expect(differing.filter((name) => !(name in KNOWN_DISAGREEMENTS))).toEqual([]);
    expect(Object.keys(KNOWN_DISAGREEMENTS).filter((name) => !differing.includes(name))).toEqual([]);
  });

  it("misses at most 5% of what oasdiff rates breaking", () => {
    const breaking = verdicts.filter((v) => v.pair.breaking);
    expect(breaking.filter((v) => v.predicted).length / breaking.length).toBeGreaterThanOrEqual(0.95);
  });
});
