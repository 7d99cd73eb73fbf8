import { stringify } from "yaml";

// The labelled set behind the contract-classification figures (`npm run bench -- contracts`) and
// its regression test. Each case is a base document, a revision, and whether the revision breaks
// the contract's consumers, labelled from the rule it exercises as oasdiff's own examples label
// it (github.com/Tufin/oasdiff, BREAKING-CHANGES-EXAMPLES.md; "breaking with warning" counts as
// breaking) or, where oasdiff is silent, from issue 14 (a response enum value added breaks
// clients; a response made nullable breaks clients). Labels were written before the classifier
// was run on them.

export type LabelCategory =
  | "removals"
  | "types"
  | "required"
  | "enums"
  | "responses"
  | "parameters"
  | "constraints"
  | "security"
  | "refs"
  | "reorderings"
  | "annotations"
  | "asyncapi"
  | "json-schema";

export interface LabelledPair {
  name: string;
  category: LabelCategory;
  breaking: boolean;
  base: string;
  revision: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures mutate deep, loosely shaped documents; a precise type for each would only restate them
type Doc = Record<string, any>;

const petRef = { $ref: "#/components/schemas/Pet" };
const json = (schema: unknown) => ({ "application/json": { schema } });

function petstore(): Doc {
  return {
    openapi: "3.1.0",
    info: { title: "Pets", version: "1.0.0" },
    paths: {
      "/pets": {
        get: {
          operationId: "listPets",
          summary: "List pets",
          parameters: [
            { name: "limit", in: "query", required: false, schema: { type: "integer", maximum: 100 } },
            { name: "sort", in: "query", required: false, schema: { type: "string", enum: ["asc", "desc"], default: "asc" } },
          ],
          responses: {
            "200": {
              description: "The pets",
              headers: { "X-Rate-Limit": { required: true, schema: { type: "integer" } } },
              content: json({ type: "array", items: petRef }),
            },
            "400": { description: "Bad query" },
          },
        },
        post: {
          operationId: "createPet",
          requestBody: { required: true, content: json({ $ref: "#/components/schemas/NewPet" }) },
          responses: { "201": { description: "Created", content: json(petRef) } },
          security: [{ oauth: ["pets:write"] }],
        },
      },
      "/pets/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        get: { operationId: "getPet", responses: { "200": { description: "The pet", content: json(petRef) }, "404": { description: "No such pet" } } },
        delete: { operationId: "deletePet", responses: { "204": { description: "Deleted" } }, security: [{ apiKey: [] }] },
      },
    },
    components: {
      schemas: {
        Pet: {
          type: "object",
          required: ["id", "name", "status"],
          properties: {
            id: { type: "string" },
            name: { type: "string", maxLength: 50 },
            status: { type: "string", enum: ["available", "sold"] },
            tag: { type: "string" },
            age: { type: "integer" },
          },
        },
        NewPet: {
          type: "object",
          required: ["name"],
          properties: {
            name: { type: "string", maxLength: 50 },
            tag: { type: ["string", "null"] },
            status: { type: "string", enum: ["available", "sold"] },
            age: { type: "integer", minimum: 0 },
          },
        },
      },
      securitySchemes: {
        oauth: { type: "oauth2", flows: { clientCredentials: { tokenUrl: "https://auth.example.com/token", scopes: { "pets:write": "", "pets:admin": "" } } } },
        apiKey: { type: "apiKey", in: "header", name: "X-Api-Key" },
      },
    },
  };
}

function openapi(name: string, category: LabelCategory, breaking: boolean, mutate: (doc: Doc) => void, base: (doc: Doc) => void = () => {}): LabelledPair {
  const before = petstore();
  base(before);
  const after = structuredClone(before);
  mutate(after);
  return { name, category, breaking, base: JSON.stringify(before, null, 2), revision: JSON.stringify(after, null, 2) };
}

const pets = (d: Doc) => d.paths["/pets"];
const pet = (d: Doc) => d.paths["/pets/{id}"];
const schema = (d: Doc, name: string) => d.components.schemas[name];
const param = (d: Doc, name: string) => pets(d).get.parameters.find((p: Doc) => p.name === name);

/** Reverses the key order of every object, recursively. */
function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reorder(v)]),
    );
  return value;
}

const asyncBase = (): Doc => ({
  asyncapi: "2.6.0",
  info: { title: "Orders", version: "1.0.0" },
  channels: {
    "orders/created": {
      subscribe: {
        message: {
          name: "OrderCreated",
          payload: { type: "object", required: ["id", "total"], properties: { id: { type: "string" }, total: { type: "number" }, note: { type: "string" } } },
        },
      },
    },
    "orders/cancel": {
      publish: { message: { name: "CancelOrder", payload: { type: "object", required: ["id"], properties: { id: { type: "string" } } } } },
    },
  },
});

// The same interface in AsyncAPI 3 (https://www.asyncapi.com/docs/reference/specification/v3.0.0): channels keyed by
// id with an address and their messages, operations saying what the application does on which channel.
const async3Base = (): Doc => ({
  asyncapi: "3.0.0",
  info: { title: "Orders", version: "1.0.0" },
  channels: {
    orderCreated: { address: "orders/created", messages: { OrderCreated: { $ref: "#/components/messages/OrderCreated" } } },
    cancelOrder: {
      address: "orders/cancel",
      messages: { CancelOrder: { name: "CancelOrder", payload: { type: "object", required: ["id"], properties: { id: { type: "string" } } } } },
    },
  },
  operations: {
    sendOrderCreated: { action: "send", channel: { $ref: "#/channels/orderCreated" } },
    receiveCancelOrder: { action: "receive", channel: { $ref: "#/channels/cancelOrder" } },
  },
  components: {
    messages: {
      OrderCreated: {
        name: "OrderCreated",
        payload: { type: "object", required: ["id", "total"], properties: { id: { type: "string" }, total: { type: "number" }, note: { type: "string" } } },
      },
    },
  },
});

function asyncapi3(name: string, breaking: boolean, mutate: (doc: Doc) => void, prepare?: (doc: Doc) => void): LabelledPair {
  const before = async3Base();
  prepare?.(before);
  const after = structuredClone(before);
  mutate(after);
  return { name: `AsyncAPI 3: ${name}`, category: "asyncapi", breaking, base: stringify(before), revision: stringify(after) };
}

/** A second message on the cancel channel, both listed by the receive operation. */
function withCancelAll(d: Doc) {
  d.channels.cancelOrder.messages.CancelAll = { name: "CancelAll", payload: { type: "object", properties: { before: { type: "string" } } } };
  d.operations.receiveCancelOrder.messages = [{ $ref: "#/channels/cancelOrder/messages/CancelOrder" }, { $ref: "#/channels/cancelOrder/messages/CancelAll" }];
}

/** The receive operation answers each cancellation on a reply channel. */
function withReply(d: Doc) {
  d.channels.cancelReply = {
    address: "orders/cancel/reply",
    messages: { CancelAccepted: { name: "CancelAccepted", payload: { type: "object", required: ["id"], properties: { id: { type: "string" } } } } },
  };
  d.operations.receiveCancelOrder.reply = {
    channel: { $ref: "#/channels/cancelReply" },
    messages: [{ $ref: "#/channels/cancelReply/messages/CancelAccepted" }],
  };
}

function asyncapi(name: string, breaking: boolean, mutate: (doc: Doc) => void): LabelledPair {
  const before = asyncBase();
  const after = structuredClone(before);
  mutate(after);
  return { name, category: "asyncapi", breaking, base: stringify(before), revision: stringify(after) };
}

const schemaBase = (): Doc => ({
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Invoice",
  type: "object",
  required: ["id"],
  properties: { id: { type: "string" }, currency: { type: "string", enum: ["EUR", "USD"] }, memo: { type: "string", description: "Free text" } },
});

function jsonSchema(name: string, breaking: boolean, mutate: (doc: Doc) => void): LabelledPair {
  const before = schemaBase();
  const after = structuredClone(before);
  mutate(after);
  return { name, category: "json-schema", breaking, base: JSON.stringify(before), revision: JSON.stringify(after) };
}

export const LABELLED_PAIRS: readonly LabelledPair[] = [
  // Removals and additions of operations and properties.
  openapi("deleting an operation", "removals", true, (d) => delete pet(d).get),
  openapi("deleting a path", "removals", true, (d) => delete d.paths["/pets/{id}"]),
  openapi("adding an operation", "removals", false, (d) => (pet(d).put = { responses: { "200": { description: "Replaced" } } })),
  openapi(
    "deleting a deprecated operation after its sunset date",
    "removals",
    false,
    (d) => delete pet(d).delete,
    (d) => Object.assign(pet(d).delete, { deprecated: true, "x-sunset": "2020-01-01" }),
  ),
  openapi(
    "deleting a deprecated operation before its sunset date",
    "removals",
    true,
    (d) => delete pet(d).delete,
    (d) => Object.assign(pet(d).delete, { deprecated: true, "x-sunset": "2999-01-01" }),
  ),
  openapi("deleting an optional response property", "removals", true, (d) => delete schema(d, "Pet").properties.tag),
  openapi("adding a response property", "removals", false, (d) => (schema(d, "Pet").properties.color = { type: "string" })),
  openapi("deleting a request property", "removals", true, (d) => delete schema(d, "NewPet").properties.tag),
  openapi("renaming a path parameter with its template", "removals", false, (d) => {
    d.paths["/pets/{petId}"] = d.paths["/pets/{id}"];
    delete d.paths["/pets/{id}"];
    d.paths["/pets/{petId}"].parameters[0].name = "petId";
  }),

  // Types, nullability and formats.
  openapi("response integer widened to number", "types", true, (d) => (schema(d, "Pet").properties.age.type = "number")),
  openapi("request integer widened to number", "types", false, (d) => (schema(d, "NewPet").properties.age.type = "number")),
  openapi("request integer changed to string", "types", true, (d) => (schema(d, "NewPet").properties.age = { type: "string" })),
  openapi("response integer changed to string", "types", true, (d) => (schema(d, "Pet").properties.age.type = "string")),
  openapi("response property made nullable", "types", true, (d) => (schema(d, "Pet").properties.name.type = ["string", "null"])),
  openapi("request property made nullable", "types", false, (d) => (schema(d, "NewPet").properties.status.type = ["string", "null"])),
  openapi("request property made not nullable", "types", true, (d) => (schema(d, "NewPet").properties.tag.type = "string")),
  openapi("query parameter integer widened to number", "types", false, (d) => (param(d, "limit").schema.type = "number")),
  openapi("response format added", "types", false, (d) => (schema(d, "Pet").properties.id.format = "uuid")),
  openapi("request format added", "types", true, (d) => (schema(d, "NewPet").properties.name.format = "email")),
  openapi(
    "response narrowed from number to integer",
    "types",
    false,
    (d) => (schema(d, "Pet").properties.age.type = "integer"),
    (d) => (schema(d, "Pet").properties.age.type = "number"),
  ),

  // Required-ness.
  openapi("query parameter made required", "required", true, (d) => (param(d, "limit").required = true)),
  openapi("new required query parameter", "required", true, (d) =>
    pets(d).get.parameters.push({ name: "owner", in: "query", required: true, schema: { type: "string" } }),
  ),
  openapi("new optional query parameter", "required", false, (d) => pets(d).get.parameters.push({ name: "cursor", in: "query", schema: { type: "string" } })),
  openapi("request property made required", "required", true, (d) => schema(d, "NewPet").required.push("tag")),
  openapi("request property made optional", "required", false, (d) => (schema(d, "NewPet").required = [])),
  openapi("response property made optional", "required", true, (d) => (schema(d, "Pet").required = ["id", "name"])),
  openapi("response property made required", "required", false, (d) => schema(d, "Pet").required.push("tag")),
  openapi("new required request property", "required", true, (d) => {
    schema(d, "NewPet").properties.species = { type: "string" };
    schema(d, "NewPet").required.push("species");
  }),
  openapi("new required read-only request property", "required", false, (d) => {
    schema(d, "NewPet").properties.createdAt = { type: "string", readOnly: true };
    schema(d, "NewPet").required.push("createdAt");
  }),
  openapi("request body made optional", "required", false, (d) => (pets(d).post.requestBody.required = false)),
  openapi("required request body added", "required", true, (d) => (pet(d).delete.requestBody = { required: true, content: json({ type: "object" }) })),
  openapi("optional request body added", "required", false, (d) => (pet(d).delete.requestBody = { content: json({ type: "object" }) })),

  // Enums.
  openapi("response enum value added", "enums", true, (d) => schema(d, "Pet").properties.status.enum.push("pending")),
  openapi("request enum value added", "enums", false, (d) => schema(d, "NewPet").properties.status.enum.push("pending")),
  openapi("request enum value removed", "enums", true, (d) => (schema(d, "NewPet").properties.status.enum = ["available"])),
  openapi("response enum value removed", "enums", false, (d) => (schema(d, "Pet").properties.status.enum = ["available"])),
  openapi("request property restricted to an enum", "enums", true, (d) => (schema(d, "NewPet").properties.name.enum = ["Rex", "Tom"])),
  openapi("query parameter enum value added", "enums", false, (d) => param(d, "sort").schema.enum.push("random")),
  openapi("query parameter enum value removed", "enums", true, (d) => (param(d, "sort").schema.enum = ["asc"])),

  // Responses.
  openapi("success response removed", "responses", true, (d) => delete pet(d).get.responses["200"]),
  openapi("error response removed", "responses", false, (d) => delete pet(d).get.responses["404"]),
  openapi("response status added", "responses", false, (d) => (pets(d).get.responses["429"] = { description: "Slow down" })),
  openapi("response media type replaced", "responses", true, (d) => {
    const r = pets(d).get.responses["200"];
    r.content = { "application/xml": r.content["application/json"] };
  }),
  openapi("response media type added", "responses", false, (d) => {
    const r = pets(d).get.responses["200"];
    r.content["application/xml"] = r.content["application/json"];
  }),
  openapi("response header removed", "responses", true, (d) => delete pets(d).get.responses["200"].headers),
  openapi("response header added", "responses", false, (d) => (pets(d).get.responses["200"].headers["X-Request-Id"] = { schema: { type: "string" } })),
  openapi("response header made optional", "responses", true, (d) => (pets(d).get.responses["200"].headers["X-Rate-Limit"].required = false)),

  // Parameters.
  openapi("query parameter removed", "parameters", true, (d) => (pets(d).get.parameters = [param(d, "sort")])),
  openapi("query parameter maximum lowered", "parameters", true, (d) => (param(d, "limit").schema.maximum = 50)),
  openapi("query parameter maximum raised", "parameters", false, (d) => (param(d, "limit").schema.maximum = 500)),
  openapi("optional query parameter default changed", "parameters", true, (d) => (param(d, "sort").schema.default = "desc")),
  openapi("query parameter deprecated", "parameters", false, (d) => (param(d, "limit").deprecated = true)),
  openapi("path parameter moved from path item to operation", "parameters", false, (d) => {
    const p = pet(d).parameters;
    delete pet(d).parameters;
    pet(d).get.parameters = p;
    pet(d).delete.parameters = p;
  }),

  // Constraints.
  openapi("request maxLength lowered", "constraints", true, (d) => (schema(d, "NewPet").properties.name.maxLength = 20)),
  openapi("response maxLength raised", "constraints", true, (d) => (schema(d, "Pet").properties.name.maxLength = 100)),
  openapi("request maxLength removed", "constraints", false, (d) => delete schema(d, "NewPet").properties.name.maxLength),
  openapi("request pattern added", "constraints", true, (d) => (schema(d, "NewPet").properties.name.pattern = "^[A-Z]")),
  openapi("request minimum raised", "constraints", true, (d) => (schema(d, "NewPet").properties.age.minimum = 1)),
  openapi("response maxLength lowered", "constraints", false, (d) => (schema(d, "Pet").properties.name.maxLength = 20)),

  // Security.
  openapi("security added to an open operation", "security", true, (d) => (pets(d).get.security = [{ oauth: [] }])),
  openapi("security removed from an operation", "security", false, (d) => delete pets(d).post.security),
  openapi("scope added to a requirement", "security", true, (d) => (pets(d).post.security = [{ oauth: ["pets:write", "pets:admin"] }])),
  openapi("alternative credential added", "security", false, (d) => pets(d).post.security.push({ apiKey: [] })),
  openapi("api key moved from header to query", "security", true, (d) => (d.components.securitySchemes.apiKey.in = "query")),
  openapi("global security added", "security", true, (d) => (d.security = [{ apiKey: [] }])),

  // $ref moves: the same interface written another way.
  openapi("request schema inlined", "refs", false, (d) => (pets(d).post.requestBody.content["application/json"].schema = structuredClone(schema(d, "NewPet")))),
  openapi("component renamed with its references", "refs", false, (d) => {
    d.components.schemas.Animal = schema(d, "Pet");
    delete d.components.schemas.Pet;
    const text = JSON.stringify(d.paths).replaceAll("#/components/schemas/Pet", "#/components/schemas/Animal");
    d.paths = JSON.parse(text);
  }),
  openapi("property extracted into a component", "refs", false, (d) => {
    d.components.schemas.Status = schema(d, "Pet").properties.status;
    schema(d, "Pet").properties.status = { $ref: "#/components/schemas/Status" };
  }),
  openapi("renamed component with a new response enum value", "refs", true, (d) => {
    d.components.schemas.Animal = schema(d, "Pet");
    d.components.schemas.Animal.properties.status.enum.push("pending");
    delete d.components.schemas.Pet;
    d.paths = JSON.parse(JSON.stringify(d.paths).replaceAll("#/components/schemas/Pet", "#/components/schemas/Animal"));
  }),
  openapi(
    "recursive schema gains an optional request property",
    "refs",
    false,
    (d) => (schema(d, "NewPet").properties.nickname = { type: "string" }),
    (d) => (schema(d, "NewPet").properties.parent = { $ref: "#/components/schemas/NewPet" }),
  ),

  // Pure reorderings and re-serialisations.
  { ...openapi("keys reordered", "reorderings", false, () => {}), revision: JSON.stringify(reorder(petstore())) },
  { ...openapi("JSON rewritten as YAML", "reorderings", false, () => {}), revision: stringify(petstore()) },
  openapi("enum values reordered", "reorderings", false, (d) => (schema(d, "Pet").properties.status.enum = ["sold", "available"])),
  openapi("parameters reordered", "reorderings", false, (d) => pets(d).get.parameters.reverse()),
  openapi("paths reordered", "reorderings", false, (d) => (d.paths = { "/pets/{id}": d.paths["/pets/{id}"], "/pets": d.paths["/pets"] })),

  // Text only.
  openapi("descriptions changed", "annotations", false, (d) => {
    pets(d).get.summary = "List every pet";
    pets(d).get.responses["200"].description = "All the pets";
  }),
  openapi("operation deprecated", "annotations", false, (d) => (pet(d).delete.deprecated = true)),
  openapi("operationId changed", "annotations", false, (d) => (pets(d).get.operationId = "getPets")),

  // AsyncAPI: what the application sends is read by its consumers.
  asyncapi("channel removed", true, (d) => delete d.channels["orders/cancel"]),
  asyncapi("sent message property removed", true, (d) => delete d.channels["orders/created"].subscribe.message.payload.properties.note),
  asyncapi(
    "received message gains an optional property",
    false,
    (d) => (d.channels["orders/cancel"].publish.message.payload.properties.reason = { type: "string" }),
  ),
  asyncapi("received message gains a required property", true, (d) => {
    const payload = d.channels["orders/cancel"].publish.message.payload;
    payload.properties.reason = { type: "string" };
    payload.required.push("reason");
  }),
  asyncapi("channel added", false, (d) => (d.channels["orders/shipped"] = { subscribe: { message: { name: "OrderShipped", payload: { type: "object" } } } })),
  asyncapi3("channel removed with its operation", true, (d) => {
    delete d.channels.cancelOrder;
    delete d.operations.receiveCancelOrder;
  }),
  asyncapi3("sent message property removed (through a component)", true, (d) => delete d.components.messages.OrderCreated.payload.properties.note),
  asyncapi3("sent message gains an optional property", false, (d) => (d.components.messages.OrderCreated.payload.properties.currency = { type: "string" })),
  asyncapi3("received message gains a required property", true, (d) => {
    const payload = d.channels.cancelOrder.messages.CancelOrder.payload;
    payload.properties.reason = { type: "string" };
    payload.required.push("reason");
  }),
  asyncapi3(
    "received message gains an optional property",
    false,
    (d) => (d.channels.cancelOrder.messages.CancelOrder.payload.properties.reason = { type: "string" }),
  ),
  asyncapi3("channel address changed", true, (d) => (d.channels.orderCreated.address = "orders.created")),
  asyncapi3("send operation removed, channel kept", true, (d) => delete d.operations.sendOrderCreated),
  asyncapi3("operation switched from receive to send", true, (d) => (d.operations.receiveCancelOrder.action = "send")),
  asyncapi3("operation and channel added", false, (d) => {
    d.channels.orderShipped = { address: "orders/shipped", messages: { OrderShipped: { name: "OrderShipped", payload: { type: "object" } } } };
    d.operations.sendOrderShipped = { action: "send", channel: { $ref: "#/channels/orderShipped" } };
  }),
  asyncapi3("channel title added", false, (d) => (d.channels.orderCreated.title = "Order created")),
  // Operations' message lists and replies (https://www.asyncapi.com/docs/reference/specification/v3.0.0#operationObject).
  asyncapi3(
    "receive operation stops listing a message",
    true,
    (d) => (d.operations.receiveCancelOrder.messages = [{ $ref: "#/channels/cancelOrder/messages/CancelOrder" }]),
    withCancelAll,
  ),
  asyncapi3(
    "receive operation lists one more message of its channel",
    false,
    (d) => d.operations.receiveCancelOrder.messages.push({ $ref: "#/channels/cancelOrder/messages/CancelAll" }),
    (d) => {
      withCancelAll(d);
      d.operations.receiveCancelOrder.messages = [{ $ref: "#/channels/cancelOrder/messages/CancelOrder" }];
    },
  ),
  asyncapi3(
    "send operation stops listing its message",
    true,
    (d) => (d.operations.sendOrderCreated.messages = []),
    (d) => (d.operations.sendOrderCreated.messages = [{ $ref: "#/channels/orderCreated/messages/OrderCreated" }]),
  ),
  asyncapi3("reply removed", true, (d) => delete d.operations.receiveCancelOrder.reply, withReply),
  asyncapi3("reply added", false, withReply),
  asyncapi3("reply sent to another channel", true, (d) => (d.operations.receiveCancelOrder.reply.channel = { $ref: "#/channels/orderCreated" }), withReply),
  asyncapi3("reply address changed", true, (d) => (d.operations.receiveCancelOrder.reply.address = { location: "$message.header#/replyTo" }), withReply),
  // A receive operation's reply is what the application sends: requesters read it, as clients read a response.
  asyncapi3(
    "reply message gains a required property",
    false,
    (d) => {
      const payload = d.channels.cancelReply.messages.CancelAccepted.payload;
      payload.properties.at = { type: "string" };
      payload.required.push("at");
    },
    withReply,
  ),
  asyncapi3("reply message loses a property", true, (d) => delete d.channels.cancelReply.messages.CancelAccepted.payload.properties.id, withReply),

  // A JSON Schema file is read both ways: data its writers produce and its readers consume.
  jsonSchema("required property added", true, (d) => {
    d.properties.due = { type: "string", format: "date" };
    d.required.push("due");
  }),
  jsonSchema("description changed", false, (d) => (d.properties.memo.description = "Free text for the customer")),
  jsonSchema("enum value added", true, (d) => d.properties.currency.enum.push("GBP")),
  jsonSchema("optional property added", false, (d) => (d.properties.reference = { type: "string" })),
];
