import { z } from "zod";
import { findingsQuerySchema } from "@/lib/findings/store";
import { findingStatusInput } from "@/lib/findings/triage";
import { signedCheckpointSchema } from "@/lib/audit/checkpoint";
import { SCOPE_FOR, TOKEN_SCOPES, type Permission } from "@/lib/auth/permissions";
import { deploymentSchema, impactQuerySchema } from "@/lib/deployments";
import { gateQuerySchema } from "@/lib/deployments/gate";
import { waiverInput, waiverQuerySchema } from "@/lib/deployments/waivers";
import { addRepositorySchema } from "@/lib/repositories";
import { changeFiltersSchema, decisionSchema, proposeInput, revisionSchema } from "@/lib/reviews";
import { batchSchema, runSchema } from "@/lib/runs";
import { checkInput } from "@/lib/checks/schema";
import { checkPolicySchema } from "@/lib/checks/policy";
import { diffQuerySchema, specQuerySchema } from "@/lib/specs/queries";

// The OpenAPI 3.1 document, generated from the zod schemas the route handlers validate with
// (z.toJSONSchema emits JSON Schema 2020-12, which OpenAPI 3.1 uses as is). One entry per
// route handler; a test checks that the entries and the route files match.

type Operation = {
  method: "get" | "post";
  path: string;
  summary: string;
  permission: Permission | "any";
  query?: z.ZodObject;
  body?: z.ZodType;
  success: number;
  idempotent?: boolean;
  produces?: string;
  /** The body limit when it is not the default 1 MB. */
  maxBodyMb?: number;
};

const id = (name: string) => ({ name, in: "path", required: true, schema: { type: "string" } });

export const OPERATIONS: Operation[] = [
  { method: "get", path: "/me", summary: "Who the caller is, with the token's scopes", permission: "any", success: 200 },
  { method: "get", path: "/repositories", summary: "List repositories", permission: "repositories:read", success: 200 },
  { method: "post", path: "/repositories", summary: "Add a repository and queue its import", permission: "repositories:write", body: addRepositorySchema, success: 201 },
  { method: "get", path: "/repositories/{id}", summary: "A repository", permission: "repositories:read", success: 200 },
  { method: "get", path: "/repositories/{id}/imports", summary: "A repository's imports", permission: "repositories:read", success: 200 },
  { method: "post", path: "/repositories/{id}/imports", summary: "Re-scan: queue an import", permission: "imports:run", success: 202 },
  { method: "get", path: "/imports/{id}", summary: "An import's progress and result", permission: "repositories:read", success: 200 },
  { method: "get", path: "/specs", summary: "Search and filter specs", permission: "specs:read", query: specQuerySchema, success: 200 },
  { method: "get", path: "/specs/{id}", summary: "A spec with its versions", permission: "specs:read", success: 200 },
  { method: "get", path: "/specs/{id}/versions/{seq}", summary: "One version's content", permission: "specs:read", success: 200 },
  { method: "get", path: "/specs/{id}/diff", summary: "The diff between two versions", permission: "specs:read", query: diffQuerySchema, success: 200 },
  { method: "get", path: "/changes", summary: "Review queues", permission: "reviews:read", query: changeFiltersSchema, success: 200 },
  { method: "post", path: "/changes", summary: "Propose a change to a spec", permission: "reviews:propose", body: proposeInput, success: 201 },
  { method: "get", path: "/changes/{number}", summary: "A change: exact content, policy, requirements, decisions", permission: "reviews:read", success: 200 },
  { method: "post", path: "/changes/{number}/revisions", summary: "Upload a new revision of a proposal", permission: "reviews:propose", body: revisionSchema, success: 201 },
  { method: "post", path: "/changes/{number}/decisions", summary: "Approve, request changes, reject, comment or override (409 if the content changed)", permission: "reviews:decide", body: decisionSchema, success: 201 },
  { method: "get", path: "/changes/{number}/patch", summary: "The change as a unified diff", permission: "reviews:read", success: 200, produces: "text/x-diff" },
  { method: "get", path: "/runs", summary: "Recent agent runs", permission: "runs:read", success: 200 },
  { method: "post", path: "/runs", summary: "Report an agent run (200 when already reported)", permission: "runs:write", body: runSchema, success: 201, idempotent: true },
  { method: "post", path: "/runs/batch", summary: "Report up to 1,000 agent runs", permission: "runs:write", body: batchSchema, success: 201, idempotent: true },
  { method: "get", path: "/runs/{id}", summary: "A run with the spec versions it used", permission: "runs:read", success: 200 },
  { method: "get", path: "/deployments", summary: "Recent deployments", permission: "deployments:read", success: 200 },
  { method: "post", path: "/deployments", summary: "Record a deployment", permission: "deployments:write", body: deploymentSchema, success: 201, idempotent: true },
  { method: "get", path: "/deployments/{id}", summary: "Which spec versions shaped a deployment", permission: "deployments:read", success: 200 },
  { method: "get", path: "/environments", summary: "What is live where", permission: "deployments:read", success: 200 },
  { method: "get", path: "/versions/{id}", summary: "Which runs and deployments a spec version shaped", permission: "deployments:read", query: impactQuerySchema, success: 200 },
  { method: "get", path: "/can-i-deploy", summary: "May this version of a service go to an environment?", permission: "deployments:read", query: gateQuerySchema, success: 200 },
  { method: "get", path: "/waivers", summary: "Break-glass waivers of the gate (active ones by default)", permission: "deployments:read", query: waiverQuerySchema, success: 200 },
  { method: "post", path: "/waivers", summary: "Record a break-glass waiver for one version in one environment", permission: "gate:waive", body: waiverInput, success: 201 },
  { method: "post", path: "/waivers/{id}/revoke", summary: "Revoke a waiver (409 when revoked or expired already)", permission: "gate:waive", success: 200 },
  { method: "get", path: "/findings", summary: "Findings (drift, lint, duplicates) with filters", permission: "specs:read", query: findingsQuerySchema, success: 200 },
  { method: "get", path: "/findings/{id}", summary: "A finding with its evidence", permission: "specs:read", success: 200 },
  { method: "post", path: "/findings/status", summary: "Acknowledge, dismiss or reopen findings", permission: "reviews:decide", body: findingStatusInput, success: 200 },
  { method: "post", path: "/checks", summary: "Check a pull request's governed files (specledger check); stores the answer", permission: "checks:write", body: checkInput, success: 201, maxBodyMb: 16 },
  { method: "post", path: "/repositories/{id}/check-policy", summary: "Set which findings fail a repository's pull-request checks (null: the default)", permission: "policies:manage", body: z.object({ policy: checkPolicySchema.nullable() }).strict(), success: 200 },
  { method: "get", path: "/checks/{id}", summary: "A stored check: verdict and per-file answers", permission: "repositories:read", success: 200 },
  { method: "post", path: "/webhooks/github", summary: "GitHub webhook deliveries (push, pull_request), authenticated by X-Hub-Signature-256 under the repository's secret", permission: "any", success: 202 },
  { method: "get", path: "/audit/verify", summary: "Verify the audit log's hash chain", permission: "audit:read", success: 200 },
  { method: "post", path: "/audit/verify", summary: "Prove the audit log still extends a saved signed checkpoint (ok: false names a truncated tail, a rewritten event or a head mismatch)", permission: "audit:read", body: signedCheckpointSchema, success: 200 },
  { method: "get", path: "/audit/checkpoint", summary: "A signed checkpoint of the audit log", permission: "audit:read", success: 200 },
];

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" });

const ERROR = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" }, issues: { type: "array", items: {} }, details: {} },
    },
  },
};

function queryParameters(schema: z.ZodObject) {
  const shape = jsonSchema(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(shape.properties ?? {}).map(([name, s]) => ({ name, in: "query", required: shape.required?.includes(name) ?? false, schema: s }));
}

export function openApiDocument(serverUrl = "/api/v1") {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => id(m[1]));
    const scope = op.permission === "any" ? null : SCOPE_FOR[op.permission];
    const errors: Record<string, unknown> = {
      "401": { description: "No session or token, or a bad one", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      "403": { description: "The role or the token's scopes do not allow it", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      "429": { description: "Rate limited (see Retry-After)", headers: { "Retry-After": { schema: { type: "integer" } } } },
    };
    if (params.length > 0) errors["404"] = { description: "Unknown id", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    if (op.body || op.query) errors["422"] = { description: "The request is not valid (issues list what)", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    if (op.body) {
      errors["400"] = { description: "Malformed JSON or UTF-8", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
      errors["413"] = { description: `Body over ${op.maxBodyMb ?? 1} MB`, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    }
    if (op.idempotent || op.path.startsWith("/changes")) errors["409"] = { description: "Conflict (a stale content hash, or an Idempotency-Key still in flight)" };
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      summary: op.summary,
      operationId: `${op.method}${op.path.replace(/\{(\w+)\}/g, "By_$1").replace(/[^A-Za-z0-9]+(\w)/g, (_, c: string) => c.toUpperCase())}`,
      ...(scope ? { description: `Permission ${op.permission}; with a token, scope ${scope} (or admin).` } : {}),
      parameters: [
        ...params,
        ...(op.query ? queryParameters(op.query) : []),
        ...(op.idempotent ? [{ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 200 } }] : []),
      ],
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body) } } } } : {}),
      responses: {
        [String(op.success)]: { description: "Success", content: { [op.produces ?? "application/json"]: { schema: op.produces ? { type: "string" } : { type: "object" } } } },
        ...errors,
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Specledger API",
      version: "1",
      description: "The system of record for specifications and agent instruction files. Authenticate with a session cookie or `Authorization: Bearer <token>`.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: `API token (sl_…). Scopes: ${TOKEN_SCOPES.join(", ")}.` },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
      schemas: { Error: ERROR },
    },
    paths,
  };
}
