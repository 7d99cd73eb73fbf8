import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { openApiDocument } from "@/lib/http/openapi";

// Checks answers against the OpenAPI document: the path and method must be documented, the
// status declared for them, the content type the declared one, and a JSON body valid against
// the declared schema. Used by the vitest setup (lib/testing/contract-setup.ts) on every
// answer a route handler gives during the integration tests.

type Document = ReturnType<typeof openApiDocument>;
type ResponseObject = { content?: Record<string, { schema: unknown }> };

let compiled: {
  document: Document;
  ajv: Ajv2020;
  validators: Map<string, ValidateFunction>;
  templates: { method: string; template: string; pattern: RegExp }[];
} | null = null;

function contract() {
  if (compiled) return compiled;
  const document = openApiDocument();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "openapi.json", ...structuredClone(document), components: document.components }, "openapi.json");
  const templates = Object.entries(document.paths).flatMap(([template, methods]) =>
    Object.keys(methods).map((method) => ({
      method,
      template,
      pattern: new RegExp(`^/api/v1${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{\w+\\?\}/g, "[^/]+")}$`),
    })),
  );
  compiled = { document, ajv, validators: new Map(), templates };
  return compiled;
}

/** The document's path template for a request path ("/api/v1/specs/abc" → "/specs/{id}"), or null. */
export function templateOf(method: string, pathname: string): string | null {
  const matches = contract().templates.filter((t) => t.method === method.toLowerCase() && t.pattern.test(pathname));
  // A literal segment beats a parameter ("/runs/batch" over "/runs/{id}").
  matches.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  return matches[0]?.template ?? null;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

export interface Answer {
  method: string;
  pathname: string;
  status: number;
  contentType: string | null;
  body: string;
}

/** Everything wrong with `answer` according to the document (empty when it matches). */
export function contractViolations(answer: Answer): string[] {
  const { document, ajv, validators } = contract();
  const where = `${answer.method} ${answer.pathname} → ${answer.status}`;
  const template = templateOf(answer.method, answer.pathname);
  if (!template) return [`${where}: the path is not in the API document`];
  const operation = (document.paths[template] as Record<string, { responses: Record<string, ResponseObject> }>)[answer.method.toLowerCase()];
  const declared = operation.responses[String(answer.status)];
  if (!declared)
    return [`${where}: status ${answer.status} is not declared for ${answer.method} ${template} (declared: ${Object.keys(operation.responses).join(", ")})`];
  const type = (answer.contentType ?? "").split(";")[0].trim();
  const media = declared.content?.[type];
  if (!media) return [`${where}: content type ${type || "(none)"} is not declared (declared: ${Object.keys(declared.content ?? {}).join(", ")})`];
  if (type !== "application/json") return [];
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return [`${where}: the body is not JSON`];
  }
  const ref = `openapi.json#/${pointer("paths", template, answer.method.toLowerCase(), "responses", String(answer.status), "content", type, "schema")}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${where}: ${e.instancePath || "(body)"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
}
