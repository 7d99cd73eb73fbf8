import { describe, expect, it } from "vitest";
import { TYPED_GLOB, globProblem, splitGlobList, typedGlobRefusal } from "./paths";

const BOUNDED_ONLY = { bounded: true, matchable: false };
const MATCHABLE_ONLY = { bounded: false, matchable: true };

describe("globProblem", () => {
  it.each(["specs/**", "**/*.md", "specs/pay-*/*.{md,yaml}", "a?b*/c*d*e", "src/[ab]/x.ts"])("takes %s under every rule", (glob) => {
    expect(globProblem(glob, TYPED_GLOB)).toBeNull();
    expect(typedGlobRefusal(glob)).toBeNull();
  });

  // Typed globs (budgets, subscriptions, suppressions): the server matches them, so they are bounded.
  it.each([
    ["*a*a*a*a*b", /more than three wildcards in "\*a\*a\*a\*a\*b"/],
    ["specs/*a*a*a*b/x", /more than three wildcards/],
    ["x".repeat(501), /more than 500 characters/],
  ])("bounded: refuses %s", (glob, problem) => {
    expect(globProblem(glob, BOUNDED_ONLY)).toMatch(problem);
    expect(globProblem(glob, MATCHABLE_ONLY)).toBeNull();
    expect(typedGlobRefusal(glob)).toMatch(/^Not a usable glob: it has /);
  });

  // Agent rule files (applyTo, globs, paths): what no tool can match as written.
  it.each([
    ["", /empty pattern/],
    ["src\\x.ts", /backslash/],
    ["/src/**/*.ts", /absolute path/],
    ["./lib/*.ts", /leading "\.\/"/],
    ["../lib/*.ts", /leading "\.\.\/"/],
    ["src/{a,b.ts", /unclosed \{ or \[/],
    ["src/a]", /closing bracket without its opening one/],
  ])("matchable: refuses %s", (glob, problem) => {
    expect(globProblem(glob, MATCHABLE_ONLY)).toMatch(problem);
    expect(globProblem(glob, BOUNDED_ONLY)).toBeNull();
    expect(typedGlobRefusal(glob)).toMatch(problem);
  });
});

describe("splitGlobList", () => {
  it("splits on commas outside braces, trims, and keeps an empty entry for a stray comma", () => {
    expect(splitGlobList("src/**/*.{ts,tsx}, docs/*.md")).toEqual(["src/**/*.{ts,tsx}", "docs/*.md"]);
    expect(splitGlobList("a,,b")).toEqual(["a", "", "b"]);
  });
});
