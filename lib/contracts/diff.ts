import { isObject, parseContract, type ContractFormat, type JsonObject } from "./parse";
import { RULES, ruleFor, type Aspect, type ChangeClass, type Direction, type Relation, type RuleId } from "./rules";

// The structural comparison of two versions of a contract (docs/decisions/032). It walks both
// documents side by side, following internal $refs lazily, so moving a schema into components
// or reordering keys changes nothing, and reports each difference as a rule of rules.ts with a
// location. Which changes break is decided by the rule table, never here.

export interface ContractChange {
  rule: RuleId;
  class: ChangeClass;
  /** Where: an operation and its part ("GET /pets/{id} › 200 response › application/json"), a channel, or a schema pointer. */
  location: string;
  /** One line for people: "removed `GET /pets/{id}`". */
  message: string;
}

export interface ContractDiff {
  format: ContractFormat | null;
  changes: ContractChange[];
  /** Why the versions could not be compared, when they could not. */
  problem: string | null;
}

export interface DiffOptions {
  /** "Now", for sunset dates; tests pass a fixed one. */
  now?: Date;
}

/** Past this many changes a diff is a rewrite; the list is cut and says so. */
const MAX_CHANGES = 500;
const MAX_DEPTH = 48;
/** Schemas compared and allOf parts folded, in all: a document that needs more is too complex to classify. */
const MAX_STEPS = 200_000;

/** allOf inside allOf, folded at most this deep. */
const MAX_ALLOF_DEPTH = 32;
const TOO_DEEP = "(allOf nested too deep)";

/** Thrown when a document needs more than MAX_STEPS; diffContracts turns it into a problem. */
class TooComplex extends Error {}
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

type Way = Direction | "both";

interface Side {
  doc: JsonObject;
  /** allOf foldings already done, by schema object: shared components fold once. */
  flat: WeakMap<object, Flat>;
  steps: { n: number };
}

interface Flat {
  schema: JsonObject;
  ref: string | null;
  unresolved: string | null;
}

interface Context {
  base: Side;
  rev: Side;
  changes: ContractChange[];
  now: Date;
  /** Pairs of $ref targets already compared in a direction: shared components are reported once and cycles end. */
  compared: Set<string>;
  truncated: boolean;
}

/** Compares two versions' texts. */
export function diffContracts(baseText: string, revisionText: string, options: DiffOptions = {}): ContractDiff {
  const base = parseContract(baseText);
  const rev = parseContract(revisionText);
  if (!rev.ok) return { format: null, changes: [], problem: rev.problem };
  if (!base.ok) return { format: rev.format, changes: [], problem: `The previous version could not be read: ${base.problem}` };
  if (base.format !== rev.format) {
    return { format: rev.format, changes: [], problem: `The contract changed from ${base.format} to ${rev.format}; the versions are not compared.` };
  }
  const steps = { n: 0 };
  const ctx: Context = {
    base: { doc: base.doc, flat: new WeakMap(), steps },
    rev: { doc: rev.doc, flat: new WeakMap(), steps },
    changes: [],
    now: options.now ?? new Date(),
    compared: new Set(),
    truncated: false,
  };
  try {
    if (rev.format === "openapi") diffOpenApi(ctx);
    else if (rev.format === "asyncapi") diffAsyncApi(ctx);
    else compareSchema(ctx, base.doc, rev.doc, "both", { where: "schema", field: "" }, 0);
  } catch (error) {
    if (!(error instanceof TooComplex)) throw error;
    return {
      format: rev.format,
      changes: ctx.changes,
      problem: `The contract is too complex to classify (more than ${MAX_STEPS.toLocaleString("en")} schema comparisons).`,
    };
  }
  return {
    format: rev.format,
    changes: ctx.changes,
    problem: ctx.truncated ? `More than ${MAX_CHANGES} changes; the list stops there.` : null,
  };
}

function emit(ctx: Context, rule: RuleId, location: string, message: string) {
  // Past the cap only breaking changes are kept (up to the cap again): a flood of harmless edits must not hide one that breaks.
  if (ctx.changes.length >= MAX_CHANGES) {
    ctx.truncated = true;
    if (RULES[rule].class !== "breaking" || ctx.changes.length >= 2 * MAX_CHANGES) return;
  }
  ctx.changes.push({ rule, class: RULES[rule].class, location, message });
}

/** For a value read both ways, the rule of the direction in which the change breaks (request first). */
function directed(way: Way, aspect: Aspect, relation: Relation): RuleId {
  if (way !== "both") return ruleFor(way, aspect, relation);
  const request = ruleFor("request", aspect, relation);
  return RULES[request].class === "breaking" ? request : ruleFor("response", aspect, relation);
}

// ---------------------------------------------------------------------------------------------
// $ref resolution: internal JSON pointers only; anything else is reported as unresolved.

interface Resolved {
  node: unknown;
  /** The last $ref followed, naming the component for cycle detection and variant matching. */
  ref: string | null;
  unresolved: string | null;
}

function resolve(side: Side, node: unknown): Resolved {
  let ref: string | null = null;
  const seen = new Set<string>();
  let current = node;
  while (isObject(current) && typeof current.$ref === "string") {
    const target = current.$ref;
    if (!target.startsWith("#")) return { node: current, ref: target, unresolved: target };
    if (seen.has(target)) return { node: {}, ref: target, unresolved: target };
    seen.add(target);
    ref = target;
    current = pointer(side.doc, target.slice(1));
    if (current === undefined) return { node: {}, ref: target, unresolved: target };
  }
  return { node: current, ref, unresolved: null };
}

/** RFC 6901: "/components/schemas/a~1b" → components › schemas › "a/b". */
function pointer(doc: JsonObject, path: string): unknown {
  if (path === "") return doc;
  let node: unknown = doc;
  for (const raw of path.split("/").slice(1)) {
    let key: string;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    } catch {
      return undefined; // "%zz" is no pointer: the reference resolves to nothing
    }
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    else return undefined;
  }
  return node;
}

const obj = (value: unknown): JsonObject => (isObject(value) ? value : {});
const code = (text: string) => `\`${text}\``;

// ---------------------------------------------------------------------------------------------
// OpenAPI 3.0 / 3.1

function diffOpenApi(ctx: Context) {
  const basePaths = obj(ctx.base.doc.paths);
  const revPaths = obj(ctx.rev.doc.paths);
  // Paths are matched by their template with parameter names erased: /pets/{id} and /pets/{petId} are one path.
  const shape = (path: string) => path.replace(/\{[^}]*\}/g, "{}");
  const revByShape = new Map(Object.keys(revPaths).map((p) => [shape(p), p]));
  for (const basePath of Object.keys(basePaths)) {
    const revPath = revByShape.get(shape(basePath));
    const baseItem = obj(resolve(ctx.base, basePaths[basePath]).node);
    const revItem = revPath === undefined ? {} : obj(resolve(ctx.rev, revPaths[revPath]).node);
    for (const method of HTTP_METHODS) {
      const baseOp = baseItem[method];
      const revOp = revItem[method];
      const name = `${method.toUpperCase()} ${revPath ?? basePath}`;
      if (isObject(baseOp) && !isObject(revOp)) {
        const sunset = typeof baseOp["x-sunset"] === "string" ? Date.parse(baseOp["x-sunset"]) : NaN;
        if (baseOp.deprecated === true && Number.isFinite(sunset) && sunset <= ctx.now.getTime()) {
          emit(ctx, "operation-removed-after-sunset", name, `removed deprecated ${code(name)} after its sunset`);
        } else emit(ctx, "operation-removed", name, `removed ${code(name)}`);
      } else if (!isObject(baseOp) && isObject(revOp)) emit(ctx, "operation-added", name, `added ${code(name)}`);
      else if (isObject(baseOp) && isObject(revOp)) diffOperation(ctx, name, baseItem, baseOp, revItem, revOp);
    }
  }
  for (const revPath of Object.keys(revPaths)) {
    if (Object.keys(basePaths).some((p) => shape(p) === shape(revPath))) continue;
    const revItem = obj(resolve(ctx.rev, revPaths[revPath]).node);
    for (const method of HTTP_METHODS) {
      if (isObject(revItem[method])) emit(ctx, "operation-added", `${method.toUpperCase()} ${revPath}`, `added ${code(`${method.toUpperCase()} ${revPath}`)}`);
    }
  }
  diffWebhooks(ctx);
  diffSecuritySchemes(ctx);
}

/**
 * OpenAPI 3.1 webhooks: the API calls its consumers, so a webhook's request body is what they
 * receive (compared as a response) and the webhook's removal leaves them waiting.
 */
function diffWebhooks(ctx: Context) {
  const base = obj(ctx.base.doc.webhooks);
  const rev = obj(ctx.rev.doc.webhooks);
  for (const hook of new Set([...Object.keys(base), ...Object.keys(rev)])) {
    const baseItem = obj(resolve(ctx.base, base[hook]).node);
    const revItem = obj(resolve(ctx.rev, rev[hook]).node);
    for (const method of HTTP_METHODS) {
      const name = `webhook ${hook} (${method.toUpperCase()})`;
      const b = baseItem[method];
      const r = revItem[method];
      if (isObject(b) && !isObject(r)) emit(ctx, "webhook-removed", name, `removed ${code(name)}`);
      else if (!isObject(b) && isObject(r)) emit(ctx, "webhook-added", name, `added ${code(name)}`);
      else if (isObject(b) && isObject(r)) {
        const bBody = isObject(b.requestBody) ? obj(resolve(ctx.base, b.requestBody).node) : {};
        const rBody = isObject(r.requestBody) ? obj(resolve(ctx.rev, r.requestBody).node) : {};
        diffContent(ctx, `${name} › payload`, obj(bBody.content), obj(rBody.content), "response", false);
      }
    }
  }
}

function diffOperation(ctx: Context, name: string, baseItem: JsonObject, baseOp: JsonObject, revItem: JsonObject, revOp: JsonObject) {
  if (baseOp.deprecated !== true && revOp.deprecated === true) emit(ctx, "operation-deprecated", name, `deprecated ${code(name)}`);
  if (baseOp.deprecated === true && revOp.deprecated === true && baseOp["x-sunset"] !== undefined && revOp["x-sunset"] === undefined) {
    emit(ctx, "operation-sunset-removed", name, `removed the sunset date of deprecated ${code(name)}`);
  }
  if (typeof baseOp.operationId === "string" && typeof revOp.operationId === "string" && baseOp.operationId !== revOp.operationId) {
    emit(ctx, "operation-id-changed", name, `renamed operationId ${code(baseOp.operationId)} to ${code(revOp.operationId)}`);
  }
  for (const key of ["summary", "description", "tags", "externalDocs"]) {
    if (JSON.stringify(baseOp[key]) !== JSON.stringify(revOp[key])) emit(ctx, "annotation-changed", name, `changed the ${key} of ${code(name)}`);
  }
  diffParameters(ctx, name, [...arr(baseItem.parameters), ...arr(baseOp.parameters)], [...arr(revItem.parameters), ...arr(revOp.parameters)]);
  diffRequestBody(ctx, name, baseOp.requestBody, revOp.requestBody);
  diffResponses(ctx, name, obj(baseOp.responses), obj(revOp.responses));
  diffSecurity(ctx, name, baseOp.security ?? ctx.base.doc.security, revOp.security ?? ctx.rev.doc.security);
}

const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function diffParameters(ctx: Context, name: string, baseList: unknown[], revList: unknown[]) {
  // Operation-level parameters override path-level ones with the same name and location.
  const index = (side: Side, list: unknown[]) => {
    const map = new Map<string, JsonObject>();
    for (const raw of list) {
      const param = obj(resolve(side, raw).node);
      if (typeof param.name === "string" && typeof param.in === "string")
        map.set(`${param.in}:${param.in === "header" ? param.name.toLowerCase() : param.name}`, param);
    }
    return map;
  };
  const base = index(ctx.base, baseList);
  const rev = index(ctx.rev, revList);
  // A path parameter renamed with its template is the same parameter: matched by its place among the path parameters.
  const pathParams = (map: Map<string, JsonObject>) => [...map.values()].filter((p) => p.in === "path");
  const renamed = new Map(pathParams(base).map((p, i) => [p, pathParams(rev)[i]] as const));
  for (const [key, baseParam] of base) {
    const revParam = rev.get(key) ?? (baseParam.in === "path" && !rev.has(key) ? renamed.get(baseParam) : undefined);
    const label = `${baseParam.in} parameter ${code(String(baseParam.name))}`;
    if (!revParam && baseParam.in === "path") continue;
    if (!revParam) {
      emit(ctx, "request-parameter-removed", name, `removed ${label} of ${code(name)}`);
      continue;
    }
    const where = `${name} › ${label}`;
    if (baseParam.required !== true && revParam.required === true)
      emit(ctx, "request-parameter-made-required", where, `made ${code(String(baseParam.name))} required`);
    if (baseParam.required === true && revParam.required !== true)
      emit(ctx, "request-parameter-made-optional", where, `made ${code(String(baseParam.name))} optional`);
    if (baseParam.deprecated !== true && revParam.deprecated === true) emit(ctx, "schema-deprecated", where, `deprecated ${label}`);
    compareSchema(ctx, baseParam.schema, revParam.schema, "request", { where, field: String(baseParam.name), optional: revParam.required !== true }, 0);
  }
  for (const [key, revParam] of rev) {
    if (base.has(key)) continue;
    const label = `${revParam.in} parameter ${code(String(revParam.name))}`;
    if (revParam.in === "path" && [...base.values()].some((p) => p.in === "path")) continue;
    if (revParam.required === true) emit(ctx, "request-parameter-added-required", name, `added required ${label} to ${code(name)}`);
    else emit(ctx, "request-parameter-added-optional", name, `added optional ${label} to ${code(name)}`);
  }
}

function diffRequestBody(ctx: Context, name: string, baseRaw: unknown, revRaw: unknown) {
  const base = baseRaw === undefined ? null : obj(resolve(ctx.base, baseRaw).node);
  const rev = revRaw === undefined ? null : obj(resolve(ctx.rev, revRaw).node);
  const where = `${name} › request body`;
  if (!base && !rev) return;
  if (!base && rev) {
    if (rev.required === true) emit(ctx, "request-body-added-required", where, `added a required request body to ${code(name)}`);
    else emit(ctx, "request-body-added-optional", where, `added an optional request body to ${code(name)}`);
    return;
  }
  if (base && !rev) {
    emit(ctx, "request-body-removed", where, `removed the request body of ${code(name)}`);
    return;
  }
  if (!base || !rev) return;
  if (base.required !== true && rev.required === true) emit(ctx, "request-body-made-required", where, `made the request body of ${code(name)} required`);
  if (base.required === true && rev.required !== true) emit(ctx, "request-body-made-optional", where, `made the request body of ${code(name)} optional`);
  diffContent(ctx, where, obj(base.content), obj(rev.content), "request", rev.required !== true);
}

function diffContent(ctx: Context, where: string, base: JsonObject, rev: JsonObject, direction: Direction, optional: boolean) {
  for (const type of Object.keys(base)) {
    if (!(type in rev)) {
      emit(ctx, direction === "request" ? "request-media-type-removed" : "response-media-type-removed", where, `${where}: removed media type ${code(type)}`);
      continue;
    }
    const baseMedia = obj(resolve(ctx.base, base[type]).node);
    const revMedia = obj(resolve(ctx.rev, rev[type]).node);
    compareSchema(ctx, baseMedia.schema, revMedia.schema, direction, { where: `${where} › ${type}`, field: "", optional }, 0);
  }
  for (const type of Object.keys(rev)) {
    if (!(type in base))
      emit(ctx, direction === "request" ? "request-media-type-added" : "response-media-type-added", where, `${where}: added media type ${code(type)}`);
  }
}

function diffResponses(ctx: Context, name: string, base: JsonObject, rev: JsonObject) {
  for (const status of Object.keys(base)) {
    const where = `${name} › ${status} response`;
    if (!(status in rev)) {
      const success = /^(2|3)/.test(status) || status === "default";
      emit(ctx, success ? "response-success-removed" : "response-error-removed", where, `removed the ${status} response of ${code(name)}`);
      continue;
    }
    const baseResponse = obj(resolve(ctx.base, base[status]).node);
    const revResponse = obj(resolve(ctx.rev, rev[status]).node);
    diffContent(ctx, where, obj(baseResponse.content), obj(revResponse.content), "response", false);
    diffResponseHeaders(ctx, where, obj(baseResponse.headers), obj(revResponse.headers));
  }
  for (const status of Object.keys(rev)) {
    if (!(status in base)) emit(ctx, "response-added", `${name} › ${status} response`, `added a ${status} response to ${code(name)}`);
  }
}

function diffResponseHeaders(ctx: Context, where: string, base: JsonObject, rev: JsonObject) {
  const lower = (o: JsonObject) => new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
  const b = lower(base);
  const r = lower(rev);
  for (const [header, raw] of b) {
    const baseHeader = obj(resolve(ctx.base, raw).node);
    if (!r.has(header)) {
      emit(ctx, "response-header-removed", where, `removed response header ${code(header)}`);
      continue;
    }
    const revHeader = obj(resolve(ctx.rev, r.get(header)).node);
    if (baseHeader.required === true && revHeader.required !== true)
      emit(ctx, "response-header-made-optional", where, `made response header ${code(header)} optional`);
    compareSchema(ctx, baseHeader.schema, revHeader.schema, "response", { where: `${where} › header ${header}`, field: header }, 0);
  }
  for (const header of r.keys()) if (!b.has(header)) emit(ctx, "response-header-added", where, `added response header ${code(header)}`);
}

/** A security requirement: each alternative is a map of scheme → scopes, all of which are needed. */
function diffSecurity(ctx: Context, name: string, baseRaw: unknown, revRaw: unknown) {
  const alternatives = (raw: unknown) => (Array.isArray(raw) ? raw.map((alt) => obj(alt)) : [{}]);
  const base = alternatives(baseRaw);
  const rev = alternatives(revRaw);
  // A client that satisfied some base alternative keeps working if some revision alternative asks for no more.
  const asksNoMore = (needed: JsonObject, had: JsonObject) =>
    Object.entries(needed).every(([scheme, scopes]) => scheme in had && arr(scopes).every((scope) => arr(had[scheme]).includes(scope)));
  const broken = base.filter((had) => !rev.some((needed) => asksNoMore(needed, had)));
  if (broken.length > 0) {
    const wanted = rev.map(
      (alt) =>
        Object.entries(alt)
          .map(([s, scopes]) => (arr(scopes).length ? `${s} (${arr(scopes).join(", ")})` : s))
          .join(" + ") || "none",
    );
    emit(ctx, "security-requirement-added", `${name} › security`, `${code(name)} now requires ${wanted.join(" or ")}`);
  } else if (JSON.stringify(base) !== JSON.stringify(rev) && rev.some((needed) => !base.some((had) => asksNoMore(had, needed)))) {
    emit(ctx, "security-requirement-removed", `${name} › security`, `${code(name)} requires fewer credentials or scopes`);
  }
}

function diffSecuritySchemes(ctx: Context) {
  const base = obj(obj(ctx.base.doc.components).securitySchemes);
  const rev = obj(obj(ctx.rev.doc.components).securitySchemes);
  for (const scheme of Object.keys(base)) {
    if (!(scheme in rev)) continue; // operations that used it report the changed requirement
    const b = obj(resolve(ctx.base, base[scheme]).node);
    const r = obj(resolve(ctx.rev, rev[scheme]).node);
    for (const key of ["type", "in", "name", "scheme"]) {
      if (b[key] !== r[key]) {
        emit(ctx, "security-scheme-changed", `security scheme ${scheme}`, `changed the ${key} of security scheme ${code(scheme)}`);
        break;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// AsyncAPI 2 and 3: channels and their messages. In 2.x, `subscribe` means the application
// sends (its consumers read: response direction) and `publish` means it receives (request
// direction). In 3.x operations say `action: send` or `receive`.

function diffAsyncApi(ctx: Context) {
  const base = obj(ctx.base.doc.channels);
  const rev = obj(ctx.rev.doc.channels);
  const directionOf = (side: Side, channelName: string, channel: JsonObject): Way => {
    const ways = new Set<Way>();
    if (isObject(channel.subscribe)) ways.add("response");
    if (isObject(channel.publish)) ways.add("request");
    for (const op of Object.values(obj(side.doc.operations))) {
      const o = obj(resolve(side, op).node);
      const self = `#/channels/${channelName.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (obj(o.channel).$ref === self) ways.add(o.action === "send" ? "response" : "request");
      // A reply channel carries what the application sends back for a receive operation, and what it reads for a send.
      if (obj(obj(resolve(side, o.reply).node).channel).$ref === self) ways.add(o.action === "receive" ? "response" : "request");
    }
    return ways.size === 1 ? [...ways][0] : "both";
  };
  const messagesOf = (side: Side, channel: JsonObject): Map<string, unknown> => {
    const map = new Map<string, unknown>();
    const add = (key: string, raw: unknown) => {
      const message = obj(resolve(side, raw).node);
      const ids = arr(message.oneOf);
      if (ids.length > 0) ids.forEach((m, i) => add(`${key}[${i}]`, m));
      else map.set(typeof message.name === "string" ? message.name : key, message);
    };
    for (const op of ["publish", "subscribe"]) if (isObject(channel[op])) add(op, obj(channel[op]).message);
    for (const [key, raw] of Object.entries(obj(channel.messages))) add(key, raw);
    return map;
  };
  for (const name of Object.keys(base)) {
    if (!(name in rev)) {
      emit(ctx, "channel-removed", `channel ${name}`, `removed channel ${code(name)}`);
      continue;
    }
    const b = obj(resolve(ctx.base, base[name]).node);
    const r = obj(resolve(ctx.rev, rev[name]).node);
    const way = directionOf(ctx.rev, name, r);
    const bm = messagesOf(ctx.base, b);
    const rm = messagesOf(ctx.rev, r);
    for (const [message, raw] of bm) {
      if (!rm.has(message)) {
        emit(ctx, "message-removed", `channel ${name}`, `removed message ${code(message)} from channel ${code(name)}`);
        continue;
      }
      const payloadOf = (side: Side, m: unknown) => obj(resolve(side, m).node).payload;
      compareSchema(ctx, payloadOf(ctx.base, raw), payloadOf(ctx.rev, rm.get(message)), way, { where: `channel ${name} › message ${message}`, field: "" }, 0);
    }
    for (const message of rm.keys())
      if (!bm.has(message)) emit(ctx, "message-added", `channel ${name}`, `added message ${code(message)} to channel ${code(name)}`);
  }
  for (const name of Object.keys(rev)) if (!(name in base)) emit(ctx, "channel-added", `channel ${name}`, `added channel ${code(name)}`);

  // AsyncAPI 3: a channel is known by its key, and reached at its address.
  for (const name of Object.keys(base)) {
    if (!(name in rev)) continue;
    const before = obj(resolve(ctx.base, base[name]).node).address;
    const after = obj(resolve(ctx.rev, rev[name]).node).address;
    if (before !== undefined && before !== after) {
      emit(
        ctx,
        "channel-address-changed",
        `channel ${name}`,
        `changed the address of channel ${code(name)} from ${code(String(before))} to ${code(String(after ?? "none"))}`,
      );
    }
  }
  // AsyncAPI 3 operations: what the application does, on which channel.
  const operationOf = (side: Side, raw: unknown) => {
    const op = obj(resolve(side, raw).node);
    return {
      action: typeof op.action === "string" ? op.action : null,
      channel: typeof obj(op.channel).$ref === "string" ? String(obj(op.channel).$ref) : null,
    };
  };
  const baseOps = obj(ctx.base.doc.operations);
  const revOps = obj(ctx.rev.doc.operations);
  for (const [name, raw] of Object.entries(baseOps)) {
    const before = operationOf(ctx.base, raw);
    if (!(name in revOps)) {
      // Its channel's removal already says so.
      const channel = before.channel?.startsWith("#/channels/") ? before.channel.slice("#/channels/".length).replace(/~1/g, "/").replace(/~0/g, "~") : null;
      if (channel !== null && channel in base && !(channel in rev)) continue;
      emit(ctx, "async-operation-removed", `operation ${name}`, `removed operation ${code(name)}${before.action ? ` (${before.action})` : ""}`);
      continue;
    }
    const after = operationOf(ctx.rev, revOps[name]);
    if (before.action !== after.action || before.channel !== after.channel) {
      const what =
        before.action !== after.action
          ? `from ${before.action ?? "no action"} to ${after.action ?? "no action"}`
          : `from ${code(before.channel ?? "no channel")} to ${code(after.channel ?? "no channel")}`;
      emit(ctx, "async-operation-changed", `operation ${name}`, `changed operation ${code(name)} ${what}`);
    }
  }
  for (const name of Object.keys(revOps)) if (!(name in baseOps)) emit(ctx, "async-operation-added", `operation ${name}`, `added operation ${code(name)}`);

  // AsyncAPI 3 operations name the messages they use (a subset of their channel's) and may expect a reply.
  for (const [name, raw] of Object.entries(baseOps)) {
    if (!(name in revOps)) continue;
    const b = obj(resolve(ctx.base, raw).node);
    const r = obj(resolve(ctx.rev, revOps[name]).node);
    if (b.action !== r.action) continue; // already reported as a changed operation
    const where = `operation ${name}`;
    diffMessageList(ctx, b.messages, r.messages, where, `operation ${code(name)}`);
    const bReply = b.reply === undefined ? undefined : obj(resolve(ctx.base, b.reply).node);
    const rReply = r.reply === undefined ? undefined : obj(resolve(ctx.rev, r.reply).node);
    if (bReply && !rReply) {
      emit(ctx, "async-reply-removed", `${where} › reply`, `removed the reply of operation ${code(name)}`);
      continue;
    }
    if (!bReply && rReply) {
      emit(ctx, "async-reply-added", `${where} › reply`, `added a reply to operation ${code(name)}`);
      continue;
    }
    if (!bReply || !rReply) continue;
    const addressOf = (reply: JsonObject, side: Side) => {
      const address = obj(resolve(side, reply.address).node);
      return JSON.stringify({ channel: obj(reply.channel).$ref ?? null, location: address.location ?? null });
    };
    if (addressOf(bReply, ctx.base) !== addressOf(rReply, ctx.rev)) {
      emit(ctx, "async-reply-changed", `${where} › reply`, `changed where the reply of operation ${code(name)} is sent (its channel or address)`);
    }
    // Their payloads are compared with the reply channel's messages, in the reply's direction (directionOf).
    diffMessageList(ctx, bReply.messages, rReply.messages, `${where} › reply`, `the reply of operation ${code(name)}`);
  }
}

/**
 * Two versions of an AsyncAPI 3 `messages` list (references into a channel's messages): the
 * messages removed and added. Their payloads are compared with their channel's messages. A list
 * that is absent means every message of the channel, which the channel comparison covers.
 */
function diffMessageList(ctx: Context, baseList: unknown, revList: unknown, where: string, what: string) {
  if (!Array.isArray(baseList) || !Array.isArray(revList)) return;
  const keys = (list: unknown[]) =>
    new Set(
      list.map((item, i) => {
        const ref = obj(item).$ref;
        return typeof ref === "string"
          ? ref
              .slice(ref.lastIndexOf("/") + 1)
              .replace(/~1/g, "/")
              .replace(/~0/g, "~")
          : `[${i}]`;
      }),
    );
  const bm = keys(baseList);
  const rm = keys(revList);
  for (const message of bm) if (!rm.has(message)) emit(ctx, "message-removed", where, `removed message ${code(message)} from ${what}`);
  for (const message of rm) if (!bm.has(message)) emit(ctx, "message-added", where, `added message ${code(message)} to ${what}`);
}

// ---------------------------------------------------------------------------------------------
// Schemas

interface Where {
  where: string;
  /** The property path inside the value, "owner.name", "" for the value itself. */
  field: string;
  /** The value may be omitted by the client (an optional parameter or property): its default matters. */
  optional?: boolean;
}

const at = (loc: Where) => (loc.field ? `${loc.where} › ${loc.field}` : loc.where);
const subject = (loc: Where) => (loc.field ? code(loc.field) : `the value at ${loc.where}`);

/** JSON Schema type names a schema allows, "integer" included in "number"; null = any type. */
function typesOf(schema: JsonObject): Set<string> | null {
  const raw = schema.type;
  const list = Array.isArray(raw) ? raw.map(String) : typeof raw === "string" ? [raw] : null;
  if (!list) return null;
  const set = new Set(list.filter((t) => t !== "null"));
  return set.size === 0 ? null : set;
}

const allowsNull = (schema: JsonObject) =>
  schema.nullable === true ||
  (Array.isArray(schema.type) && schema.type.includes("null")) ||
  schema.type === "null" ||
  (Array.isArray(schema.enum) && schema.enum.includes(null));

function relate<T>(base: Set<T> | null, rev: Set<T> | null, covers: (have: Set<T>, t: T) => boolean = (have, t) => have.has(t)): Relation | null {
  if (base === null && rev === null) return null;
  if (base === null) return "narrowed";
  if (rev === null) return "widened";
  const revCoversBase = [...base].every((t) => covers(rev, t));
  const baseCoversRev = [...rev].every((t) => covers(base, t));
  if (revCoversBase && baseCoversRev) return null;
  if (revCoversBase) return "widened";
  if (baseCoversRev) return "narrowed";
  return "changed";
}

const typeCovers = (have: Set<string>, t: string) => have.has(t) || (t === "integer" && have.has("number"));

/**
 * allOf parts folded into one schema: properties and required lists are unions, the rest the
 * first seen. Each schema folds once per side (shared parts are not expanded again), and a part
 * that refers back to a schema being folded adds nothing (a cycle).
 */
function flatten(side: Side, node: unknown, depth = 0, stack: readonly string[] = []): Flat {
  const resolved = resolve(side, node);
  const schema = obj(resolved.node);
  if (!Array.isArray(schema.allOf)) return { schema, ref: resolved.ref, unresolved: resolved.unresolved };
  // Deeper than this the parts are not folded, and the comparison says it could not look (fail closed).
  if (depth > MAX_ALLOF_DEPTH) return { schema, ref: resolved.ref, unresolved: TOO_DEEP };
  const cached = side.flat.get(schema);
  if (cached) return { ...cached, ref: resolved.ref, unresolved: resolved.unresolved };
  if (++side.steps.n > MAX_STEPS) throw new TooComplex();
  const inside = resolved.ref ? [...stack, resolved.ref] : stack;
  const merged: JsonObject = { ...schema };
  delete merged.allOf;
  const properties: JsonObject = { ...obj(schema.properties) };
  const required = new Set(arr(schema.required).map(String));
  for (const part of schema.allOf) {
    const partRef = isObject(part) && typeof part.$ref === "string" ? part.$ref : null;
    if (partRef && inside.includes(partRef)) continue;
    const p = flatten(side, part, depth + 1, inside).schema;
    Object.assign(properties, obj(p.properties));
    arr(p.required).forEach((r) => required.add(String(r)));
    for (const [k, v] of Object.entries(p)) if (!(k in merged) && k !== "properties" && k !== "required") merged[k] = v;
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  const flat = { schema: merged, ref: resolved.ref, unresolved: resolved.unresolved };
  side.flat.set(schema, flat);
  return flat;
}

const UPPER = ["maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties", "maxContains"] as const;
const LOWER = ["minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties", "minContains"] as const;
const ANNOTATIONS = ["description", "title", "example", "examples", "$comment", "externalDocs", "discriminator"] as const;
/** Sub-schemas that constrain the value while present: adding one narrows, removing one widens, both are compared inside. */
const SUBSCHEMAS = ["contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema", "then", "else"] as const;
/** Keywords judged elsewhere in compareSchema, compareProperties, compareVariants and compareAssertions, or that carry no assertion. */
const KNOWN_KEYWORDS = new Set<string>([
  ...UPPER,
  ...LOWER,
  ...ANNOTATIONS,
  ...SUBSCHEMAS,
  ...["type", "nullable", "format", "enum", "const", "pattern", "multipleOf", "uniqueItems", "default", "deprecated", "readOnly", "writeOnly"],
  ...["properties", "required", "additionalProperties", "items", "prefixItems", "oneOf", "anyOf", "allOf", "not", "if"],
  ...["patternProperties", "dependentSchemas", "dependentRequired", "contentMediaType", "contentEncoding"],
  // Identifiers and containers: what they hold is compared where it is referred to.
  ...["$ref", "$schema", "$id", "$anchor", "$defs", "definitions"],
]);

function compareSchema(ctx: Context, baseNode: unknown, revNode: unknown, way: Way, loc: Where, depth: number) {
  if (baseNode === undefined && revNode === undefined) return;
  if (++ctx.base.steps.n > MAX_STEPS) throw new TooComplex();
  if (depth > MAX_DEPTH) {
    emit(ctx, "too-deep", at(loc), `stopped comparing below ${at(loc)}: nested more than ${MAX_DEPTH} levels`);
    return;
  }
  const b = flatten(ctx.base, baseNode);
  const r = flatten(ctx.rev, revNode);
  if (b.unresolved === TOO_DEEP || r.unresolved === TOO_DEEP) {
    emit(ctx, "too-deep", at(loc), `stopped comparing ${at(loc)}: allOf nested more than ${MAX_ALLOF_DEPTH} levels`);
    return;
  }
  if (b.unresolved || r.unresolved) {
    if ((b.unresolved ?? "") !== (r.unresolved ?? "")) {
      emit(ctx, "unresolved-reference", at(loc), `${at(loc)} refers to ${code(r.unresolved ?? b.unresolved ?? "")}, which was not compared`);
    }
    return;
  }
  if (b.ref || r.ref) {
    const key = `${b.ref}|${r.ref}|${way}`;
    if (ctx.compared.has(key)) return;
    ctx.compared.add(key);
  }
  const base = b.schema;
  const rev = r.schema;
  const direction = (aspect: Aspect, relation: Relation | null, message: string) => {
    if (relation) emit(ctx, directed(way, aspect, relation), at(loc), message);
  };
  compareAllOfParts(ctx, baseNode, revNode, way, loc);

  // Type and nullability.
  const typeRelation = relate(typesOf(base), typesOf(rev), typeCovers);
  if (typeRelation) {
    const show = (s: JsonObject) => [...(typesOf(s) ?? new Set(["any"]))].join(" | ");
    direction("type", typeRelation, `changed the type of ${subject(loc)} from ${show(base)} to ${show(rev)}`);
  }
  const nullBefore = allowsNull(base);
  const nullAfter = allowsNull(rev);
  if (nullBefore !== nullAfter) direction("nullable", nullAfter ? "widened" : "narrowed", `made ${subject(loc)} ${nullAfter ? "nullable" : "not nullable"}`);
  if (base.format !== rev.format) {
    const relation: Relation = base.format === undefined ? "narrowed" : rev.format === undefined ? "widened" : "changed";
    direction("format", relation, `changed the format of ${subject(loc)} from ${String(base.format ?? "none")} to ${String(rev.format ?? "none")}`);
  }

  // Enums: values compared as JSON.
  if (Array.isArray(base.enum) || Array.isArray(rev.enum)) {
    const values = (s: JsonObject) => (Array.isArray(s.enum) ? new Set(s.enum.filter((v) => v !== null).map((v) => JSON.stringify(v))) : null);
    const bv = values(base);
    const rv = values(rev);
    const relation = relate(bv, rv);
    if (relation) {
      const added = rv && bv ? [...rv].filter((v) => !bv.has(v)) : [];
      const removed = rv && bv ? [...bv].filter((v) => !rv.has(v)) : [];
      const parts = [added.length ? `added ${added.join(", ")}` : "", removed.length ? `removed ${removed.join(", ")}` : ""].filter(Boolean).join(" and ");
      const message = parts ? `${parts} in the enum of ${subject(loc)}` : bv ? `removed the enum of ${subject(loc)}` : `restricted ${subject(loc)} to an enum`;
      direction("enum", relation, message);
    }
  }
  if (base.const !== undefined || rev.const !== undefined) {
    if (JSON.stringify(base.const) !== JSON.stringify(rev.const)) {
      direction("enum", base.const === undefined ? "narrowed" : rev.const === undefined ? "widened" : "changed", `changed the constant of ${subject(loc)}`);
    }
  }

  // Bounds and patterns.
  const bound = (s: JsonObject, key: string) => (typeof s[key] === "number" ? (s[key] as number) : null);
  for (const key of UPPER) {
    const bb = bound(base, key);
    const rb = bound(rev, key);
    if (bb === rb) continue;
    const relation: Relation = rb === null ? "widened" : bb === null ? "narrowed" : rb < bb ? "narrowed" : "widened";
    direction("constraint", relation, `changed ${key} of ${subject(loc)} from ${bb ?? "none"} to ${rb ?? "none"}`);
  }
  for (const key of LOWER) {
    const bb = bound(base, key);
    const rb = bound(rev, key);
    if (bb === rb) continue;
    const relation: Relation = rb === null ? "widened" : bb === null ? "narrowed" : rb > bb ? "narrowed" : "widened";
    direction("constraint", relation, `changed ${key} of ${subject(loc)} from ${bb ?? "none"} to ${rb ?? "none"}`);
  }
  // An empty pattern, like `.*`, matches every string: no constraint.
  const pattern = (s: JsonObject) => (typeof s.pattern === "string" && !/^\^?(\.\*)?\$?$/.test(s.pattern) ? s.pattern : null);
  if (pattern(base) !== pattern(rev)) {
    const relation: Relation = pattern(base) === null ? "narrowed" : pattern(rev) === null ? "widened" : "changed";
    direction("constraint", relation, `changed the pattern of ${subject(loc)}`);
  }
  if (base.multipleOf !== rev.multipleOf) direction("constraint", "changed", `changed multipleOf of ${subject(loc)}`);
  if ((base.uniqueItems === true) !== (rev.uniqueItems === true))
    direction("constraint", rev.uniqueItems === true ? "narrowed" : "widened", `changed uniqueItems of ${subject(loc)}`);

  // Defaults: for a value the client may omit, the default is behaviour.
  if (JSON.stringify(base.default) !== JSON.stringify(rev.default)) {
    const behaviour = way !== "response" && (loc.optional ?? true);
    emit(
      ctx,
      behaviour ? "request-default-changed" : "default-changed",
      at(loc),
      `changed the default of ${subject(loc)} from ${JSON.stringify(base.default) ?? "none"} to ${JSON.stringify(rev.default) ?? "none"}`,
    );
  }
  if (base.deprecated !== true && rev.deprecated === true) emit(ctx, "schema-deprecated", at(loc), `deprecated ${subject(loc)}`);
  for (const key of ANNOTATIONS) {
    if (JSON.stringify(base[key]) !== JSON.stringify(rev[key])) {
      emit(ctx, "annotation-changed", at(loc), `changed the ${key} of ${subject(loc)}`);
      break;
    }
  }

  // An extensible enum (x-extensible-enum) promises that values may be added; removing one still narrows.
  if (Array.isArray(base["x-extensible-enum"]) || Array.isArray(rev["x-extensible-enum"])) {
    const values = (s: JsonObject) => new Set(arr(s["x-extensible-enum"]).map((v) => JSON.stringify(v)));
    const bv = values(base);
    const rv = values(rev);
    const removed = [...bv].filter((v) => !rv.has(v));
    if (removed.length > 0) direction("enum", "narrowed", `removed ${removed.join(", ")} from the extensible enum of ${subject(loc)}`);
    else if ([...rv].some((v) => !bv.has(v))) emit(ctx, "annotation-changed", at(loc), `added values to the extensible enum of ${subject(loc)}`);
  }
  compareAssertions(ctx, base, rev, way, loc, depth);
  // Fail closed: a keyword no rule reads that changed is reported for a person to judge, never passed over.
  for (const key of new Set([...Object.keys(base), ...Object.keys(rev)])) {
    if (KNOWN_KEYWORDS.has(key) || key.startsWith("x-")) continue;
    if (JSON.stringify(base[key]) !== JSON.stringify(rev[key])) {
      emit(ctx, "schema-keyword-unclassified", at(loc), `changed ${code(key)} of ${subject(loc)}, which no rule judges`);
    }
  }

  compareProperties(ctx, base, rev, way, loc, depth);
  if (base.items !== undefined || rev.items !== undefined) {
    compareSchema(ctx, base.items ?? {}, rev.items ?? {}, way, { where: loc.where, field: `${loc.field}[]`, optional: false }, depth + 1);
  }
  compareVariants(ctx, base, rev, way, loc, depth);
}

function compareProperties(ctx: Context, base: JsonObject, rev: JsonObject, way: Way, loc: Where, depth: number) {
  const bp = obj(base.properties);
  const rp = obj(rev.properties);
  const bReq = new Set(arr(base.required).map(String));
  const rReq = new Set(arr(rev.required).map(String));
  const field = (name: string) => (loc.field ? `${loc.field}.${name}` : name);
  const flag = (side: Side, raw: unknown, key: "readOnly" | "writeOnly") => obj(resolve(side, raw).node)[key] === true;
  // In a request, read-only properties are not sent; in a response, write-only ones are not received.
  const seenIn = (side: Side, raw: unknown, direction: Direction) => !flag(side, raw, direction === "request" ? "readOnly" : "writeOnly");
  const ways: Direction[] = way === "both" ? ["request", "response"] : [way];
  const pick = (rules: Partial<Record<Direction, RuleId>>): RuleId | null => {
    const found = ways.map((w) => rules[w]).filter((r): r is RuleId => r !== undefined);
    return found.find((r) => RULES[r].class === "breaking") ?? found[0] ?? null;
  };
  const report = (rules: Partial<Record<Direction, RuleId>>, name: string, message: string) => {
    const rule = pick(rules);
    if (rule) emit(ctx, rule, at({ where: loc.where, field: field(name) }), message);
  };
  for (const name of Object.keys(bp)) {
    const shown = code(field(name));
    if (!(name in rp)) {
      report(
        {
          ...(seenIn(ctx.base, bp[name], "request") ? { request: "request-property-removed" as const } : {}),
          ...(seenIn(ctx.base, bp[name], "response") ? { response: "response-property-removed" as const } : {}),
        },
        name,
        `removed property ${shown}`,
      );
      continue;
    }
    if (!bReq.has(name) && rReq.has(name)) {
      report(
        {
          ...(seenIn(ctx.rev, rp[name], "request") ? { request: "request-property-made-required" as const } : {}),
          response: "response-property-made-required",
        },
        name,
        `made ${shown} required`,
      );
    }
    if (bReq.has(name) && !rReq.has(name)) {
      report(
        {
          request: "request-property-made-optional",
          ...(seenIn(ctx.rev, rp[name], "response") ? { response: "response-property-made-optional" as const } : {}),
        },
        name,
        `made ${shown} optional`,
      );
    }
    compareSchema(ctx, bp[name], rp[name], way, { where: loc.where, field: field(name), optional: !rReq.has(name) }, depth + 1);
  }
  for (const name of Object.keys(rp)) {
    if (name in bp) continue;
    const required = rReq.has(name) && seenIn(ctx.rev, rp[name], "request");
    report(
      { request: required ? "request-property-added-required" : "request-property-added", response: "response-property-added" },
      name,
      `added ${required ? "required " : ""}property ${code(field(name))}`,
    );
  }
  // additionalProperties: absent or true allows any; false allows none; a schema is compared as one.
  const extra = (s: JsonObject) => (s.additionalProperties === false ? "none" : isObject(s.additionalProperties) ? "schema" : "any");
  const be = extra(base);
  const re = extra(rev);
  if (be !== re && (be === "any" || re === "any" || be === "none" || re === "none")) {
    const order = { none: 0, schema: 1, any: 2 } as const;
    const relation: Relation = order[re] < order[be] ? "narrowed" : "widened";
    // Clients are expected to ignore properties they do not know, so a response that may carry more is not breaking.
    if (!(relation === "widened" && way === "response")) {
      emit(
        ctx,
        directed(way === "both" ? "request" : way, "additional-properties", relation),
        at(loc),
        `changed which additional properties ${subject(loc)} allows`,
      );
    }
  } else if (be === "schema" && re === "schema") {
    compareSchema(ctx, base.additionalProperties, rev.additionalProperties, way, { where: loc.where, field: `${loc.field}{*}` }, depth + 1);
  }
}

/**
 * allOf parts added or removed. The folded schema shows what a new part's properties are; the
 * part itself is one more constraint every value must meet, so adding one that asserts anything
 * narrows, and removing one widens. A part of annotations only (title, description) changes nothing.
 */
function compareAllOfParts(ctx: Context, baseNode: unknown, revNode: unknown, way: Way, loc: Where) {
  const parts = (side: Side, node: unknown) => arr(obj(resolve(side, node).node).allOf);
  const bp = parts(ctx.base, baseNode);
  const rp = parts(ctx.rev, revNode);
  if (bp.length === 0 && rp.length === 0) return;
  const keyOf = (raw: unknown) => (isObject(raw) && typeof raw.$ref === "string" ? `ref:${raw.$ref.replace(/^.*\//, "")}` : `inline:${JSON.stringify(raw)}`);
  const asserts = (side: Side, raw: unknown) => Object.keys(obj(resolve(side, raw).node)).some((k) => !(ANNOTATIONS as readonly string[]).includes(k));
  const bKeys = new Set(bp.map(keyOf));
  const rKeys = new Set(rp.map(keyOf));
  // Inline parts edited in place are compared through the folded schema; only whole parts are counted here.
  const inlineEdited = bp.length === rp.length;
  for (const part of rp) {
    if (bKeys.has(keyOf(part)) || (inlineEdited && keyOf(part).startsWith("inline:"))) continue;
    if (asserts(ctx.rev, part)) emit(ctx, directed(way, "assertion", "narrowed"), at(loc), `added an allOf part to ${subject(loc)}`);
  }
  for (const part of bp) {
    if (rKeys.has(keyOf(part)) || (inlineEdited && keyOf(part).startsWith("inline:"))) continue;
    if (asserts(ctx.base, part)) emit(ctx, directed(way, "assertion", "widened"), at(loc), `removed an allOf part from ${subject(loc)}`);
  }
}

/** A boolean schema (false allows nothing, true anything) or an object schema, ordered by what it allows. */
const breadth = (schema: unknown) => (schema === false ? 0 : schema === true ? 2 : 1);

/**
 * The JSON Schema 2020-12 applicators and assertions beyond the basics. Each one present
 * constrains the value, so adding it narrows and removing it widens; `if` and `not` invert or
 * condition what they hold, so any change to them is judged "changed" (breaking both ways).
 */
function compareAssertions(ctx: Context, base: JsonObject, rev: JsonObject, way: Way, loc: Where, depth: number) {
  const say = (relation: Relation, message: string) => emit(ctx, directed(way, "assertion", relation), at(loc), message);
  const inside = (key: string, b: unknown, r: unknown, suffix = "") => {
    const sub: Where = { where: loc.where, field: `${loc.field}‹${key}${suffix}›`, optional: false };
    if (typeof b === "boolean" || typeof r === "boolean") {
      if (JSON.stringify(b) === JSON.stringify(r)) return;
      const relation: Relation = breadth(r) < breadth(b) ? "narrowed" : breadth(r) > breadth(b) ? "widened" : "changed";
      say(relation, `changed ${key}${suffix} of ${subject(loc)} from ${JSON.stringify(b)} to ${JSON.stringify(r)}`);
    } else compareSchema(ctx, b, r, way, sub, depth + 1);
  };
  for (const key of SUBSCHEMAS) {
    const b = base[key];
    const r = rev[key];
    if (b === undefined && r === undefined) continue;
    if (b === undefined) say("narrowed", `added ${key} to ${subject(loc)}`);
    else if (r === undefined) say("widened", `removed ${key} from ${subject(loc)}`);
    else inside(key, b, r);
  }
  for (const key of ["if", "not"] as const) {
    if (JSON.stringify(base[key]) === JSON.stringify(rev[key])) continue;
    const relation: Relation = base[key] === undefined ? "narrowed" : rev[key] === undefined ? "widened" : "changed";
    say(relation, `${relation === "narrowed" ? "added" : relation === "widened" ? "removed" : "changed"} the ${key} condition of ${subject(loc)}`);
  }
  // Keyed sub-schemas: a new key constrains more values, a removed one fewer.
  for (const key of ["patternProperties", "dependentSchemas"] as const) {
    const b = obj(base[key]);
    const r = obj(rev[key]);
    for (const name of Object.keys(b)) {
      if (!(name in r)) say("widened", `removed ${key} ${code(name)} from ${subject(loc)}`);
      else inside(key, b[name], r[name], ` ${name}`);
    }
    for (const name of Object.keys(r)) if (!(name in b)) say("narrowed", `added ${key} ${code(name)} to ${subject(loc)}`);
  }
  // dependentRequired: more names required alongside a property narrows.
  const bd = obj(base.dependentRequired);
  const rd = obj(rev.dependentRequired);
  for (const name of new Set([...Object.keys(bd), ...Object.keys(rd)])) {
    const relation = relate(
      name in bd ? new Set(arr(bd[name]).map(String)) : new Set<string>(),
      name in rd ? new Set(arr(rd[name]).map(String)) : new Set<string>(),
    );
    // relate() orders sets by what they allow; here a larger set of required names allows less.
    const flipped: Relation | null = relation === "narrowed" ? "widened" : relation === "widened" ? "narrowed" : relation;
    if (flipped) say(flipped, `changed which properties ${code(name)} requires in ${subject(loc)}`);
  }
  // prefixItems: positions compared in place; a different number of positions moves what `items` applies to.
  const bp = arr(base.prefixItems);
  const rp = arr(rev.prefixItems);
  if (bp.length !== rp.length) say("changed", `changed the prefixItems of ${subject(loc)} from ${bp.length} to ${rp.length} positions`);
  else bp.forEach((b, i) => inside("prefixItems", b, rp[i], ` ${i}`));
  for (const key of ["contentMediaType", "contentEncoding"] as const) {
    if (base[key] === rev[key]) continue;
    const relation: Relation = base[key] === undefined ? "narrowed" : rev[key] === undefined ? "widened" : "changed";
    say(relation, `changed the ${key} of ${subject(loc)} from ${String(base[key] ?? "none")} to ${String(rev[key] ?? "none")}`);
  }
}

/** oneOf/anyOf alternatives, matched by the component they refer to, else by position. */
function compareVariants(ctx: Context, base: JsonObject, rev: JsonObject, way: Way, loc: Where, depth: number) {
  for (const key of ["oneOf", "anyOf"] as const) {
    const bv = arr(base[key]);
    const rv = arr(rev[key]);
    if (bv.length === 0 && rv.length === 0) continue;
    const refOf = (raw: unknown) => (isObject(raw) && typeof raw.$ref === "string" ? raw.$ref.replace(/^.*\//, "") : null);
    const matched = new Set<number>();
    // The revision's alternatives by component name, so matching stays linear in their number.
    const byName = new Map<string, number[]>();
    rv.forEach((r, k) => {
      const name = refOf(r);
      if (name === null) return;
      const list = byName.get(name);
      if (list) list.push(k);
      else byName.set(name, [k]);
    });
    for (const [i, b] of bv.entries()) {
      const name = refOf(b);
      const candidates = name !== null ? (byName.get(name) ?? []) : [];
      let j = -1;
      while (candidates.length > 0 && j < 0) {
        const k = candidates.shift()!;
        if (!matched.has(k)) j = k;
      }
      if (j < 0 && name === null && i < rv.length && refOf(rv[i]) === null && !matched.has(i)) j = i;
      if (j < 0) {
        direction(ctx, way, "narrowed", loc, `removed a ${key} alternative${name ? ` ${code(name)}` : ""} of ${subject(loc)}`);
        continue;
      }
      matched.add(j);
      compareSchema(ctx, b, rv[j], way, loc, depth + 1);
    }
    for (const [j, r] of rv.entries()) {
      if (!matched.has(j)) direction(ctx, way, "widened", loc, `added a ${key} alternative${refOf(r) ? ` ${code(refOf(r) ?? "")}` : ""} to ${subject(loc)}`);
    }
  }
}

function direction(ctx: Context, way: Way, relation: Relation, loc: Where, message: string) {
  emit(ctx, directed(way, "variants", relation), at(loc), message);
}

/** "2 breaking: removed `GET /pets/{id}`; made `limit` required", or null when nothing breaks. */
export function summarizeBreaking(changes: readonly ContractChange[], shown = 3): string | null {
  // Whole operations and channels first: they are what a reviewer weighs first.
  const whole = (c: ContractChange) => (c.rule.startsWith("operation-") || c.rule.startsWith("channel-") ? 0 : 1);
  const breaking = changes.filter((c) => c.class === "breaking").sort((a, b) => whole(a) - whole(b));
  if (breaking.length === 0) return null;
  const listed = breaking.slice(0, shown).map((c) => c.message);
  const more = breaking.length > shown ? `; and ${breaking.length - shown} more` : "";
  return `${breaking.length} breaking: ${listed.join("; ")}${more}`;
}
