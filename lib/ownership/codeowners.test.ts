import { describe, expect, it } from "vitest";
import { compileOwnership, parseCodeowners, sameRules } from "./codeowners";

const FILE = `
# Platform owns everything by default
*                       @acme/platform
*.md                    @acme/docs        # docs team reviews prose
/specs/                 @acme/payments
specs/002-refunds/      @acme/payments @dana
apps/                   @octocat
/docs/*                 docs@acme.test
/build/logs/
AGENTS.md               @acme/platform
\\#notes.md              @hash
`;

describe("parseCodeowners", () => {
  it("reads patterns, owners, comments and escaped hashes", () => {
    const { rules, errors } = parseCodeowners(FILE);
    expect(errors).toEqual([]);
    expect(rules.map((r) => [r.pattern, r.owners])).toEqual([
      ["*", ["@acme/platform"]],
      ["*.md", ["@acme/docs"]],
      ["/specs/", ["@acme/payments"]],
      ["specs/002-refunds/", ["@acme/payments", "@dana"]],
      ["apps/", ["@octocat"]],
      ["/docs/*", ["docs@acme.test"]],
      ["/build/logs/", []],
      ["AGENTS.md", ["@acme/platform"]],
      ["#notes.md", ["@hash"]],
    ]);
    expect(rules[2].line).toBe(5);
  });

  it("reports what GitHub would reject, with the line", () => {
    const { rules, errors } = parseCodeowners("!keep.md @a\nsrc/[ab].md @a\nx.md not-an-owner\nok.md @ok");
    expect(rules.map((r) => r.pattern)).toEqual(["ok.md"]);
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3]);
  });
});

describe("compileOwnership (last match wins)", () => {
  const { rules } = parseCodeowners(FILE);
  const owner = compileOwnership(rules);
  it.each([
    ["src/index.ts", ["@acme/platform"]],
    ["README.md", ["@acme/docs"]],
    ["specs/001-checkout/spec.md", ["@acme/payments"]],
    ["services/x/specs/001/spec.md", ["@acme/docs"]], // /specs/ is anchored to the root
    ["specs/002-refunds/spec.md", ["@acme/payments", "@dana"]],
    ["web/apps/main.ts", ["@octocat"]], // apps/ matches at any depth
    ["docs/guide.md", ["docs@acme.test"]],
    ["docs/deep/guide.md", ["@acme/docs"]], // /docs/* is one level only
    ["build/logs/today.log", []], // a rule without owners clears ownership
    ["AGENTS.md", ["@acme/platform"]],
    ["sub/AGENTS.md", ["@acme/platform"]],
    ["#notes.md", ["@hash"]],
  ])("%s is owned by %j", (path, owners) => {
    expect(owner(path)?.rule.owners).toEqual(owners);
  });

  it("names no rule when nothing matches", () => {
    expect(compileOwnership(parseCodeowners("/specs/ @a").rules)("src/x.ts")).toBeNull();
    expect(compileOwnership([])("anything")).toBeNull();
  });

  it("reports which rule decided", () => {
    expect(owner("specs/002-refunds/plan.md")?.index).toBe(3);
  });
});

describe("sameRules", () => {
  const rules = [
    { pattern: "specs/", owners: ["@acme/a"] },
    { pattern: "*.md", owners: ["@x", "@y"] },
  ];
  it("holds for the same patterns and owners in the same order", () => {
    expect(sameRules(rules, structuredClone(rules))).toBe(true);
    expect(sameRules([], [])).toBe(true);
  });
  it("fails on another order, another owner, an owner list reordered, or a rule more or less", () => {
    expect(sameRules(rules, [rules[1], rules[0]])).toBe(false);
    expect(sameRules(rules, [rules[0], { pattern: "*.md", owners: ["@x", "@z"] }])).toBe(false);
    expect(sameRules(rules, [rules[0], { pattern: "*.md", owners: ["@y", "@x"] }])).toBe(false);
    expect(sameRules(rules, rules.slice(0, 1))).toBe(false);
    expect(sameRules([], rules)).toBe(false);
  });
});
