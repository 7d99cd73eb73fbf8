import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RequirementsSection } from "./requirements";

const row = (key: string | null, status: "verified" | "unverified" | "suspect", missingTests = 0) => ({
  id: `id-${key ?? "x"}`,
  key,
  explicit: key !== null,
  text: `text of ${key ?? "an EARS sentence"}`,
  line: 3,
  confidence: 1,
  addedSeq: 1,
  changedSeq: 1,
  changedAt: new Date("2026-01-01T00:00:00Z"),
  tests: status === "unverified" ? 0 : 1,
  missingTests,
  status,
});

describe("RequirementsSection", () => {
  it("shows the spec's figures and each requirement with its status and page link", () => {
    const html = renderToStaticMarkup(
      createElement(RequirementsSection, {
        data: {
          spec: { id: "s", path: "specs/a/spec.md" },
          summary: { count: 3, withTest: 2, suspect: 1, shareWithTest: 0.667, shareSuspect: 0.333 },
          requirements: [row("FR-001", "verified"), row("FR-002", "suspect"), row(null, "unverified", 1)],
        },
      }),
    );
    expect(html).toContain("3 requirements · 67% with a test · 33% suspect");
    expect(html).toContain('href="/requirements/id-FR-002"');
    expect(html).toContain("suspect link");
    expect(html).toContain("line 3");
    // Only the row whose [@test path] link names a missing path says so.
    expect(html.match(/test path not found/g)).toHaveLength(1);
  });

  it("says when a spec has none", () => {
    const html = renderToStaticMarkup(
      createElement(RequirementsSection, {
        data: { spec: { id: "s", path: "p" }, summary: { count: 0, withTest: 0, suspect: 0, shareWithTest: 0, shareSuspect: 0 }, requirements: [] },
      }),
    );
    expect(html).toContain("None found.");
  });
});
