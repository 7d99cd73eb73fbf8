import { describe, expect, it } from "vitest";
import { findImports, withoutCodeSpans } from "./imports";

describe("withoutCodeSpans", () => {
  it("removes spans closed by a run of the same length, and leaves unmatched backticks", () => {
    expect(withoutCodeSpans("see `@a` and ``@b ` c`` then @d")).toBe("see   and   then @d");
    expect(withoutCodeSpans("a ` lone backtick @x")).toBe("a ` lone backtick @x");
    expect(withoutCodeSpans("``` one `` two ```")).toBe(" ");
  });

  it("reads a line of hundreds of thousands of backticks in one pass (a backreferencing regex took minutes)", () => {
    const line = `@x ${"`".repeat(400_000)}`;
    expect(withoutCodeSpans(line)).toBe(line);
    expect(findImports(line)).toEqual([{ target: "x", line: 1 }]);
  });
});

describe("findImports", () => {
  it("finds @paths outside code, without the sentence's punctuation, even after a long run of it", () => {
    expect(findImports("Read @docs/a.md. And `@not/this.md`.\n```\n@nor/this.md\n```\n@b.md")).toEqual([
      { target: "docs/a.md", line: 1 },
      { target: "b.md", line: 5 },
    ]);
    expect(findImports(`@docs/x.md${".".repeat(300_000)}y`)).toEqual([{ target: `docs/x.md${".".repeat(300_000)}y`, line: 1 }]);
  });
});
