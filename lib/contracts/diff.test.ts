import { describe, expect, it } from "vitest";
import { diffContracts, summarizeBreaking } from "./diff";
import { LABELLED_PAIRS } from "./labelled";
import { MAX_CONTRACT_BYTES } from "./parse";
import { RULES, ruleFor } from "./rules";

const NOW = { now: new Date("2026-12-01T00:00:00Z") };
const api = (paths: object, schemas: object = {}) => JSON.stringify({ openapi: "3.0.3", info: { title: "t", version: "1" }, paths, components: { schemas } });

describe("the labelled set", () => {
  it.each(LABELLED_PAIRS.map((p) => [p.name, p] as const))("%s", (_name, pair) => {
    const diff = diffContracts(pair.base, pair.revision, NOW);
    expect(diff.problem).toBeNull();
    expect(diff.changes.some((c) => c.class === "breaking")).toBe(pair.breaking);
  });

  it("covers every category the issue names, with at least 60 pairs", () => {
    expect(LABELLED_PAIRS.length).toBeGreaterThanOrEqual(60);
    const categories = new Set(LABELLED_PAIRS.map((p) => p.category));
    for (const c of ["removals", "types", "required", "enums", "responses", "parameters", "security", "refs", "reorderings"]) expect(categories).toContain(c);
  });
});

describe("diffContracts", () => {
  const base = api(
    {
      "/pets": { get: { parameters: [{ name: "limit", in: "query", schema: { type: "integer" } }], responses: { "200": { description: "ok" } } } },
      "/pets/{id}": { get: { responses: { "200": { description: "ok" } } } },
    },
    {},
  );
  const revision = api({
    "/pets": {
      get: { parameters: [{ name: "limit", in: "query", required: true, schema: { type: "integer" } }], responses: { "200": { description: "ok" } } },
    },
  });

  it("says what breaks in one line", () => {
    const { changes } = diffContracts(base, revision, NOW);
    expect(summarizeBreaking(changes)).toBe("2 breaking: removed `GET /pets/{id}`; made `limit` required");
    expect(changes.map((c) => c.rule)).toEqual(["request-parameter-made-required", "operation-removed"]);
    expect(changes.find((c) => c.rule === "operation-removed")?.location).toBe("GET /pets/{id}");
  });

  it("says nothing breaks when nothing does", () => {
    expect(summarizeBreaking(diffContracts(base, base, NOW).changes)).toBeNull();
    expect(diffContracts(base, base, NOW).changes).toEqual([]);
  });

  it("reads an enum value added to a response as breaking and to a request as not", () => {
    const schemas = (values: string[]) => ({ S: { type: "string", enum: values } });
    const paths = {
      "/a": {
        post: {
          requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/S" } } } },
          responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/S" } } } } },
        },
      },
    };
    const { changes } = diffContracts(api(paths, schemas(["a"])), api(paths, schemas(["a", "b"])), NOW);
    expect(changes.map((c) => [c.rule, c.class])).toEqual([
      ["request-enum-widened", "non-breaking"],
      ["response-enum-widened", "breaking"],
    ]);
  });

  it("stops at cyclic references instead of looping", () => {
    const cyclic = (extra: object) =>
      api(
        { "/n": { get: { responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } } } } } } },
        {
          Node: { type: "object", properties: { next: { $ref: "#/components/schemas/Node" }, ...extra } },
          Loop: { $ref: "#/components/schemas/Loop" },
        },
      );
    const diff = diffContracts(cyclic({}), cyclic({ label: { type: "string" } }), NOW);
    expect(diff.problem).toBeNull();
    expect(diff.changes.map((c) => c.rule)).toEqual(["response-property-added"]);
  });

  it("reports a reference outside the file as unclassified, not as a change it guessed", () => {
    const withRef = (ref: string) =>
      api({ "/x": { get: { responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: ref } } } } } } } });
    const { changes } = diffContracts(withRef("common.yaml#/Pet"), withRef("common.yaml#/Animal"), NOW);
    expect(changes.map((c) => [c.rule, c.class])).toEqual([["unresolved-reference", "unclassified"]]);
  });

  it.each([
    ["not YAML", "openapi: [3.0", /not valid YAML or JSON/],
    ["a scalar", "42", /not a YAML or JSON object/],
    ["Swagger 2", JSON.stringify({ swagger: "2.0", paths: {} }), /only OpenAPI 3.0 and 3.1/],
    ["no contract at all", "name: hello\n", /neither an OpenAPI 3 document/],
    [
      "an alias bomb",
      `a: &a [x, x, x, x, x, x, x, x, x]\n${["a", "b", "c", "d", "e", "f", "g", "h"].map((x, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${x}`).join(", ")}]`).join("\n")}\nopenapi: 3.0.0\n`,
      /could not be read/,
    ],
  ])("refuses %s with a sentence, never an exception", (_name, text, problem) => {
    const diff = diffContracts(base, text, NOW);
    expect(diff.problem).toMatch(problem);
    expect(diff.changes).toEqual([]);
  });

  it("reads a generated contract that reuses one anchor hundreds of times (langfuse's Fern output has 155 aliases)", () => {
    const op = (i: number) => `  /p${i}:\n    get:\n      responses:\n        "200":\n          description: ok\n          headers: *common\n`;
    const text = (n: number) =>
      `openapi: 3.0.3\ninfo:\n  title: t\n  version: "1"\nx-common: &common\n  X-Rate-Limit:\n    schema:\n      type: integer\npaths:\n${Array.from({ length: n }, (_, i) => op(i)).join("")}`;
    const diff = diffContracts(text(300), text(299), NOW);
    expect(diff.problem).toBeNull();
    expect(diff.changes.map((c) => c.class)).toContain("breaking");
  });

  it("does not classify a contract over the size limit", () => {
    const huge = api({ "/x": { get: { description: "x".repeat(MAX_CONTRACT_BYTES), responses: {} } } });
    expect(diffContracts(base, huge, NOW).problem).toMatch(/larger than 4 MiB/);
  });

  it("does not compare versions of different formats", () => {
    expect(diffContracts(base, JSON.stringify({ asyncapi: "3.0.0", channels: {} }), NOW).problem).toMatch(/changed from openapi to asyncapi/);
  });

  it("cuts a rewrite's list and says so, keeping breaking changes up to twice the cap", () => {
    const many = (n: number) =>
      api(Object.fromEntries(Array.from({ length: n }, (_, i) => [`/p${i}`, { get: { responses: { "200": { description: "ok" } } } }])));
    const added = diffContracts(many(0), many(600), NOW);
    expect(added.changes).toHaveLength(500);
    expect(added.problem).toMatch(/More than 500 changes/);
    expect(diffContracts(many(600), many(0), NOW).changes).toHaveLength(600);
    expect(diffContracts(many(1200), many(0), NOW).changes).toHaveLength(1000);
  });
});

describe("the rule table", () => {
  it("gives every rule a class, a category and a sentence", () => {
    for (const [id, rule] of Object.entries(RULES)) {
      expect(["breaking", "non-breaking", "annotation", "unclassified"], id).toContain(rule.class);
      expect(rule.description, id).toMatch(/^[A-Z].*\.$/);
    }
  });

  it("breaks requests on narrowing and responses on widening, for every aspect", () => {
    for (const aspect of ["type", "nullable", "format", "enum", "constraint", "additional-properties", "variants"]) {
      expect(RULES[`request-${aspect}-narrowed` as keyof typeof RULES].class).toBe("breaking");
      expect(RULES[`request-${aspect}-widened` as keyof typeof RULES].class).toBe("non-breaking");
      expect(RULES[`response-${aspect}-widened` as keyof typeof RULES].class).toBe("breaking");
      expect(RULES[`response-${aspect}-narrowed` as keyof typeof RULES].class).toBe("non-breaking");
    }
  });
});

describe("hostile contracts (security review)", () => {
  const withSchemas = (schemas: object, schema: object = { $ref: "#/components/schemas/A" }) =>
    api({ "/x": { get: { responses: { "200": { description: "ok", content: { "application/json": { schema } } } } } } }, schemas);

  it("folds a self-referencing allOf fan-out once instead of exponentially", () => {
    const bomb = { A: { allOf: Array.from({ length: 12 }, () => ({ $ref: "#/components/schemas/A" })), properties: { a: { type: "string" } } } };
    const diff = diffContracts(withSchemas(bomb), withSchemas({ A: { ...bomb.A, properties: {} } }), NOW);
    expect(diff.changes.map((c) => c.rule)).toEqual(["response-property-removed"]);
  });

  it("shares the folding of a component many parts refer to", () => {
    const layers = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`L${i}`, { allOf: Array.from({ length: 6 }, () => ({ $ref: `#/components/schemas/L${i + 1}` })) }]),
    );
    const leaf = (extra: object) => ({ ...layers, L10: { type: "object", properties: { id: { type: "string" }, ...extra } } });
    const diff = diffContracts(
      withSchemas(leaf({}), { $ref: "#/components/schemas/L0" }),
      withSchemas(leaf({ more: { type: "string" } }), { $ref: "#/components/schemas/L0" }),
      NOW,
    );
    expect(diff.problem).toBeNull();
    expect(diff.changes.map((c) => c.rule)).toEqual(["response-property-added"]);
  });

  it("reads a malformed pointer as a reference to nothing, never an exception", () => {
    const diff = diffContracts(withSchemas({ A: { type: "string" } }), withSchemas({}, { $ref: "#/%zz" }), NOW);
    expect(diff.changes.map((c) => c.rule)).toEqual(["unresolved-reference"]);
  });

  it("keeps a breaking change behind a flood of harmless ones", () => {
    const props = (n: number, description: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { type: "string", description }]));
    const before = withSchemas({ A: { type: "object", required: ["keep"], properties: { ...props(600, "old"), keep: { type: "string" } } } });
    const after = withSchemas({ A: { type: "object", properties: props(600, "new") } });
    const diff = diffContracts(before, after, NOW);
    expect(diff.problem).toMatch(/More than 500 changes/);
    expect(diff.changes.some((c) => c.rule === "response-property-removed")).toBe(true);
  });
});

describe("JSON Schema 2020-12 keywords, allOf parts, extensible enums and webhooks", () => {
  const body = (schema: object) => ({
    "/a": {
      post: {
        requestBody: { content: { "application/json": { schema } } },
        responses: { "200": { description: "ok", content: { "application/json": { schema } } } },
      },
    },
  });
  const rules = (from: object, to: object, schemas: object = {}) =>
    diffContracts(api(body(from), schemas), api(body(to), schemas), NOW).changes.map((c) => c.rule);

  it("reads a new assertion keyword as narrowing: breaking in a request, not in a response; removing it the other way round", () => {
    const plain = { type: "array", items: { type: "string" } };
    const constrained = { ...plain, contains: { const: "x" } };
    expect(rules(plain, constrained)).toEqual(["request-assertion-narrowed", "response-assertion-narrowed"]);
    expect(rules(constrained, plain)).toEqual(["request-assertion-widened", "response-assertion-widened"]);
    expect(RULES[ruleFor("request", "assertion", "narrowed")].class).toBe("breaking");
    expect(RULES[ruleFor("response", "assertion", "widened")].class).toBe("breaking");
  });

  it("compares sub-schemas inside patternProperties, then/else and dependentRequired", () => {
    const withPattern = (min: number) => ({ type: "object", patternProperties: { "^x-": { type: "string", minLength: min } } });
    expect(rules(withPattern(1), withPattern(3))).toContain("request-constraint-narrowed");
    const dependent = (names: string[]) => ({ type: "object", dependentRequired: { card: names } });
    expect(rules(dependent(["billing"]), dependent(["billing", "cvc"]))).toEqual(["request-assertion-narrowed", "response-assertion-narrowed"]);
    expect(rules({ type: "object", if: { required: ["a"] } }, { type: "object", if: { required: ["b"] } })).toEqual([
      "request-assertion-changed",
      "response-assertion-changed",
    ]);
  });

  it("counts a new allOf part that asserts something as narrowing, and one of annotations only as nothing", () => {
    const schemas = { Named: { type: "object", properties: { name: { type: "string" } } } };
    const before = { type: "object", allOf: [{ type: "object" }] };
    expect(rules(before, { ...before, allOf: [...before.allOf, { $ref: "#/components/schemas/Named" }] }, schemas)).toContain("request-assertion-narrowed");
    expect(rules(before, { ...before, allOf: [...before.allOf, { title: "note", description: "annotation only" }] }, schemas)).not.toContain(
      "request-assertion-narrowed",
    );
  });

  it("reports a changed keyword no rule reads as unclassified, never as nothing", () => {
    expect(rules({ type: "object", $dynamicRef: "#a" }, { type: "object", $dynamicRef: "#b" })).toContain("schema-keyword-unclassified");
    expect(rules({ type: "object", "x-internal": true }, { type: "object", "x-internal": false })).toEqual([]);
  });

  it("reads an extensible enum: a value removed from a request breaks, a value added does not", () => {
    const values = (v: string[]) => ({ type: "string", "x-extensible-enum": v });
    expect(rules(values(["a", "b"]), values(["a"]))).toContain("request-enum-narrowed");
    expect(rules(values(["a"]), values(["a", "b"])).every((r) => RULES[r as keyof typeof RULES].class !== "breaking")).toBe(true);
  });

  it("treats an empty pattern as no pattern, and a removed request body as breaking", () => {
    expect(rules({ type: "string", pattern: "^\\w+$" }, { type: "string", pattern: "" })).toEqual([
      "request-constraint-widened",
      "response-constraint-widened",
    ]);
    const withBody = api(body({ type: "string" }));
    const without = api({ "/a": { post: { responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "string" } } } } } } } });
    expect(diffContracts(withBody, without, NOW).changes.map((c) => c.rule)).toEqual(["request-body-removed"]);
    expect(RULES["request-body-removed"].class).toBe("breaking");
  });

  it("compares a renamed path parameter's schema, and reads webhooks as what consumers receive", () => {
    const path = (name: string, dflt: string) =>
      JSON.stringify({
        openapi: "3.1.0",
        info: { title: "t", version: "1" },
        paths: {
          [`/g/{${name}}`]: { get: { parameters: [{ name, in: "path", required: true, schema: { type: "string", maxLength: Number(dflt) } }], responses: {} } },
        },
      });
    expect(diffContracts(path("group_id", "9"), path("groupId", "5"), NOW).changes.map((c) => c.rule)).toEqual(["request-constraint-narrowed"]);
    const hook = (webhooks: object) => JSON.stringify({ openapi: "3.1.0", info: { title: "t", version: "1" }, webhooks });
    const payload = (schema: object) => ({ post: { requestBody: { content: { "application/json": { schema } } }, responses: {} } });
    expect(diffContracts(hook({ pet: payload({ type: "object" }) }), hook({}), NOW).changes.map((c) => c.rule)).toEqual(["webhook-removed"]);
    const widened = diffContracts(hook({ pet: payload({ type: "string", enum: ["a"] }) }), hook({ pet: payload({ type: "string", enum: ["a", "b"] }) }), NOW);
    expect(widened.changes.map((c) => c.rule)).toEqual(["response-enum-widened"]);
  });
});
