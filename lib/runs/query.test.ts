import { describe, expect, it } from "vitest";
import { boundOf, runsQuerySchema, runsSearch, runsWhere } from "./query";

describe("runsQuerySchema", () => {
  it("accepts the filters the list offers and defaults to page 1", () => {
    expect(runsQuerySchema.parse({ agent: "codex", outcome: "failed", since: "2026-11-01", until: "2026-11-30T12:00:00Z" })).toEqual({
      agent: "codex",
      outcome: "failed",
      since: "2026-11-01",
      until: "2026-11-30T12:00:00Z",
      page: 1,
    });
  });

  it("refuses unknown outcomes, impossible days, non-canonical pages and ids with spaces", () => {
    for (const bad of [
      { outcome: "won" },
      { since: "2026-02-30" },
      { until: "yesterday" },
      { page: "01" },
      { page: "0" },
      { spec: "a b" },
      { since: "9999-01-01" },
    ]) {
      expect(runsQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("boundOf", () => {
  it("reads a day as its UTC start (since) or the next day's start (until, exclusive)", () => {
    expect(boundOf("2026-12-03", "since").toISOString()).toBe("2026-12-03T00:00:00.000Z");
    expect(boundOf("2026-12-03", "until").toISOString()).toBe("2026-12-04T00:00:00.000Z");
    expect(boundOf("2026-12-03T10:00:00+02:00", "until").toISOString()).toBe("2026-12-03T08:00:00.000Z");
  });
});

describe("runsWhere", () => {
  it("narrows by each given filter and by nothing when none is given", () => {
    expect(runsWhere({})).toEqual({});
    expect(runsWhere({ agent: "kiro", repository: "shop", outcome: "succeeded", spec: "s1", since: "2026-12-01" })).toEqual({
      agent: "kiro",
      repositoryName: "shop",
      outcome: "succeeded",
      AND: [{ refs: { some: { specVersion: { specId: "s1" } } } }],
      createdAt: { gte: new Date("2026-12-01T00:00:00Z") },
    });
  });

  it("with the spec's name, also matches references that name the live spec but resolved to no version", () => {
    expect(runsWhere({ spec: "s1" }, { repository: "shop", path: "specs/a.md" }).AND).toEqual([
      { refs: { some: { OR: [{ specVersion: { specId: "s1" } }, { specVersionId: null, repositoryName: "shop", path: "specs/a.md" }] } } },
    ]);
  });

  it("applies a spec and a version filter together", () => {
    expect(runsWhere({ spec: "s1", version: "v1" }).AND).toEqual([
      { refs: { some: { specVersion: { specId: "s1" } } } },
      { refs: { some: { specVersionId: "v1" } } },
    ]);
  });
});

describe("runsSearch", () => {
  it("keeps the filters in links and changes only what is asked", () => {
    const query = runsQuerySchema.parse({ agent: "codex", page: "3" });
    expect(runsSearch(query)).toBe("?agent=codex&page=3");
    expect(runsSearch(query, { page: undefined })).toBe("?agent=codex");
    expect(runsSearch({ page: 1 })).toBe("");
  });
});
