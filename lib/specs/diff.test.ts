import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTwoFilesPatch } from "diff";
import { countLines, diffTexts, hunkHeader, toHunks, toSideBySide, type VersionDiff } from "./diff";

function expectOk(diff: VersionDiff): Extract<VersionDiff, { status: "ok" }> {
  if (diff.status !== "ok") throw new Error(`expected an ok diff, got ${JSON.stringify(diff)}`);
  return diff;
}

function randomText(lines: number): string {
  return randomBytes(lines * 12)
    .toString("hex")
    .replace(/.{24}/g, "$&\n");
}

describe("diffTexts", () => {
  it.each([
    ["", ""],
    ["# Spec\n", "# Spec\n"],
  ])("reports identical texts %j", (text) => {
    expect(diffTexts({ oldText: text, newText: text })).toEqual({ status: "identical" });
  });

  it("numbers lines on both sides and counts changes", () => {
    const diff = expectOk(diffTexts({ oldText: "a\nb\nc\n", newText: "a\nB\nc\nd\n" }));
    expect(diff.lines).toEqual([
      { kind: "context", text: "a", oldNumber: 1, newNumber: 1 },
      { kind: "removed", text: "b", oldNumber: 2, newNumber: null },
      { kind: "added", text: "B", oldNumber: null, newNumber: 2 },
      { kind: "context", text: "c", oldNumber: 3, newNumber: 3 },
      { kind: "added", text: "d", oldNumber: null, newNumber: 4 },
    ]);
    expect(diff.added).toBe(2);
    expect(diff.removed).toBe(1);
  });

  it("handles a file created from nothing and a missing final newline", () => {
    const diff = expectOk(diffTexts({ oldText: "", newText: "one\ntwo" }));
    expect(diff.lines.map((l) => [l.kind, l.text, l.newNumber])).toEqual([
      ["added", "one", 1],
      ["added", "two", 2],
    ]);
    expect(diff.removed).toBe(0);
  });

  it("keeps empty lines as lines", () => {
    const diff = expectOk(diffTexts({ oldText: "a\n\nb\n", newText: "a\n\n\nb\n" }));
    expect(diff.added).toBe(1);
    expect(diff.lines.map((l) => [l.kind, l.text])).toEqual([
      ["context", "a"],
      ["context", ""],
      ["added", ""],
      ["context", "b"],
    ]);
  });

  it("builds a unified patch with the given labels", () => {
    const diff = expectOk(diffTexts({ oldText: "a\nb\n", newText: "a\nc\n", oldLabel: "specs/x/spec.md@v1", newLabel: "specs/x/spec.md@v2" }));
    expect(diff.patch).toBe(["--- specs/x/spec.md@v1", "+++ specs/x/spec.md@v2", "@@ -1,2 +1,2 @@", " a", "-b", "+c", ""].join("\n"));
  });

  it("pairs removed and added runs into side-by-side rows", () => {
    const diff = expectOk(diffTexts({ oldText: "a\nb\nc\nz\n", newText: "a\nB\nz\nnew\n" }));
    expect(diff.rows).toEqual([
      { left: { number: 1, text: "a", kind: "context" }, right: { number: 1, text: "a", kind: "context" } },
      { left: { number: 2, text: "b", kind: "removed" }, right: { number: 2, text: "B", kind: "added" } },
      { left: { number: 3, text: "c", kind: "removed" }, right: null },
      { left: { number: 4, text: "z", kind: "context" }, right: { number: 3, text: "z", kind: "context" } },
      { left: null, right: { number: 4, text: "new", kind: "added" } },
    ]);
  });

  it("refuses sides over maxBytes without diffing, counting UTF-8 bytes", () => {
    // Two characters but six bytes: a limit in UTF-16 units would let it through.
    const diff = diffTexts({ oldText: "a", newText: "✓✓", maxBytes: 5 });
    expect(diff.status).toBe("too-different");
    if (diff.status === "too-different") expect(diff.reason).toMatch(/new version is 6 bytes, over the 5 bytes limit/);
    expect(diffTexts({ oldText: "a", newText: "✓✓", maxBytes: 6 }).status).toBe("ok");
  });

  it("refuses documents over the default 2 MB", () => {
    const big = "x".repeat(2 * 1024 * 1024 + 1);
    expect(diffTexts({ oldText: big, newText: "" })).toMatchObject({ status: "too-different", reason: expect.stringMatching(/old version/) });
  });

  it("gives up on large unrelated texts when the time budget runs out", () => {
    const diff = diffTexts({ oldText: randomText(20_000), newText: randomText(20_000), timeoutMs: 1 });
    expect(diff).toEqual({ status: "too-different", reason: expect.stringMatching(/too different to diff/) });
  });
});

describe("toSideBySide", () => {
  it("leaves unmatched additions on the right when an added run outnumbers the removed one", () => {
    const rows = toSideBySide([
      { kind: "removed", text: "x", oldNumber: 1, newNumber: null },
      { kind: "added", text: "y", oldNumber: null, newNumber: 1 },
      { kind: "added", text: "z", oldNumber: null, newNumber: 2 },
    ]);
    expect(rows.map((r) => [r.left?.text ?? null, r.right?.text ?? null])).toEqual([
      ["x", "y"],
      [null, "z"],
    ]);
  });
});

describe("renames", () => {
  it("reports a pure rename as a rename, not as no change", () => {
    expect(diffTexts({ oldText: "# A\n", newText: "# A\n", oldPath: "specs/a.md", newPath: "specs/b.md" })).toEqual({
      status: "renamed",
      rename: { from: "specs/a.md", to: "specs/b.md" },
    });
    expect(diffTexts({ oldText: "# A\n", newText: "# A\n", oldPath: "specs/a.md", newPath: "specs/a.md" })).toEqual({ status: "identical" });
  });

  it("keeps the rename beside the edits of a renamed and edited file", () => {
    const diff = expectOk(diffTexts({ oldText: "a\n", newText: "b\n", oldPath: "x.md", newPath: "y.md" }));
    expect(diff.rename).toEqual({ from: "x.md", to: "y.md" });
  });
});

describe("toHunks", () => {
  const numbered = (n: number, edit: (i: number) => string = (i) => `line ${i}`) => Array.from({ length: n }, (_, i) => edit(i + 1)).join("\n") + "\n";

  it("shows three lines of context around each change and collapses the rest into gaps", () => {
    const diff = expectOk(diffTexts({ oldText: numbered(30), newText: numbered(30, (i) => (i === 10 || i === 25 ? `changed ${i}` : `line ${i}`)) }));
    const blocks = toHunks(diff.lines);
    expect(blocks.map((b) => [b.kind, b.lines.length])).toEqual([
      ["gap", 6],
      ["hunk", 8],
      ["gap", 8],
      ["hunk", 8],
      ["gap", 2],
    ]);
    // Every line is in exactly one block, in order.
    expect(blocks.flatMap((b) => b.lines)).toEqual(diff.lines);
  });

  it("merges changes closer than twice the context into one hunk, and headers match git's", () => {
    const oldText = numbered(20);
    const newText = numbered(20, (i) => (i === 8 || i === 13 ? `changed ${i}` : `line ${i}`));
    const diff = expectOk(diffTexts({ oldText, newText }));
    const hunks = toHunks(diff.lines).filter((b) => b.kind === "hunk");
    expect(hunks).toHaveLength(1);
    const patch = createTwoFilesPatch("a", "b", oldText, newText, undefined, undefined, { context: 3 });
    expect(patch).toContain(hunks[0].kind === "hunk" ? hunks[0].header : "");
  });

  it("numbers a hunk of a file created from nothing from zero on the old side", () => {
    const diff = expectOk(diffTexts({ oldText: "", newText: "a\nb\n" }));
    expect(toHunks(diff.lines)).toEqual([{ kind: "hunk", header: "@@ -0,0 +1,2 @@", lines: diff.lines }]);
    expect(hunkHeader(diff.lines)).toBe("@@ -0,0 +1,2 @@");
  });

  it("makes no gaps for a small file", () => {
    const diff = expectOk(diffTexts({ oldText: "a\nb\n", newText: "a\nc\n" }));
    expect(toHunks(diff.lines).map((b) => b.kind)).toEqual(["hunk"]);
  });
});

describe("countLines", () => {
  it("counts the lines a diff from nothing adds: a final newline ends a line", () => {
    for (const text of ["a\nb\n", "a\nb", "a\n\nb\n\n", "one", "\n"]) {
      const diff = diffTexts({ oldText: "", newText: text });
      expect(countLines(text), JSON.stringify(text)).toBe(diff.status === "ok" ? diff.added : -1);
    }
    expect(countLines("")).toBe(0);
  });
});
