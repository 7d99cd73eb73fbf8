import type { ContractFormat } from "./parse";

// Recognises a contract by what it says, for YAML and JSON files whose name does not say so
// (`api/petstore.yaml`, `docs/events.json`): only the top-level key each format requires
// (OpenAPI 3 `openapi` or Swagger 2 `swagger`, AsyncAPI 2/3 `asyncapi`, a JSON Schema's
// `$schema` naming a json-schema.org dialect). Versions the breaking-change rules do not read
// (Swagger 2, OpenAPI 3.2) are still contracts: versioned, owned and gated, their changes
// "unclassified". Anything less certain is left to the kind rules: a YAML file
// with `type:` and `properties:` is as likely a configuration as a schema. Decision 051.

/** Files whose name may hold a contract that the kind rules did not recognise. */
const CANDIDATE = /\.(?:ya?ml|json)$/i;
/** Vendored and generated trees: what sits there is somebody else's contract, not this repository's. */
const VENDORED = /(?:^|\/)(?:node_modules|vendor|bower_components|third_party|\.yarn|\.git)\//;
/** Larger files are not read to be recognised (contracts by name are versioned whatever their size). */
export const MAX_SNIFF_BYTES = 4 * 1024 * 1024;

export function mayBeContract(path: string): boolean {
  return CANDIDATE.test(path) && !VENDORED.test(path);
}

// YAML: the key at column 0 (a top-level key; anything nested or inside a block scalar is indented). A line
// starts after "\n" only: `^` with the m flag would also start one after U+2028, which text decoded from
// bytes has and bytes read as Latin-1 do not, and the server, the import and the gate must agree.
const AT_LINE_START = String.raw`(?<![^\n])`;
const YAML_OPENAPI = new RegExp(AT_LINE_START + String.raw`(?:["']?openapi["']?[ \t]*:[ \t]*["']?3\.\d|["']?swagger["']?[ \t]*:[ \t]*["']?2\.0\b)`);
const YAML_ASYNCAPI = new RegExp(AT_LINE_START + String.raw`["']?asyncapi["']?[ \t]*:[ \t]*["']?[23]\.\d`);
const YAML_SCHEMA = new RegExp(AT_LINE_START + String.raw`["']?\$schema["']?[ \t]*:[ \t]*["']?https?:\/\/json-schema\.org\/`);
// JSON: a cheap test on the bytes first; the key's depth is then checked on the parsed document.
const JSON_HINT = /"(?:openapi|swagger|asyncapi|\$schema)"\s*:\s*"/;
const BOM = /^(?:\ufeff|\xef\xbb\xbf)/;
const JSON_SCHEMA_DIALECT = /^https?:\/\/json-schema\.org\//;

/**
 * The contract format a YAML or JSON file's content declares at its top level, or null.
 * Never throws: the content comes from repositories nobody here controls.
 */
export function sniffContract(content: Buffer | string): ContractFormat | null {
  const size = typeof content === "string" ? content.length : content.byteLength;
  if (size === 0 || size > MAX_SNIFF_BYTES) return null;
  // The keys are ASCII, so Latin-1 finds them where UTF-8 would, without decoding twice.
  // A byte order mark (decoded, or its UTF-8 bytes read as Latin-1) would hide a key on the first line.
  const text = (typeof content === "string" ? content : content.toString("latin1")).replace(BOM, "");
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return null;
  if (first === "{") return sniffJson((typeof content === "string" ? content : content.toString("utf8")).replace(BOM, ""));
  if (YAML_OPENAPI.test(text)) return "openapi";
  if (YAML_ASYNCAPI.test(text)) return "asyncapi";
  if (YAML_SCHEMA.test(text)) return "json-schema";
  return null;
}

function sniffJson(text: string): ContractFormat | null {
  if (!JSON_HINT.test(text)) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null; // not JSON (JSON with comments, a template): not recognised by content
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return null;
  const top = doc as Record<string, unknown>;
  if ((typeof top.openapi === "string" && /^3\.\d/.test(top.openapi)) || top.swagger === "2.0") return "openapi";
  if (typeof top.asyncapi === "string" && /^[23]\.\d/.test(top.asyncapi)) return "asyncapi";
  if (typeof top.$schema === "string" && JSON_SCHEMA_DIALECT.test(top.$schema)) return "json-schema";
  return null;
}
