import fs from "node:fs";
import path from "node:path";
import { validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
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
