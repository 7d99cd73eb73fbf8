import { describe, expect, it } from "vitest";
import { classifyContractChange } from "./index";

const doc = (schema: object) =>
  JSON.stringify({
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths: { "/x": { get: { responses: { "200": { description: "ok", content: { "application/json": { schema } } } } } } },
  });

describe("classifyContractChange", () => {
  it("answers null for files that are not machine-readable contracts, and for a contract's first version", () => {
    expect(classifyContractChange({ kind: "spec", path: "openapi.yaml", oldText: "a", newText: "b" })).toBeNull();
    expect(classifyContractChange({ kind: "contract", path: "specs/1/contracts/README.md", oldText: "a", newText: "b" })).toBeNull();
    expect(classifyContractChange({ kind: "contract", path: "openapi.json", oldText: "", newText: doc({ type: "string" }) })).toBeNull();
  });

  it.each([
    ["a revision that does not parse", doc({ type: "string" }), "openapi: [", /not valid YAML or JSON/],
    ["a reference it cannot follow", doc({ type: "string" }), doc({ $ref: "common.yaml#/X" }), /common\.yaml#\/X/],
  ])("fails closed on %s: treated as breaking until the owners approve", (_name, oldText, newText, reason) => {
    const result = classifyContractChange({ kind: "contract", path: "openapi.json", oldText, newText })!;
    expect(result.breaking).toBe(0);
    expect(result.summary).toMatch(/^Not fully classified, so treated as breaking: /);
    expect(result.summary).toMatch(reason);
  });
});
