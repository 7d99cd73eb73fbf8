import { describe, expect, it } from "vitest";
import { auditQuerySchema, auditSearch, auditWhere, explainGap, seqGaps, subjectHref } from "./browse-query";

describe("auditQuerySchema", () => {
  it("accepts the filters and refuses malformed ones", () => {
    expect(auditQuerySchema.parse({ actor: "a@b.test", action: "repository.", target: "repository", since: "2026-12-01", before: "120" })).toMatchObject({
      before: 120,
    });
    for (const bad of [{ since: "2026-02-30" }, { until: "today" }, { before: "0" }, { before: "1e3" }, { actor: "a\u0000b" }]) {
      expect(auditQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("auditWhere", () => {
  it("matches an exact type or a family, an exact subject or a kind, and whole UTC days", () => {
    expect(auditWhere({ action: "repository.archived", target: "repository:abc" })).toEqual({ action: "repository.archived", subject: "repository:abc" });
    expect(auditWhere({ action: "repository.", target: "repository", until: "2026-12-03" })).toEqual({
      action: { startsWith: "repository." },
      subject: { startsWith: "repository:" },
      occurredAt: { lt: new Date("2026-12-04T00:00:00Z") },
    });
    expect(auditWhere({})).toEqual({});
  });
});

describe("sequence gaps", () => {
  it("finds where consecutive listed events skip numbers", () => {
    expect(seqGaps([10, 9, 7, 3])).toEqual([
      { after: 9, before: 7 },
      { after: 7, before: 3 },
    ]);
    expect(seqGaps([5, 4, 3])).toEqual([]);
  });

  it("tells filtered-out events from numbers a rolled-back transaction took", () => {
    expect(explainGap({ after: 9, before: 7 }, 0)).toBe("#8: 1 number never used (a transaction rolled back; the chain has no hole)");
    expect(explainGap({ after: 7, before: 3 }, 3)).toBe("#4–#6: 3 events the filters leave out");
    expect(explainGap({ after: 20, before: 10 }, 7)).toBe(
      "#11–#19: 7 events the filters leave out; 2 numbers never used (a transaction rolled back; the chain has no hole)",
    );
  });
});

describe("subjectHref", () => {
  it("links subjects that have a page and nothing else", () => {
    expect(subjectHref("repository:r1")).toBe("/repositories/r1");
    expect(subjectHref("change:12")).toBe("/changes/12");
    expect(subjectHref("change:abc")).toBeNull();
    expect(subjectHref("token:t1")).toBeNull();
    expect(subjectHref("workspace")).toBeNull();
  });
});

describe("auditSearch", () => {
  it("keeps filters in links", () => {
    expect(auditSearch({ actor: "a@b.test", before: 40 }, { before: undefined })).toBe("?actor=a%40b.test");
  });
});
