import { z } from "zod";
import { SCOPE_FOR, TOKEN_SCOPES, type Permission } from "@/lib/auth/permissions";
import { deploymentsQuerySchema, impactQuerySchema } from "@/lib/deployments";
import { gateQuerySchema } from "@/lib/deployments/gate";
import { checkpointVerdict, signedCheckpointSchema } from "@/lib/audit/checkpoint";
import { waiverQuerySchema } from "@/lib/deployments/waivers";
import { findingsQuerySchema } from "@/lib/findings/store";
import { removeBudget, setBudget } from "@/lib/operations/budgets";
import { checkResult, knownContentsInput, knownContentsResult } from "@/lib/checks/schema";
import { runCheck, setCheckPolicy, setTicketPolicy } from "@/lib/operations/checks";
import { proposeFindingFix, recomputeFindings, setFindingStatus } from "@/lib/operations/findings";
import { proposeFixBody } from "@/lib/findings/propose-fix";
import { createSubscription, deleteSubscription, redeliverNotification, updateSubscription } from "@/lib/operations/notifications";
import { deliveryView, redeliverInput, subscriptionView, updateSubscriptionInput } from "@/lib/notifications/subscriptions";
import { createWaiver, revokeWaiver } from "@/lib/operations/waivers";
import type { Operation } from "@/lib/operations/operation";
import { recordDeployment, reportRun, reportRunBatch } from "@/lib/operations/provenance";
import { decideChange, proposeChange, reviseChange } from "@/lib/operations/reviews";
import {
  addRepository,
  archiveRepository,
  clearRepositoryCredential,
  deleteRepository,
  editRepositorySource,
  requestImport,
  setRepositoryCredential,
  setSyncPolicy,
} from "@/lib/operations/repositories";
import { importView } from "@/lib/repositories";
import { changeFiltersSchema, decisionSchema, revisionSchema } from "@/lib/reviews";
import { runsQuerySchema } from "@/lib/runs";
import { auditQuerySchema } from "@/lib/audit/browse-query";
import { effectiveInstructionsQuerySchema } from "@/lib/instructions/queries";
import { diffQuerySchema, repositoriesQuerySchema, specQuerySchema } from "@/lib/specs/queries";
import { acceptedOutcome, acknowledgedOutcome } from "@/lib/webhooks/github";
import * as R from "./responses";
import { MAX_BODY_BYTES, PROPOSAL_BODY_BYTES } from "./limits";

// The OpenAPI 3.1 document, generated from one registry of routes (docs/decisions/019). A route
// bound to an operation (`handle(op, …)`) takes its permission, summary, request body and
// success body from the operation's declaration; reads declare their query and response
// schemas here. z.toJSONSchema emits JSON Schema 2020-12, which OpenAPI 3.1 uses as is.
// Tests check that the registry lists exactly the route files, and that every answer the
// integration tests see matches the document (lib/testing/api-contract.ts).

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any operation, whatever its schemas
type AnyOperation = Operation<any, any, any>;

export interface Route {
  method: "get" | "post";
  /** The path under /api/v1, with {param} placeholders. */
  path: string;
  summary?: string;
  /** The permission (for reads and routes not bound to an operation). */
  permission?: Permission | "any";
  /** The operation the route handler runs: its permission, summary, input and output. */
  operation?: AnyOperation;
  /** Path parameters that are numbers (canonical digits, at most 2^31-1); others are ids. */
  numbers?: string[];
  query?: z.ZodObject;
  /** The JSON request body; defaults to the operation's input. */
  body?: z.ZodType;
  maxBodyBytes?: number;
  /** The success answers by status; an operation's output is the default body of `success`. */
  success: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** Error statuses this route answers beyond those every route may answer. */
  errors?: Partial<Record<number, string>>;
  idempotent?: boolean;
}

const ok = (schema: z.ZodType, description = "Success") => ({ 200: { description, schema } });

export const ROUTES: Route[] = [
  { method: "get", path: "/me", summary: "Who the caller is, with the token's scopes", permission: "any", success: ok(R.me) },
  {
    method: "get",
    path: "/inbox",
    summary: "The caller's inbox: changes to review, news on their changes, open findings on specs they own",
    permission: "reviews:read",
    success: ok(R.inbox),
  },
  {
    method: "get",
    path: "/repositories",
    summary: "List repositories (archived ones on request)",
    permission: "repositories:read",
    query: repositoriesQuerySchema,
    success: ok(R.repositoryList),
  },
  {
    method: "post",
    path: "/repositories",
    operation: addRepository,
    success: { 201: { description: "Added; its import is queued" } },
    errors: { 409: "The source is already imported (details.repositoryId names it)" },
  },
  { method: "get", path: "/repositories/{id}", summary: "A repository", permission: "repositories:read", success: ok(R.repositoryDetail) },
  { method: "get", path: "/repositories/{id}/imports", summary: "A repository's imports", permission: "repositories:read", success: ok(R.importList) },
  {
    method: "post",
    path: "/repositories/{id}/imports",
    operation: requestImport,
    body: z.object({}).optional(),
    success: { 202: { description: "Queued, or the import already waiting or running", schema: z.object({ import: importView }) } },
    errors: { 409: "An import cannot be queued now" },
  },
  {
    method: "get",
    path: "/repositories/{id}/instructions",
    summary: "What an agent loads in a directory: files in order, why, imports, and its size limit's cut",
    permission: "repositories:read",
    query: effectiveInstructionsQuerySchema,
    success: ok(R.effectiveInstructions),
    errors: { 400: "Unknown agent, or a path outside the repository", 404: "No such repository, or no such directory at its imported head" },
  },
  { method: "get", path: "/imports/{id}", summary: "An import's progress and result", permission: "repositories:read", success: ok(R.importRecord) },
  { method: "get", path: "/specs", summary: "Search and filter specs", permission: "specs:read", query: specQuerySchema, success: ok(R.specList) },
  { method: "get", path: "/specs/{id}", summary: "A spec with its versions", permission: "specs:read", success: ok(R.specDetail) },
  {
    method: "get",
    path: "/specs/{id}/requirements",
    summary: "A spec's requirements with their test status, and its figures",
    permission: "specs:read",
    success: ok(R.specRequirementList),
  },
  {
    method: "get",
    path: "/requirements/{id}",
    summary: "A requirement with its history and test links",
    permission: "specs:read",
    success: ok(R.requirementDetail),
  },
  {
    method: "get",
    path: "/specs/{id}/versions/{seq}",
    summary: "One version's content",
    permission: "specs:read",
    numbers: ["seq"],
    success: ok(R.versionText),
  },
  {
    method: "get",
    path: "/specs/{id}/last-green",
    summary: "The newest version whose runs succeeded, with the commands to check it out ({id} may be <repository>:<path>, percent-encoded)",
    permission: "runs:read",
    success: ok(R.lastGreen, "The last green version, or version null with the reason"),
    errors: { 404: "No such spec" },
  },
  {
    method: "get",
    path: "/specs/{id}/can-i-run",
    summary:
      "May agents start work on this spec? No when one of its budgets is spent for the period, or runs in the period reported no cost or token count (unknown spend) ({id} may be <repository>:<path>)",
    permission: "runs:read",
    success: ok(R.canIRunAnswer, "The answer, with the figures of every budget"),
    errors: { 404: "No such spec" },
  },
  {
    method: "get",
    path: "/specs/{id}/diff",
    summary: "The diff between two versions",
    permission: "specs:read",
    query: diffQuerySchema,
    success: ok(R.specDiff),
  },
  { method: "get", path: "/changes", summary: "Review queues", permission: "reviews:read", query: changeFiltersSchema, success: ok(R.changeList) },
  {
    method: "post",
    path: "/changes",
    operation: proposeChange,
    maxBodyBytes: PROPOSAL_BODY_BYTES,
    success: { 201: { description: "Proposed", schema: R.changeDetail } },
    errors: { 404: "No such spec", 409: "The spec or the superseded change moved on" },
  },
  {
    method: "get",
    path: "/changes/{number}",
    summary: "A change: exact content, policy, requirements, decisions",
    permission: "reviews:read",
    numbers: ["number"],
    success: ok(R.changeDetail),
  },
  {
    method: "post",
    path: "/changes/{number}/revisions",
    operation: reviseChange,
    numbers: ["number"],
    body: revisionSchema,
    maxBodyBytes: PROPOSAL_BODY_BYTES,
    success: { 201: { description: "Revised", schema: R.changeDetail } },
    errors: { 409: "The change is no longer open" },
  },
  {
    method: "post",
    path: "/changes/{number}/decisions",
    operation: decideChange,
    numbers: ["number"],
    body: decisionSchema,
    success: { 201: { description: "Recorded", schema: R.decisionRecorded } },
    errors: { 409: "The content changed since it was reviewed (contentHash is stale), or the change is closed" },
  },
  {
    method: "get",
    path: "/changes/{number}/patch",
    summary: "The change as a unified diff",
    permission: "reviews:read",
    numbers: ["number"],
    success: { 200: { description: "A patch for git apply", contentType: "text/x-diff" } },
  },
  { method: "get", path: "/runs", summary: "Recent agent runs", permission: "runs:read", query: runsQuerySchema, success: ok(R.runList) },
  {
    method: "post",
    path: "/runs",
    operation: reportRun,
    success: { 201: { description: "Recorded" }, 200: { description: "Already reported: the first record (created: false)" } },
    errors: { 409: "A request with this Idempotency-Key is still in flight" },
  },
  {
    method: "post",
    path: "/runs/batch",
    operation: reportRunBatch,
    success: { 201: { description: "Recorded (runs reported before count as existing)" } },
    errors: { 409: "A request with this Idempotency-Key is still in flight" },
  },
  { method: "get", path: "/runs/{id}", summary: "A run with the spec versions it used", permission: "runs:read", success: ok(R.runDetail) },
  {
    method: "get",
    path: "/deployments",
    summary: "Recent deployments",
    permission: "deployments:read",
    query: deploymentsQuerySchema,
    success: ok(R.deploymentList),
  },
  {
    method: "post",
    path: "/deployments",
    operation: recordDeployment,
    success: { 201: { description: "Recorded" } },
    errors: { 409: "A request with this Idempotency-Key is still in flight" },
  },
  {
    method: "get",
    path: "/deployments/{id}",
    summary: "Which spec versions shaped a deployment",
    permission: "deployments:read",
    success: ok(R.deploymentDetail),
  },
  { method: "get", path: "/environments", summary: "What is live where", permission: "deployments:read", success: ok(R.environmentList) },
  {
    method: "get",
    path: "/versions/{id}",
    summary: "Which runs and deployments a spec version shaped",
    permission: "deployments:read",
    query: impactQuerySchema,
    success: ok(R.versionImpact),
  },
  {
    method: "get",
    path: "/can-i-deploy",
    summary: "May this version of a service go to an environment?",
    permission: "deployments:read",
    query: gateQuerySchema,
    success: ok(R.gateAnswer, "The answer, with every reason it is no"),
    errors: { 404: "No deployment of this service version was recorded" },
  },
  {
    method: "get",
    path: "/findings",
    summary: "Findings (drift, lint, duplicates) with filters",
    permission: "specs:read",
    query: findingsQuerySchema,
    success: ok(R.findingList),
  },
  { method: "get", path: "/findings/{id}", summary: "A finding with its evidence", permission: "specs:read", success: ok(R.finding) },
  {
    method: "post",
    path: "/findings/{id}/fix",
    operation: proposeFindingFix,
    body: proposeFixBody,
    success: { 201: { description: "Proposed: the change's number and what the fix changed" } },
    errors: {
      404: "No such finding",
      409: "The file changed since the finding was computed (or since contentHash), or the finding is resolved",
      422: "The finding's rule has no safe fix, or none applies to the file",
    },
  },
  {
    method: "post",
    path: "/findings/recompute",
    operation: recomputeFindings,
    success: { 202: { description: "Queued: every finding is recomputed by the findings worker" } },
  },
  {
    method: "post",
    path: "/findings/status",
    operation: setFindingStatus,
    success: { 200: { description: "How many findings changed (others were not in a state the action applies to)" } },
    errors: { 403: "Dismissing or reopening a duplicate needs duplicates:decide" },
  },
  {
    method: "get",
    path: "/waivers",
    summary: "Break-glass waivers of the gate (active ones by default)",
    permission: "deployments:read",
    query: waiverQuerySchema,
    success: ok(R.waiverList),
  },
  {
    method: "post",
    path: "/waivers",
    operation: createWaiver,
    success: { 201: { description: "Recorded" } },
    errors: { 404: "No such version of the service was recorded" },
  },
  {
    method: "post",
    path: "/waivers/{id}/revoke",
    operation: revokeWaiver,
    body: z.object({}).optional(),
    success: { 200: { description: "Revoked" } },
    errors: { 404: "No such waiver", 409: "The waiver is revoked or expired already" },
  },
  {
    method: "post",
    path: "/checks",
    operation: runCheck,
    maxBodyBytes: 16 * 1_048_576,
    success: { 201: { description: "The verdict per file, stored as a check" } },
    errors: { 404: "No such repository (or none matches the remote URL)" },
  },
  {
    method: "post",
    path: "/checks/contents",
    summary: "Which of these content hashes the server holds: specledger check then sends only the other texts",
    permission: "checks:write",
    body: knownContentsInput,
    success: ok(knownContentsResult),
  },
  {
    method: "get",
    path: "/checks/{id}",
    summary: "A stored check: verdict and per-file answers",
    permission: "repositories:read",
    success: ok(checkResult),
  },
  {
    method: "post",
    path: "/repositories/{id}/check-policy",
    operation: setCheckPolicy,
    success: { 200: { description: "The repository's check policy" } },
  },
  {
    method: "get",
    path: "/repositories/{id}/budgets",
    summary: "A repository's spend budgets",
    permission: "runs:read",
    success: ok(R.budgetList),
    errors: { 404: "No such repository" },
  },
  {
    method: "post",
    path: "/repositories/{id}/budgets",
    operation: setBudget,
    success: { 200: { description: "The budget as set" } },
    errors: { 404: "No such repository, or no such spec in it" },
  },
  {
    method: "post",
    path: "/repositories/{id}/budgets/{budgetId}/delete",
    operation: removeBudget,
    success: { 200: { description: "Removed" } },
    errors: { 404: "No such budget in this repository" },
  },
  {
    method: "post",
    path: "/repositories/{id}/ticket-policy",
    operation: setTicketPolicy,
    success: { 200: { description: "The repository's ticket policy (null when off)" } },
    errors: { 404: "No such repository" },
  },
  {
    method: "post",
    path: "/repositories/{id}/archive",
    operation: archiveRepository,
    success: { 200: { description: "The repository's archived state (unchanged when it already was)" } },
  },
  {
    method: "post",
    path: "/repositories/{id}/source",
    operation: editRepositorySource,
    success: { 202: { description: "The new source, and its import queued" } },
    errors: { 409: "The repository has history, an import is waiting or running, or another repository has this source" },
  },
  {
    method: "post",
    path: "/repositories/{id}/delete",
    operation: deleteRepository,
    success: { 200: { description: "Deleted, with its failed imports" } },
    errors: { 409: "The repository has history (details.blockers says what) or an import is waiting or running" },
  },
  {
    method: "post",
    path: "/repositories/{id}/sync-policy",
    operation: setSyncPolicy,
    success: { 200: { description: "The repository's sync interval and sync state" } },
  },
  {
    method: "post",
    path: "/repositories/{id}/credential",
    operation: setRepositoryCredential,
    success: { 200: { description: "The credential's kind, fingerprint or user name, and when and by whom it was set; never the secret" } },
    errors: { 404: "No such repository", 503: "The server has no SPECLEDGER_SECRET_KEY to seal credentials with" },
  },
  {
    method: "post",
    path: "/repositories/{id}/credential/remove",
    operation: clearRepositoryCredential,
    body: z.object({}).optional(),
    success: { 200: { description: "The credential is removed (credential: null)" } },
    errors: { 404: "No such repository" },
  },
  {
    method: "post",
    path: "/webhooks/github",
    summary: "GitHub webhook deliveries (push, pull_request), authenticated by X-Hub-Signature-256 under the repository's secret",
    permission: "any",
    success: {
      200: { description: "A replayed delivery or a ping: acknowledged, nothing done", schema: acknowledgedOutcome },
      202: { description: "Accepted: an import queued, a pull request recorded, or an event ignored", schema: acceptedOutcome },
    },
    errors: { 401: "The signature does not verify under any repository's secret", 400: "Not JSON", 413: "Over 1 MB", 415: "Not application/json" },
  },
  {
    method: "get",
    path: "/notifications/subscriptions",
    summary: "The notification subscriptions the caller manages (admins: all; maintainers: their teams')",
    permission: "notifications:manage",
    success: ok(z.object({ subscriptions: z.array(subscriptionView) })),
  },
  {
    method: "post",
    path: "/notifications/subscriptions",
    operation: createSubscription,
    success: { 201: { description: "Subscribed; the answer holds the signing secret, shown this once" } },
    errors: { 404: "No such team or repository", 422: "The URL is refused (not https, or a private, loopback, metadata or own address)" },
  },
  {
    method: "get",
    path: "/notifications/subscriptions/{id}",
    summary: "A subscription with its delivery log",
    permission: "notifications:manage",
    success: ok(z.object({ subscription: subscriptionView, deliveries: z.array(deliveryView) })),
    errors: { 404: "No such subscription (or not yours to manage)" },
  },
  {
    method: "post",
    path: "/notifications/subscriptions/{id}",
    operation: updateSubscription,
    body: updateSubscriptionInput.omit({ id: true }),
    success: { 200: { description: "The subscription as changed" } },
    errors: { 404: "No such subscription (or not yours to manage)", 422: "The URL is refused" },
  },
  {
    method: "post",
    path: "/notifications/subscriptions/{id}/delete",
    operation: deleteSubscription,
    body: z.object({}).optional(),
    success: { 200: { description: "Deleted, with its delivery log" } },
    errors: { 404: "No such subscription (or not yours to manage)" },
  },
  {
    method: "post",
    path: "/notifications/subscriptions/{id}/redeliver",
    operation: redeliverNotification,
    body: redeliverInput.omit({ id: true }),
    success: { 202: { description: "Queued: one more attempt with the same webhook-id" } },
    errors: { 404: "No such subscription, or the event was never sent to it" },
  },
  { method: "get", path: "/audit/verify", summary: "Verify the audit log's hash chain", permission: "audit:read", success: ok(R.auditVerification) },
  {
    method: "post",
    path: "/audit/verify",
    summary: "Prove the audit log still extends a saved signed checkpoint (ok: false names a truncated tail, a rewritten event or a head mismatch)",
    permission: "audit:read",
    body: signedCheckpointSchema,
    success: ok(checkpointVerdict),
  },
  {
    method: "get",
    path: "/audit/export",
    summary: "The audit events matching the filters as JSON Lines, oldest first (admins)",
    permission: "audit:read",
    query: auditQuerySchema,
    success: { 200: { description: "One event per line, with its hashes", contentType: "application/jsonl" } },
  },
  {
    method: "get",
    path: "/audit/checkpoint",
    summary: "A signed checkpoint of the audit log",
    permission: "audit:read",
    success: ok(R.auditCheckpoint),
    errors: { 409: "The audit log is broken: nothing is signed", 422: "No signing key is configured" },
  },
];

const schemaOf = (schema: z.ZodType, io: "input" | "output") => {
  // Each embedded schema is part of the document, not a document of its own.
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
};

const ERROR = {
  type: "object",
  required: ["error"],
  additionalProperties: false,
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      additionalProperties: false,
      properties: {
        code: {
          type: "string",
          enum: [
            "bad_request",
            "unauthenticated",
            "forbidden",
            "not_found",
            "conflict",
            "payload_too_large",
            "unsupported_media_type",
            "unprocessable",
            "rate_limited",
            "unavailable",
            "internal",
          ],
        },
        message: { type: "string" },
        issues: {
          type: "array",
          items: { type: "object" },
          description: "What is wrong with the input, one entry per problem (zod issues: path, message, code)",
        },
        details: { type: "object", description: "Facts about the error, e.g. the id of what a conflict is with" },
      },
    },
  },
};

const errorResponse = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

function queryParameters(schema: z.ZodObject) {
  const shape = schemaOf(schema, "input") as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(shape.properties ?? {}).map(([name, s]) => ({ name, in: "query", required: shape.required?.includes(name) ?? false, schema: s }));
}

const PATH_NUMBER = { type: "string", pattern: "^[1-9][0-9]{0,9}$", description: "A whole number from 1 to 2147483647, digits only; anything else is 404" };
const PATH_ID = { type: "string", minLength: 1, description: "An id; one with NUL or unpaired surrogates is 404" };

/** The permission, summary and schemas of a route, its operation's where it has one. */
export function resolveRoute(route: Route) {
  const op = route.operation;
  const permission = route.permission ?? op?.permission;
  if (!permission) throw new Error(`${route.method} ${route.path} declares no permission`);
  return {
    permission,
    summary: route.summary ?? op?.summary ?? "",
    body: route.body ?? op?.input,
    idempotent: route.idempotent ?? op?.idempotent ?? false,
    success: Object.fromEntries(
      Object.entries(route.success).map(([status, answer]) => [status, { ...answer, schema: answer.schema ?? (answer.contentType ? undefined : op?.output) }]),
    ) as Route["success"],
  };
}

function operationObject(route: Route) {
  const { permission, summary, body, idempotent, success } = resolveRoute(route);
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const scope = permission === "any" ? null : SCOPE_FOR[permission];
  const limit = route.maxBodyBytes ?? MAX_BODY_BYTES;
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(success)) {
    const contentType = answer.contentType ?? "application/json";
    responses[status] = {
      description: answer.description,
      content: { [contentType]: { schema: answer.schema ? schemaOf(answer.schema, "output") : { type: "string" } } },
    };
  }
  const errors: Record<number, string> = {
    400:
      "The URL cannot be decoded (malformed %-escapes, NUL)" +
      (body ? ", or the body is not JSON or not UTF-8" : "") +
      (idempotent ? ", or a malformed Idempotency-Key" : ""),
    401: "No session or token, or a bad one",
    403: "The role or the token's scopes do not allow it" + (route.method === "post" ? ", or a session request from another origin" : ""),
    429: "Rate limited (see Retry-After)",
    500: "An error on the server's side (logged; the answer carries no details)",
  };
  if (names.length > 0) errors[404] = "No such resource, or an id that is not one";
  if (body || route.query || route.operation)
    errors[422] = "The request is not valid (issues list what)" + (idempotent ? "; or an Idempotency-Key reused with another body" : "");
  else errors[422] = "A query parameter holds the NUL character";
  if (body) {
    errors[413] = `The body is larger than ${limit.toLocaleString("en")} bytes`;
    errors[415] = "The body is not sent as Content-Type: application/json";
  }
  Object.assign(errors, route.errors);
  for (const [status, description] of Object.entries(errors)) {
    responses[status] = errorResponse(description!, status === "429" ? { "Retry-After": { schema: { type: "integer" } } } : undefined);
  }
  return {
    summary,
    operationId: `${route.method}${route.path.replace(/\{(\w+)\}/g, "By_$1").replace(/[^A-Za-z0-9]+(\w)/g, (_, c: string) => c.toUpperCase())}`,
    ...(scope ? { description: `Permission ${permission}; with a token, scope ${scope} (or admin).` } : {}),
    parameters: [
      ...names.map((name) => ({ name, in: "path", required: true, schema: route.numbers?.includes(name) ? PATH_NUMBER : PATH_ID })),
      ...(route.query ? queryParameters(route.query) : []),
      ...(idempotent ? [{ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,200}$" } }] : []),
    ],
    ...(body
      ? {
          requestBody: {
            required: true,
            description: `JSON, at most ${limit.toLocaleString("en")} bytes.`,
            "x-max-body-bytes": limit,
            content: { "application/json": { schema: schemaOf(body, "input") } },
          },
        }
      : {}),
    responses,
  };
}

export function openApiDocument(serverUrl = "/api/v1") {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    paths[route.path][route.method] = operationObject(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Specledger API",
      version: "1",
      description:
        "The system of record for specifications and agent instruction files. Authenticate with a session cookie or `Authorization: Bearer <token>`. " +
        "Session requests that change state must come from Specledger's own pages (Origin). Text anywhere in a request cannot hold NUL or unpaired surrogates.",
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
