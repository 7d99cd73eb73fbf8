import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { diffTexts, toSideBySide, type VersionDiff } from "./diff";

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
