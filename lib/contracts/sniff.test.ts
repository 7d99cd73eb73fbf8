import { describe, expect, it } from "vitest";
import { mayBeContract, MAX_SNIFF_BYTES, sniffContract } from "./sniff";

describe("sniffContract", () => {
  it.each([
    ["openapi: 3.0.3\ninfo:\n  title: Pets\n", "openapi"],
    ["openapi: '3.1.0'\n", "openapi"],
    ["openapi: 3.2.0\n", "openapi"],
    ["swagger: '2.0'\ninfo: {}\n", "openapi"],
    ['{"swagger": "2.0", "paths": {}}', "openapi"],
    ['openapi: "3.1"\n', "openapi"],
    ["# Pets API\n---\nopenapi: 3.0.0\n", "openapi"],
    ["info:\n  title: x\nopenapi: 3.0.1\npaths: {}\n", "openapi"],
    ["\ufeffopenapi: 3.0.0\n", "openapi"],
    ["asyncapi: 2.6.0\nchannels: {}\n", "asyncapi"],
    ["asyncapi: '3.0.0'\n", "asyncapi"],
    ["$schema: https://json-schema.org/draft/2020-12/schema\ntype: object\n", "json-schema"],
    ['"$schema": "http://json-schema.org/draft-07/schema#"\n', "json-schema"],
    ['{\n  "openapi": "3.0.2",\n  "paths": {}\n}\n', "openapi"],
    ['{"info": {"title": "x"}, "openapi": "3.1.0"}', "openapi"],
    ['{"asyncapi": "2.0.0"}', "asyncapi"],
    ['{\n  "$schema": "https://json-schema.org/draft/2019-09/schema",\n  "type": "object"\n}', "json-schema"],
    ['\ufeff{"$schema": "http://json-schema.org/draft-04/schema#"}', "json-schema"],
  ])("recognises %j as %s", (text, format) => {
    expect(sniffContract(text)).toBe(format);
    expect(sniffContract(Buffer.from(text, "utf8"))).toBe(format);
  });

  it.each([
    // Other YAML: workflows, manifests, compose files, Swagger 2 and future majors.
    ["name: ci\non: push\njobs: {}\n"],
    ["apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n"],
    ["openapi: 4.0.0\n"],
    ["swagger: 2\n"],
    ["asyncapi: 1.2.0\n"],
    // The key nested, or inside a block scalar: indented, so not the document's own.
    ["spec:\n  openapi: 3.0.0\n"],
    ["description: |\n  openapi: 3.0.0\n"],
    ["x: 1\n# openapi: 3.0.0\n"],
    // A document that says which schema validates it is not itself a schema.
    ["$schema: https://json.schemastore.org/github-workflow.json\nname: ci\n"],
    ['{"$schema": "https://json.schemastore.org/tsconfig", "compilerOptions": {}}'],
    ['{"$schema": "https://biomejs.dev/schemas/1.9.4/schema.json"}'],
    // JSON with the key below the top level, JSON that does not parse, and arrays.
    ['{"components": {"openapi": "3.0.0"}}'],
    ['{"openapi": "3.0.0", // a comment\n}'],
    ['[{"openapi": "3.0.0"}]'],
    ['{"name": "pkg", "version": "1.0.0"}'],
    [""],
    ["   \n"],
  ])("does not recognise %j", (text) => {
    expect(sniffContract(text)).toBeNull();
  });

  it("starts a line after a newline only, in text as in bytes (U+2028 is no line break here)", () => {
    const text = "x: 1\u2028openapi: 3.0.0\n";
    expect(sniffContract(text)).toBeNull();
    expect(sniffContract(Buffer.from(text, "utf8"))).toBeNull();
    expect(sniffContract("x: 1\r\nopenapi: 3.0.0\r\n")).toBe("openapi");
  });

  it("does not read files over the limit", () => {
    const big = "openapi: 3.0.0\n" + "#".repeat(MAX_SNIFF_BYTES);
    expect(sniffContract(Buffer.from(big))).toBeNull();
  });

  it("finds the keys in bytes that are not valid UTF-8 elsewhere", () => {
    const bytes = Buffer.concat([Buffer.from("openapi: 3.0.0\ninfo:\n  title: "), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]);
    expect(sniffContract(bytes)).toBe("openapi");
  });
});

describe("mayBeContract", () => {
  it.each([
    ["api/petstore.yaml", true],
    ["docs/events.YML", true],
    ["schemas/order.json", true],
    ["README.md", false],
    ["src/api.ts", false],
    ["node_modules/pkg/openapi.json", false],
    ["web/node_modules/x/schema.json", false],
    ["vendor/github.com/x/api.yaml", false],
    ["third_party/googleapis/api.yaml", false],
  ])("%s → %s", (path, expected) => {
    expect(mayBeContract(path)).toBe(expected);
  });
});
