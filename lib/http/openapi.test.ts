import fs from "node:fs";
import path from "node:path";
import { validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { openApiDocument } from "./openapi";

/** Every route handler under app/api/v1 as "METHOD /path/{param}". */
function routeHandlers(): string[] {
  const found: string[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, [...segments, entry.name.replace(/^\[(.+)\]$/, "{$1}")]);
      else if (entry.name === "route.ts") {
        for (const m of fs.readFileSync(full, "utf8").matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)) {
          found.push(`${m[1]} /${segments.join("/")}`);
        }
      }
    }
  };
  walk(path.resolve(import.meta.dirname, "../../app/api/v1"), []);
  return found.filter((r) => r !== "GET /openapi.json").sort();
}

/**
 * Objects in a success answer that may have no declared properties, each with its reason: an
 * object with none tells a generated client nothing. Keyed "method /path status" plus the JSON
 * path inside the schema.
 */
const OPEN_OBJECTS: Record<string, string> = {};

/** Where `schema` (JSON Schema) has an object with no declared properties and no declared values. */
function undeclaredObjects(schema: unknown, where: string): string[] {
  if (!schema || typeof schema !== "object") return [];
  if (Array.isArray(schema)) return schema.flatMap((item, i) => undeclaredObjects(item, `${where}[${i}]`));
  const node = schema as { type?: unknown; properties?: object; additionalProperties?: unknown };
  const declared = node.properties !== undefined && Object.keys(node.properties).length > 0;
  // A map (a record) declares its values instead of its keys.
  const values = typeof node.additionalProperties === "object" && node.additionalProperties !== null && Object.keys(node.additionalProperties).length > 0;
  const here = node.type === "object" && !declared && !values ? [where] : [];
  return [...here, ...Object.entries(node).flatMap(([key, value]) => undeclaredObjects(value, `${where}.${key}`))];
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await validate(structuredClone(openApiDocument()) as never);
    expect(result.valid, JSON.stringify("errors" in result ? result.errors : [], null, 2)).toBe(true);
  });

  it("describes exactly the route handlers there are", () => {
    const documented = Object.entries(openApiDocument().paths)
      .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    expect(documented).toEqual(routeHandlers());
  });

  it("declares a response schema for every status, and the error body for every error status", () => {
    for (const [path, methods] of Object.entries(openApiDocument().paths)) {
      for (const [method, operation] of Object.entries(
        methods as Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>,
      )) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const where = `${method} ${path} ${status}`;
          expect(response.content, where).toBeDefined();
          const schema = Object.values(response.content!)[0].schema as { type?: string; $ref?: string };
          if (Number(status) >= 400) expect(schema, where).toEqual({ $ref: "#/components/schemas/Error" });
          else expect(schema.type === "object" && Object.keys(schema).length === 1, `${where} is more than {"type":"object"}`).toBe(false);
        }
      }
    }
  });

  it("declares the fields of every object in every success answer", () => {
    const open: string[] = [];
    for (const [path, methods] of Object.entries(openApiDocument().paths)) {
      for (const [method, operation] of Object.entries(
        methods as Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>,
      )) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) >= 400) continue;
          for (const content of Object.values(response.content ?? {})) open.push(...undeclaredObjects(content.schema, `${method} ${path} ${status}`));
        }
      }
    }
    expect(open.filter((where) => !(where in OPEN_OBJECTS))).toEqual([]);
    // An exception that no longer occurs is taken off the list.
    expect(Object.keys(OPEN_OBJECTS).filter((where) => !open.includes(where))).toEqual([]);
  });

  it("finds an object with no declared fields wherever it is nested, and passes maps and declared objects", () => {
    const of = (schema: z.ZodType) => undeclaredObjects(z.toJSONSchema(schema, { io: "output" }), "s");
    expect(of(z.object({ a: z.array(z.looseObject({})) }))).toEqual(["s.properties.a.items"]);
    expect(of(z.union([z.object({ a: z.string() }), z.object({})]))).toEqual(["s.anyOf[1]"]);
    expect(of(z.object({ a: z.array(z.object({ b: z.string() })), m: z.record(z.string(), z.number()) }))).toEqual([]);
  });

  it("tells the statuses and limits the handlers really have (issue 16 §7)", () => {
    const paths = openApiDocument().paths as Record<
      string,
      Record<
        string,
        {
          responses: Record<string, unknown>;
          requestBody?: { "x-max-body-bytes": number; content: Record<string, { schema: { properties: Record<string, { maxLength?: number }> } }> };
        }
      >
    >;
    expect(Object.keys(paths["/can-i-deploy"].get.responses)).toContain("404");
    expect(Object.keys(paths["/repositories"].post.responses)).toContain("409");
    expect(Object.keys(paths["/runs"].post.responses)).toEqual(expect.arrayContaining(["200", "201", "409", "415", "422"]));
    expect(Object.keys(paths["/specs/{id}/versions/{seq}"].get.responses)).toContain("404");
    expect(Object.keys(paths["/changes"].post.responses)).toEqual(expect.arrayContaining(["404", "409", "413"]));
    expect(paths["/changes"].post.requestBody!["x-max-body-bytes"]).toBeGreaterThan(2 * 1_048_576);
    expect(paths["/runs"].post.requestBody!["x-max-body-bytes"]).toBe(1_048_576);
    const proposal = paths["/changes"].post.requestBody!.content["application/json"].schema.properties;
    expect(proposal.title.maxLength).toBe(200);
    expect(proposal.description.maxLength).toBe(10_000);
  });

  it("carries the request schemas the handlers validate with", () => {
    const runs = openApiDocument().paths["/runs"].post as {
      requestBody: { content: { "application/json": { schema: { required: string[]; additionalProperties: boolean } } } };
    };
    const schema = runs.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(expect.arrayContaining(["externalId", "agent"]));
    expect(schema.additionalProperties).toBe(false);
  });
});
