import { describe, expect, it } from "vitest";
import { globProblem } from "./paths";

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
