// The classification rules, one row each (docs/decisions/032-contract-diffs.md). A rule names
// one kind of change and says whether it breaks the contract's consumers. Rows follow the
// labelled examples of oasdiff (github.com/Tufin/oasdiff, BREAKING-CHANGES-EXAMPLES.md, whose
// labels come from its own unit tests); where oasdiff says "breaking with warning", so do we:
// a governance gate asks a person rather than guessing yes.
//
// Schema changes are classified by direction. In a request the server is the consumer: what it
// accepts must not shrink, so narrowing breaks and widening does not. In a response the client
// is the consumer: what it may receive must not grow, so widening breaks and narrowing does not.
// A JSON Schema file or an AsyncAPI message without a known direction is read both ways, and a
// change that breaks either way is breaking.

export type ChangeClass = "breaking" | "non-breaking" | "annotation" | "unclassified";

export type RuleCategory =
  | "removals"
  | "types"
  | "required"
  | "enums"
  | "constraints"
  | "responses"
  | "parameters"
  | "media"
  | "security"
  | "defaults"
  | "variants"
  | "deprecation"
  | "annotations"
  | "unclassified";

export interface Rule {
  class: ChangeClass;
  category: RuleCategory;
  description: string;
}

/** Aspects of a schema whose change narrows or widens what it allows. */
const ASPECTS = {
  type: { category: "types", what: "type" },
  nullable: { category: "types", what: "nullability" },
  format: { category: "types", what: "format" },
  enum: { category: "enums", what: "enum values" },
  constraint: { category: "constraints", what: "length, range, size or pattern" },
  "additional-properties": { category: "constraints", what: "additional properties" },
  variants: { category: "variants", what: "oneOf/anyOf alternatives" },
  assertion: { category: "constraints", what: "assertion keywords (contains, if/then/else, dependentRequired, patternProperties, …)" },
} as const satisfies Record<string, { category: RuleCategory; what: string }>;
export type Aspect = keyof typeof ASPECTS;
export type Relation = "narrowed" | "widened" | "changed";
export type Direction = "request" | "response";

function directedRules(): Record<string, Rule> {
  const rows: Record<string, Rule> = {};
  for (const [aspect, { category, what }] of Object.entries(ASPECTS)) {
    for (const direction of ["request", "response"] as const) {
      const consumer = direction === "request" ? "the server" : "clients";
      rows[`${direction}-${aspect}-narrowed`] = {
        class: direction === "request" ? "breaking" : "non-breaking",
        category,
        description: `The ${what} of a ${direction} value now allow less than before${direction === "request" ? ": clients sending what was valid are refused" : ""}.`,
      };
      rows[`${direction}-${aspect}-widened`] = {
        class: direction === "response" ? "breaking" : "non-breaking",
        category,
        description: `The ${what} of a ${direction} value now allow more than before${direction === "response" ? ": clients may receive what they cannot handle" : ""}.`,
      };
      rows[`${direction}-${aspect}-changed`] = {
        class: "breaking",
        category,
        description: `The ${what} of a ${direction} value changed to something neither wider nor narrower: ${consumer} may not accept it.`,
      };
    }
  }
  return rows;
}

export const RULES = {
  // Operations, paths and channels.
  "operation-removed": { class: "breaking", category: "removals", description: "An operation was removed; clients calling it fail." },
  "operation-removed-after-sunset": {
    class: "non-breaking",
    category: "deprecation",
    description: "A deprecated operation was removed after its x-sunset date, as announced.",
  },
  "operation-added": { class: "non-breaking", category: "removals", description: "An operation was added." },
  "operation-deprecated": { class: "annotation", category: "deprecation", description: "An operation was marked deprecated." },
  "operation-sunset-removed": {
    class: "breaking",
    category: "deprecation",
    description: "A deprecated operation lost its x-sunset date; clients lose the announced end of life.",
  },
  "operation-id-changed": {
    class: "non-breaking",
    category: "annotations",
    description: "An operationId changed; the HTTP interface is the same (generated client method names may change).",
  },
  "channel-removed": { class: "breaking", category: "removals", description: "A channel was removed; its publishers and subscribers fail." },
  "channel-added": { class: "non-breaking", category: "removals", description: "A channel was added." },
  "message-removed": { class: "breaking", category: "removals", description: "A message was removed from a channel or operation." },
  "message-added": { class: "non-breaking", category: "removals", description: "A message was added to a channel or operation." },
  // AsyncAPI 3 (https://www.asyncapi.com/docs/reference/specification/v3.0.0): a channel has an address, and operations
  // say what the application does on a channel (`action: send` or `receive`).
  "channel-address-changed": {
    class: "breaking",
    category: "removals",
    description: "A channel's address changed; publishers and subscribers still on the old address no longer meet.",
  },
  "async-operation-removed": {
    class: "breaking",
    category: "removals",
    description: "An operation was removed: what the application sent on its channel stops arriving, or what was sent to it is no longer read.",
  },
  "async-operation-added": { class: "non-breaking", category: "removals", description: "An operation was added." },
  // An operation's `reply` (request/reply, https://www.asyncapi.com/docs/reference/specification/v3.0.0#operationReplyObject).
  "async-reply-removed": {
    class: "breaking",
    category: "removals",
    description: "An operation no longer replies: requesters waiting for the reply wait for ever.",
  },
  "async-reply-added": {
    class: "non-breaking",
    category: "removals",
    description: "An operation now replies; requesters that do not wait for it lose nothing.",
  },
  "async-reply-changed": {
    class: "breaking",
    category: "removals",
    description: "A reply goes to another channel or address; requesters listening where it went before no longer receive it.",
  },
  "async-operation-changed": {
    class: "breaking",
    category: "removals",
    description: "An operation now sends where it received (or the reverse), or works on another channel.",
  },

  // Parameters.
  "request-parameter-removed": {
    class: "breaking",
    category: "parameters",
    description: "A parameter was removed; clients still sending it may be refused or silently ignored.",
  },
  "request-parameter-added-required": { class: "breaking", category: "parameters", description: "A required parameter was added; existing calls lack it." },
  "request-parameter-added-optional": { class: "non-breaking", category: "parameters", description: "An optional parameter was added." },
  "request-parameter-made-required": { class: "breaking", category: "required", description: "A parameter became required; calls without it are refused." },
  "request-parameter-made-optional": { class: "non-breaking", category: "required", description: "A required parameter became optional." },

  // Request bodies.
  "request-body-added-required": { class: "breaking", category: "required", description: "A required request body was added; existing calls lack it." },
  "request-body-added-optional": { class: "non-breaking", category: "required", description: "An optional request body was added." },
  "request-body-made-required": { class: "breaking", category: "required", description: "The request body became required." },
  "request-body-made-optional": { class: "non-breaking", category: "required", description: "The request body became optional." },
  "request-body-removed": {
    class: "breaking",
    category: "removals",
    description: "The request body was removed; clients that still send one may be refused, and what it carried is lost.",
  },
  "request-media-type-removed": { class: "breaking", category: "media", description: "A request media type is no longer accepted." },
  "request-media-type-added": { class: "non-breaking", category: "media", description: "A request media type is now accepted too." },

  // Properties.
  "request-property-removed": {
    class: "breaking",
    category: "removals",
    description: "A request property was removed; clients still sending it lose what it carried.",
  },
  "request-property-added-required": {
    class: "breaking",
    category: "required",
    description: "A required request property was added; existing requests lack it.",
  },
  "request-property-added": { class: "non-breaking", category: "removals", description: "An optional request property was added." },
  "request-property-made-required": { class: "breaking", category: "required", description: "A request property became required." },
  "request-property-made-optional": { class: "non-breaking", category: "required", description: "A required request property became optional." },
  "response-property-removed": { class: "breaking", category: "removals", description: "A response property was removed; clients reading it fail." },
  "response-property-added": {
    class: "non-breaking",
    category: "removals",
    description: "A response property was added; clients are expected to ignore what they do not know.",
  },
  "response-property-made-optional": {
    class: "breaking",
    category: "required",
    description: "A response property that was always present may now be missing.",
  },
  "response-property-made-required": { class: "non-breaking", category: "required", description: "A response property is now always present." },

  // Responses.
  "response-success-removed": { class: "breaking", category: "responses", description: "A success response was removed; clients expecting it fail." },
  "response-error-removed": { class: "non-breaking", category: "responses", description: "An error response is no longer documented." },
  "response-added": { class: "non-breaking", category: "responses", description: "A response status was added." },
  "response-media-type-removed": { class: "breaking", category: "media", description: "A response media type is no longer produced." },
  "response-media-type-added": { class: "non-breaking", category: "media", description: "A response media type was added." },
  "response-header-removed": { class: "breaking", category: "responses", description: "A response header was removed; clients reading it fail." },
  "response-header-made-optional": { class: "breaking", category: "required", description: "A response header that was always sent may now be missing." },
  "response-header-added": { class: "non-breaking", category: "responses", description: "A response header was added." },

  // Defaults.
  "request-default-changed": {
    class: "breaking",
    category: "defaults",
    description: "The default of an optional request value was set, changed or removed: calls that omit it now behave differently.",
  },
  "default-changed": { class: "annotation", category: "defaults", description: "The default of a required or response value changed." },

  // Security.
  "security-requirement-added": {
    class: "breaking",
    category: "security",
    description: "An operation now needs credentials or scopes that existing clients may not have.",
  },
  "security-requirement-removed": { class: "non-breaking", category: "security", description: "An operation needs fewer credentials or scopes than before." },
  "security-scheme-changed": {
    class: "breaking",
    category: "security",
    description: "A security scheme changed its type, location or name; existing credentials no longer fit.",
  },

  // Text only.
  "annotation-changed": {
    class: "annotation",
    category: "annotations",
    description: "A summary, description, title, example or tag changed; the interface did not.",
  },
  "schema-deprecated": { class: "annotation", category: "deprecation", description: "A parameter, property or schema was marked deprecated." },

  // What the classifier cannot judge.
  "unresolved-reference": {
    class: "unclassified",
    category: "unclassified",
    description: "A $ref points outside the file or nowhere; what it refers to was not compared.",
  },
  "too-deep": { class: "unclassified", category: "unclassified", description: "The schema nests deeper than the classifier follows." },
  "schema-keyword-unclassified": {
    class: "unclassified",
    category: "unclassified",
    description: "A schema keyword the classifier does not judge changed (for example $dynamicRef or xml); a person must.",
  },

  // Webhooks (OpenAPI 3.1): the API calls its consumers, so what they receive is a response to them.
  "webhook-removed": { class: "breaking", category: "removals", description: "A webhook was removed; consumers relying on it stop hearing about the event." },
  "webhook-added": { class: "non-breaking", category: "removals", description: "A webhook was added." },
  ...directedRules(),
} satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;

export function ruleFor(direction: Direction, aspect: Aspect, relation: Relation): RuleId {
  return `${direction}-${aspect}-${relation}` as RuleId;
}
