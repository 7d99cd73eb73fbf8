import { describe, expect, it } from "vitest";
import { latestSeq, sectionsFor } from "./sections";

describe("sectionsFor", () => {
  it.each([
    ["admin", undefined, { review: true, updates: true, findings: true }],
    ["reviewer", undefined, { review: true, updates: true, findings: true }],
    ["viewer", undefined, { review: false, updates: true, findings: true }],
    // reviews:decide is never reachable through a token's specs:read scope.
    ["admin", ["specs:read"], { review: false, updates: true, findings: true }],
    ["admin", ["checks:write"], { review: false, updates: false, findings: false }],
    ["admin", ["admin"], { review: true, updates: true, findings: true }],
  ] as const)("%s with scopes %j: %j", (role, scopes, expected) => {
    expect(sectionsFor({ role, ...(scopes ? { scopes } : {}) })).toEqual(expected);
  });
});

describe("latestSeq", () => {
  it("is the largest seq, whatever the order, and null for nothing", () => {
    expect(latestSeq([{ seq: 3n }, { seq: 11n }, { seq: 7n }])).toBe(11n);
    expect(latestSeq([])).toBeNull();
  });
});
