import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { diffTexts, type VersionDiff } from "@/lib/specs/diff";
import { DiffView } from "./diff-view";

const render = (diff: VersionDiff, mode: "split" | "unified" = "unified") => renderToStaticMarkup(createElement(DiffView, { diff, mode }));

describe("DiffView", () => {
  it("says when versions are identical", () => {
    const html = render({ status: "identical" });
    expect(html).toContain("identical");
    expect(html).not.toContain("<table");
  });

  it("explains a diff that was given up on", () => {
    const html = render({ status: "too-different", reason: "The old version is 3 MB, over the 2 MB limit for diffs." });
    expect(html).toContain("Too different to diff");
    expect(html).toContain("over the 2 MB limit");
  });

  it("renders unified lines with numbers, markers and colours", () => {
    const html = render(diffTexts({ oldText: "a\nb\n", newText: "a\nc\n" }));
    expect(html).toMatch(/<tr class="bg-red-50" data-kind="removed"><td[^>]*>2<\/td><td[^>]*><\/td><td[^>]*>-<\/td><td[^>]*>b<\/td>/);
    expect(html).toMatch(/<tr class="bg-green-50" data-kind="added"><td[^>]*><\/td><td[^>]*>2<\/td><td[^>]*>\+<\/td><td[^>]*>c<\/td>/);
    expect(html).toContain("whitespace-pre-wrap");
    expect(html).toContain("+1");
  });

  it("renders split rows with an empty half for unpaired lines", () => {
    const html = render(diffTexts({ oldText: "a\n", newText: "a\nnew\n" }), "split");
    // The hunk header, then the two rows.
    expect((html.match(/<tr/g) ?? []).length).toBe(3);
    expect(html).toContain("@@ -1,1 +1,2 @@");
    expect(html).toMatch(/<td class="[^"]*bg-gray-50" colSpan="2"><\/td>.*data-kind="added">new<\/td>/);
  });

  it("collapses unchanged lines far from a change behind an expand button", () => {
    const lines = (n: number, changed?: number) => Array.from({ length: n }, (_, i) => (i + 1 === changed ? "changed" : `line ${i + 1}`)).join("\n") + "\n";
    const html = render(diffTexts({ oldText: lines(40), newText: lines(40, 20) }));
    expect(html).toContain("Expand 16 unchanged lines");
    expect(html).toContain("Expand 17 unchanged lines");
    expect(html).toContain("line 17");
    expect(html).not.toContain(">line 16<");
    expect(html).toContain("Expand all");
  });

  it("says a pure rename is a rename", () => {
    const html = render(diffTexts({ oldText: "a\n", newText: "a\n", oldPath: "specs/a.md", newPath: "specs/b.md" }));
    expect(html).toContain("Renamed without changes");
    expect(html).toMatch(/Renamed from <code[^>]*>specs\/a.md<\/code> to <code[^>]*>specs\/b.md<\/code>/);
  });

  it("escapes document text instead of rendering it", () => {
    const html = render(diffTexts({ oldText: "", newText: "<script>alert(1)</script>\n" }));
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });
});
