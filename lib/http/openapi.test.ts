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

  it("carries the request schemas the handlers validate with", () => {
    const runs = openApiDocument().paths["/runs"].post as { requestBody: { content: { "application/json": { schema: { required: string[]; additionalProperties: boolean } } } } };
    const schema = runs.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(expect.arrayContaining(["externalId", "agent"]));
    expect(schema.additionalProperties).toBe(false);
  });
});
