import { describe, expect, it } from "vitest";
import { globProblem, splitGlobList } from "./paths";

describe("globProblem", () => {
  it.each(["specs/**", "**/*.md", "specs/pay-*/*.{md,yaml}", "a?b*/c*d*e"])("takes %s", (glob) => {
    expect(globProblem(glob)).toBeNull();
  });

  it.each([
    ["*a*a*a*a*b", /more than three wildcards/],
    ["specs/*a*a*a*b/x", /more than three wildcards/],
    ["x".repeat(501), /at most 500 characters/],
  ])("refuses %s", (glob, problem) => {
    expect(globProblem(glob)).toMatch(problem);
  });
});

describe("splitGlobList", () => {
  it("splits on commas outside braces, trims, and keeps an empty entry for a stray comma", () => {
    expect(splitGlobList("src/**/*.{ts,tsx}, docs/*.md")).toEqual(["src/**/*.{ts,tsx}", "docs/*.md"]);
    expect(splitGlobList("a,,b")).toEqual(["a", "", "b"]);
  });
});
