import { describe, expect, it } from "vitest";
import { findTicketKey, parsePrefixes, ticketPolicySchema, ticketUrl } from "./ticket";

describe("findTicketKey", () => {
  it.each([
    ["ABC-123: tighten checkout", ["ABC"], "ABC-123"],
    ["Fixes PAY-7 and ABC-9", ["ABC", "PAY"], "PAY-7"],
    ["abc-123 lower case", ["ABC"], null],
    ["XABC-123 is another project", ["ABC"], null],
    ["ABC-0 is not a key", ["ABC"], null],
    ["ABC-12345678901 is too long", ["ABC"], null],
    ["no key at all", ["ABC"], null],
    ["(see ABC-42)", ["ABC"], "ABC-42"],
  ] as const)("%s", (text, prefixes, key) => expect(findTicketKey(text, prefixes)).toBe(key));

  it("ignores prefixes that are not plain (no pattern reaches the regular expression)", () => {
    expect(findTicketKey("(a+)+-1", ["(a+)+"])).toBeNull();
  });
});

describe("ticketPolicySchema", () => {
  const good = { prefixes: ["ABC"], urlTemplate: "https://tracker.example/browse/{key}" };
  it("accepts prefixes and an http(s) template with {key}", () => {
    expect(ticketPolicySchema.parse(good)).toEqual(good);
    expect(ticketUrl(good.urlTemplate, "ABC-1")).toBe("https://tracker.example/browse/ABC-1");
  });
  it.each([
    ["a regular expression", { ...good, prefixes: ["(a+)+$"] }],
    ["lower case", { ...good, prefixes: ["abc"] }],
    ["no prefix", { ...good, prefixes: [] }],
    ["a template without {key}", { ...good, urlTemplate: "https://tracker.example/" }],
    ["a javascript: template", { ...good, urlTemplate: "javascript:alert(1)//{key}" }],
    ["an unknown field", { ...good, pattern: ".*" }],
  ])("refuses %s", (_name, policy) => expect(ticketPolicySchema.safeParse(policy).success).toBe(false));
});

describe("parsePrefixes", () => {
  it("splits on commas, spaces and new lines and drops empty pieces, keeping each as typed", () => {
    expect(parsePrefixes(" ABC, OPS\nabc  ,, X_1 ")).toEqual(["ABC", "OPS", "abc", "X_1"]);
    expect(parsePrefixes(" , \n")).toEqual([]);
  });
});
