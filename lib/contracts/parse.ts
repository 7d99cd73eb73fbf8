import { parseDocument } from "yaml";

// Reads a contract file (OpenAPI 3.x, AsyncAPI 2/3 or JSON Schema, as YAML or JSON) into plain
// data. A file that cannot be read is a problem to report, never an exception: contracts come
// from repositories nobody here controls.

/** Larger contracts are not classified: the structural walk is linear, but YAML parsing of a 10 MB file is not cheap. */
export const MAX_CONTRACT_BYTES = 4 * 1024 * 1024;

export type ContractFormat = "openapi" | "asyncapi" | "json-schema";
export type JsonObject = { [key: string]: unknown };

export type ParsedContract =
  | { ok: true; format: ContractFormat; version: string | null; doc: JsonObject }
  /** `invalid`: the text is not a YAML or JSON object at all (as opposed to a format or size this classifier does not read); `line` where the parser stopped. */
  | { ok: false; problem: string; invalid: boolean; line?: number };

/**
 * Aliases one document may expand. Generated OpenAPI files reuse anchors a few hundred times
 * (langfuse/langfuse at 62751446, web/public/generated/api/openapi.yml: 155 aliases, over the
 * library's default of 100), while a "billion laughs" document needs nested aliases and is
 * refused long before it grows: ten levels of ten would be 10^10 nodes.
 */
const MAX_ALIAS_COUNT = 10_000;

export const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/** Parses a contract's text; JSON is read by the same YAML 1.2 parser. */
export function parseContract(text: string): ParsedContract {
  if (Buffer.byteLength(text, "utf8") > MAX_CONTRACT_BYTES) {
    return { ok: false, invalid: false, problem: `The contract is larger than ${MAX_CONTRACT_BYTES / 1024 / 1024} MiB; it is versioned but not classified.` };
  }
  // Aliases are capped (in toJS) so that a "billion laughs" document cannot expand without bound.
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    // Without prettyErrors the parser gives the offset, not the line.
    const offset = first.pos?.[0];
    const line = first.linePos?.[0]?.line ?? (offset !== undefined ? text.slice(0, offset).split("\n").length : undefined);
    return {
      ok: false,
      invalid: true,
      line,
      problem: `The contract is not valid YAML or JSON${line ? ` (line ${line})` : ""}: ${first.message.split("\n")[0]}`,
    };
  }
  let doc: unknown;
  try {
    doc = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return { ok: false, invalid: true, problem: `The contract could not be read: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
  }
  if (!isObject(doc)) return { ok: false, invalid: true, problem: "The contract is not a YAML or JSON object." };
  const openapi = doc.openapi;
  if (typeof openapi === "string" && /^3\.[01]\./.test(openapi)) return { ok: true, format: "openapi", version: openapi, doc };
  if (typeof openapi === "string" || doc.swagger !== undefined) {
    return { ok: false, invalid: false, problem: `OpenAPI ${String(openapi ?? doc.swagger)} is not classified; only OpenAPI 3.0 and 3.1 are.` };
  }
  const asyncapi = doc.asyncapi;
  if (typeof asyncapi === "string" && /^[23]\./.test(asyncapi)) return { ok: true, format: "asyncapi", version: asyncapi, doc };
  if (asyncapi !== undefined) return { ok: false, invalid: false, problem: `AsyncAPI ${String(asyncapi)} is not classified; only AsyncAPI 2 and 3 are.` };
  if (typeof doc.$schema === "string" || "type" in doc || "properties" in doc || "$defs" in doc || "definitions" in doc || "oneOf" in doc || "anyOf" in doc) {
    return { ok: true, format: "json-schema", version: typeof doc.$schema === "string" ? doc.$schema : null, doc };
  }
  return { ok: false, invalid: false, problem: "The file is neither an OpenAPI 3 document, an AsyncAPI document nor a JSON Schema." };
}
