import { z } from "zod";
import { contractClassificationView } from "@/lib/contracts";

// What the read endpoints answer, as zod schemas for the OpenAPI document (writes answer their
// operation's output schema, lib/operations/*). Objects whose shape other work is still
// extending (imports, findings, runs, deployments, the deploy gate) are "loose": the fields
// listed are always there with these types, and clients must ignore fields they do not know.
// The contract test (lib/testing/api-contract.ts) checks every answer the integration tests
// see against these.

/** A time as JSON.stringify writes a Date: ISO 8601 in UTC. */
const at = z.iso.datetime().describe("ISO 8601, UTC");
const id = z.string();
const sha = z.string().describe("A git commit id");
const hash = z.string().describe("SHA-256 of the content, hex");

const repositoryRef = z.object({ id, name: z.string() });

export const repository = z.looseObject({
  id,
  name: z.string(),
  source: z.string(),
  defaultBranch: z.string().nullable(),
  headCommit: z.string().nullable(),
  status: z.string(),
  lastError: z.string().nullable(),
  lastImportAt: at.nullable(),
  archivedAt: at.nullable().describe("When it was archived; null when active."),
  createdAt: at,
});

export const importRecord = z.looseObject({
  id,
  repositoryId: id,
  requestedById: id.nullable(),
  status: z.string(),
  phase: z.string(),
  progressDone: z.number().int(),
  progressTotal: z.number().int(),
  fromCommit: z.string().nullable(),
  toCommit: z.string().nullable(),
  error: z.string().nullable(),
  warning: z.string().nullable(),
  createdAt: at,
  updatedAt: at,
  startedAt: at.nullable(),
  finishedAt: at.nullable(),
});

export const repositoryList = z.object({ repositories: z.array(repository.extend({ liveSpecs: z.number().int(), versions: z.number().int() })) });
export const repositoryDetail = z.object({
  repository: repository.extend({
    liveSpecs: z.number().int(),
    versions: z.number().int(),
    imports: z.array(importRecord),
    skipped: z.array(z.looseObject({ path: z.string(), blobId: z.string(), commitSha: sha, reason: z.string(), detail: z.string() })),
  }),
});
export const importList = z.object({ imports: z.array(importRecord) });

const owners = z.array(z.string());

export const specList = z.object({
  specs: z.array(
    z.object({
      id,
      path: z.string(),
      kind: z.string(),
      deleted: z.boolean(),
      repository: repositoryRef,
      feature: z.object({ id, name: z.string() }).nullable(),
      currentHash: hash.nullable(),
      versionCount: z.number().int(),
      owners,
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const specDetail = z.object({
  id,
  path: z.string(),
  kind: z.string(),
  deleted: z.boolean(),
  deletedInCommit: sha.nullable(),
  repository: repositoryRef.extend({ defaultBranch: z.string().nullable() }),
  feature: z.object({ id, key: z.string(), name: z.string() }).nullable(),
  currentHash: hash.nullable(),
  versions: z.array(
    z.object({
      id,
      seq: z.number().int(),
      contentHash: hash,
      blobId: z.string(),
      path: z.string(),
      isSymlink: z.boolean(),
      commitSha: sha,
      authorName: z.string(),
      authorEmail: z.string(),
      committedAt: at,
      subject: z.string().nullable().describe("The commit message's subject line; null when the server cannot read the repository's git data."),
      content: z.object({ size: z.number().int() }),
    }),
  ),
});

export const versionText = z.object({
  id,
  seq: z.number().int(),
  path: z.string(),
  commitSha: sha,
  committedAt: at,
  isSymlink: z.boolean(),
  contentHash: hash,
  text: z.string(),
});

export const specDiff = z.object({
  from: z.object({ seq: z.number().int(), commitSha: sha }),
  to: z.object({ seq: z.number().int(), commitSha: sha }),
  diff: z.looseObject({ status: z.string() }),
  /** For a machine-readable contract: its changes classified as breaking or not; null for other files. */
  contract: contractClassificationView.nullable(),
});

const changeState = z.enum(["proposed", "approved", "rejected", "unreviewed", "superseded"]);

export const changeList = z.object({
  total: z.number().int(),
  changes: z.array(
    z.object({
      number: z.number().int(),
      title: z.string(),
      origin: z.enum(["proposal", "import"]),
      state: changeState,
      currentHash: hash,
      spec: z.object({ id, path: z.string(), repository: repositoryRef, owners }),
      author: z.string().nullable(),
      createdAt: at,
    }),
  ),
});

const versionRef = z.looseObject({ id, seq: z.number().int(), commitSha: sha, committedAt: at, authorEmail: z.string() });

export const changeDetail = z.object({
  number: z.number().int(),
  title: z.string(),
  description: z.string(),
  origin: z.enum(["proposal", "import"]),
  state: changeState,
  spec: z.object({ id, path: z.string(), repository: repositoryRef, owners }),
  author: z.object({ id, email: z.string(), name: z.string() }).nullable(),
  baseHash: hash.nullable(),
  currentHash: hash,
  content: z.string(),
  version: versionRef.nullable(),
  authorVerification: z
    .object({ verified: z.boolean(), title: z.string() })
    .nullable()
    .describe("For an imported version: whether a trusted signature vouches for who made it (decision 014); null for a proposal"),
  landedVersion: versionRef.nullable(),
  policy: z
    .object({
      requiredApprovals: z.number().int(),
      requireOwnerApproval: z.boolean(),
      blockOnChangesRequested: z.boolean(),
      breakingOwnerApprovals: z.number().int(),
    })
    .describe("The review policy that applies: approvals needed, owner approval, blocking requests"),
  requirements: z
    .array(
      z.object({
        key: z.enum(["approvals", "owner", "breaking-owners", "no-changes-requested"]),
        label: z.string(),
        met: z.boolean(),
        detail: z.string(),
      }),
    )
    .describe("Each requirement of the policy and whether it is met"),
  revisions: z.array(z.object({ number: z.number().int(), contentHash: hash, author: z.string(), createdAt: at })),
  decisions: z.array(
    z.object({ kind: z.string(), reviewer: z.string(), contentHash: hash.nullable(), revision: z.number().int().nullable(), body: z.string(), createdAt: at }),
  ),
  createdAt: at,
  updatedAt: at,
});

export const decisionRecorded = z.object({ state: z.string(), change: changeDetail });

const reviewedVersion = z.looseObject({
  id,
  specId: id,
  repository: z.string(),
  path: z.string(),
  seq: z.number().int(),
  commit: sha,
  contentHash: hash,
  reviewState: z.string(),
  change: z.number().int().nullable(),
  current: z.boolean(),
});

const reference = z.union([
  z.object({ contentHash: hash }),
  z.object({ repository: z.string().nullable(), path: z.string().nullable(), commit: sha.nullable() }),
]);
const resolvedRef = z.looseObject({ reference, resolved: z.boolean(), version: reviewedVersion.nullable() });

export const runList = z.object({
  total: z.number().int().describe("Runs matching the filters, on every page."),
  page: z.number().int(),
  pageSize: z.number().int(),
  runs: z.array(
    z.looseObject({
      id,
      externalId: z.string(),
      agent: z.string(),
      model: z.string().nullable(),
      repository: z.string().nullable(),
      commit: sha.nullable(),
      outcome: z.string(),
      refs: z.number().int(),
      createdAt: at,
    }),
  ),
});

export const runDetail = z.looseObject({
  id,
  externalId: z.string(),
  agent: z.string(),
  model: z.string().nullable(),
  repository: z.string().nullable(),
  commit: sha.nullable(),
  branch: z.string().nullable(),
  startedAt: at.nullable(),
  finishedAt: at.nullable(),
  inputTokens: z.number().int().nullable(),
  outputTokens: z.number().int().nullable(),
  costUsd: z.number().nullable(),
  outcome: z.string(),
  links: z.array(z.object({ label: z.string(), url: z.string() })),
  reportedBy: z.string(),
  createdAt: at,
  refs: z.array(resolvedRef.extend({ kind: z.string() })),
  deployments: z.array(z.looseObject({ id, service: z.string(), version: z.string(), environment: z.string(), live: z.boolean() })),
});

export const deploymentList = z.object({
  deployments: z.array(
    z.looseObject({
      id,
      service: z.string(),
      environment: z.string(),
      version: z.string(),
      commit: sha.nullable(),
      deployedAt: at,
      live: z.boolean(),
      runs: z.number().int(),
      specRefs: z.number().int(),
    }),
  ),
});

export const deploymentDetail = z.looseObject({
  id,
  service: z.string(),
  environment: z.string(),
  version: z.string(),
  commit: sha.nullable(),
  repository: z.string().nullable(),
  deployedAt: at,
  undeployedAt: at.nullable(),
  live: z.boolean(),
  alongside: z.boolean(),
  recordedBy: z.string(),
  direct: z.array(resolvedRef),
  baseline: z.array(resolvedRef),
  runs: z.array(
    z.looseObject({
      id,
      externalId: z.string(),
      agent: z.string(),
      model: z.string().nullable(),
      outcome: z.string(),
      refs: z.array(resolvedRef.extend({ kind: z.string() })),
    }),
  ),
});

export const environmentList = z.object({
  environments: z.array(
    z.looseObject({
      name: z.string(),
      allowUnreviewed: z.boolean(),
      live: z.array(z.looseObject({ id, service: z.string(), version: z.string(), deployedAt: at, alongside: z.boolean() })),
    }),
  ),
});

export const versionImpact = z.looseObject({
  version: reviewedVersion,
  runCount: z.number().int(),
  runs: z.array(
    z.looseObject({ id, externalId: z.string(), agent: z.string(), model: z.string().nullable(), outcome: z.string(), createdAt: at, as: z.string() }),
  ),
  deployments: z.array(
    z.looseObject({ id, service: z.string(), version: z.string(), environment: z.string(), deployedAt: at, live: z.boolean(), how: z.string() }),
  ),
});

export const gateAnswer = z.looseObject({
  ok: z.boolean(),
  service: z.string(),
  version: z.string(),
  environment: z.string(),
  reasons: z.array(z.looseObject({ code: z.string(), message: z.string() })),
});

export const finding = z.looseObject({
  id,
  type: z.string(),
  rule: z.string().nullable(),
  severity: z.enum(["error", "warning", "info"]),
  status: z.enum(["open", "acknowledged", "resolved", "dismissed"]),
  repository: z.string().nullable(),
  spec: z.object({ id, path: z.string(), kind: z.string(), owners }).nullable(),
  line: z.number().int().nullable(),
  message: z.string(),
  suggestion: z.string().nullable(),
  evidence: z.unknown().describe("What the finding rests on; its shape depends on the type"),
  firstSeenAt: at,
  lastSeenAt: at,
  resolvedAt: at.nullable(),
});

export const findingList = z.object({ findings: z.array(finding), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export const findingStatusChanged = z.object({
  changed: z.number().int().describe("How many findings changed state (others were not in a state the action applies to)"),
});

const inboxChange = z.object({
  number: z.number().int(),
  title: z.string(),
  state: changeState,
  origin: z.enum(["proposal", "import"]),
  spec: z.object({ id, path: z.string() }),
  repository: z.string().describe("The repository's name"),
  createdAt: at,
});
export const inbox = z.object({
  counts: z.object({
    review: z.number().int().describe("Changes waiting for the caller's review"),
    updates: z.number().int().describe("The caller's changes with decisions they have not seen"),
    findings: z.number().int().describe("Open findings on specs the caller owns"),
    total: z.number().int(),
  }),
  review: z.array(inboxChange).describe("Oldest first; at most 50"),
  updates: z
    .array(
      inboxChange.extend({
        newDecisions: z.number().int(),
        latestKind: z.string(),
        latestBy: z.string(),
        latestAt: at,
      }),
    )
    .describe("Newest news first; at most 50. Opening the change in the app marks it seen"),
  findings: z
    .array(
      z.looseObject({
        id,
        type: z.string(),
        rule: z.string(),
        severity: z.enum(["error", "warning", "info"]),
        message: z.string(),
        spec: z.object({ id, path: z.string() }),
        repository: z.string(),
        firstSeenAt: at,
      }),
    )
    .describe("Most severe first; at most 50"),
});

export const me = z.object({
  id,
  email: z.string(),
  name: z.string(),
  role: z.enum(["admin", "maintainer", "reviewer", "viewer"]),
  scopes: z.array(z.string()).nullable().describe("The token's scopes; null for a session"),
});

export const auditVerification = z.union([
  z.object({ ok: z.literal(true), length: z.number().int(), head: z.string() }),
  z.object({ ok: z.literal(false), length: z.number().int(), brokenAt: z.number().int(), reason: z.string() }),
]);

export const auditCheckpoint = z.object({
  checkpoint: z.object({ length: z.number().int(), head: z.string(), verifiedAt: at }),
  algorithm: z.literal("Ed25519"),
  signature: z.string(),
  publicKey: z.string(),
});

export const waiverList = z.object({
  waivers: z.array(
    z.looseObject({ id, service: z.string(), version: z.string(), environment: z.string(), reason: z.string(), expiresAt: at, revokedAt: at.nullable() }),
  ),
});

const requirementStatus = z
  .enum(["verified", "unverified", "suspect"])
  .describe("unverified: no test names it; suspect: changed after every linked test last changed");
const requirementSummary = z.object({
  count: z.number().int(),
  withTest: z.number().int(),
  suspect: z.number().int(),
  shareWithTest: z.number(),
  shareSuspect: z.number(),
});
export const specRequirementList = z.object({
  spec: z.object({ id, path: z.string() }),
  summary: requirementSummary,
  requirements: z.array(
    z.object({
      id,
      key: z.string().nullable().describe("FR-001, REQ-12, R1 (Kiro Requirement 1), R1.2 (a criterion); null for an EARS sentence without one"),
      explicit: z.boolean(),
      text: z.string(),
      line: z.number().int(),
      confidence: z.number().describe("How sure the match to its predecessor was: 1 by id or same text, else the text similarity"),
      addedSeq: z.number().int(),
      changedSeq: z.number().int(),
      changedAt: at,
      tests: z.number().int().describe("Tests linked: grep-found mentions and explicit [@test path] links that exist"),
      missingTests: z.number().int().describe("Explicit [@test path] links whose path did not exist at the version that wrote them"),
      status: requirementStatus,
    }),
  ),
});
export const requirementDetail = z.object({
  id,
  key: z.string().nullable(),
  explicit: z.boolean(),
  text: z.string(),
  line: z.number().int(),
  confidence: z.number(),
  removed: z.boolean(),
  addedSeq: z.number().int(),
  changedSeq: z.number().int(),
  changedAt: at,
  removedSeq: z.number().int().nullable(),
  status: requirementStatus,
  spec: z.object({ id, path: z.string(), repository: repositoryRef }),
  history: z.array(
    z.object({
      seq: z.number().int(),
      commitSha: sha,
      committedAt: at,
      event: z.enum(["added", "changed", "removed"]),
      key: z.string().nullable(),
      text: z.string(),
      line: z.number().int(),
      confidence: z.number(),
    }),
  ),
  links: z.array(
    z.object({
      path: z.string(),
      line: z.number().int().nullable().describe("The test file's line; null for an explicit link"),
      how: z
        .enum(["explicit", "annotation", "mention"])
        .describe("explicit: [@test path] written in the spec; annotation: @req in the test; mention: any other line naming the id"),
      testCommit: sha.nullable(),
      testChangedAt: at.nullable(),
      suspect: z.boolean(),
      missing: z.boolean().describe("An explicit link whose path did not exist at the commit of the version that wrote it"),
    }),
  ),
});

/** GET /repositories/{id}/instructions: what one agent loads in one directory (lib/instructions/resolve.ts). */
const instructionCut = z.object({
  offset: z.number().int(),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  lostBytes: z.number().int(),
  lostChars: z.number().int().nullable(),
  lostHeadings: z.array(z.string()),
  lostPreview: z.string(),
});
export const effectiveInstructions = z.object({
  agent: z.object({ id: z.string(), name: z.string(), precedence: z.string(), notes: z.array(z.string()), docs: z.array(z.string()) }),
  directory: z.string(),
  headCommit: z.string(),
  entries: z.array(
    z.object({
      order: z.number().int(),
      path: z.string(),
      kind: z.string().nullable(),
      source: z.string(),
      reason: z.string(),
      status: z.enum(["loaded", "may-load", "truncated", "dropped", "unreadable"]),
      importedBy: z.string().nullable(),
      depth: z.number().int(),
      bytes: z.number().int(),
      chars: z.number().int().nullable(),
      loadedBytes: z.number().int(),
      cut: instructionCut.nullable(),
    }),
  ),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  problems: z.array(z.object({ code: z.string(), path: z.string(), line: z.number().int().nullable(), message: z.string() })),
  budget: z
    .object({
      unit: z.enum(["bytes", "chars"]),
      total: z.number().int().nullable(),
      perFile: z.number().int().nullable(),
      description: z.string(),
      used: z.number().int(),
      over: z.boolean(),
    })
    .nullable(),
  totals: z.object({ files: z.number().int(), bytes: z.number().int(), chars: z.number().int(), loadedBytes: z.number().int(), tokens: z.number().int() }),
});

const checkout = z.object({ show: z.string(), restore: z.string() });
export const lastGreen = z.object({
  spec: z.object({ id, path: z.string(), deleted: z.boolean(), repository: repositoryRef }),
  policy: z.object({ minSucceeded: z.number().int() }),
  live: z.object({ seq: z.number().int(), contentHash: hash, commitSha: sha }).nullable(),
  version: z
    .object({
      seq: z.number().int(),
      contentHash: hash,
      commitSha: sha,
      path: z.string(),
      succeeded: z.number().int(),
      lastSucceededAt: z.string(),
      checkout: checkout.describe("Commands that bring the version's file back, run in a clone of the repository"),
    })
    .nullable(),
  versionsBehind: z.number().int().nullable().describe("How many versions the live one is past last green"),
  reason: z.string().nullable().describe("Why no version qualifies (null when one does)"),
  summary: z.string().nullable(),
});

const budgetStatus = z.object({
  budgetId: id,
  target: z.string().describe('"spec:<id>" or "glob:<pattern>"'),
  period: z.enum(["day", "week", "month"]),
  unit: z.enum(["usd", "tokens"]),
  limit: z.number(),
  spent: z.number(),
  unpriced: z.number().int().describe("Runs in the period without a cost (usd) or token count (tokens): their spend is unknown, so the answer is no"),
  level: z.enum(["ok", "warning", "exceeded"]),
  periodStart: z.string(),
  resetsAt: z.string(),
  message: z.string(),
});
export const canIRunAnswer = z.object({
  ok: z.boolean(),
  spec: z.object({ id, path: z.string(), repository: repositoryRef }),
  summary: z.string(),
  reasons: z.array(z.object({ code: z.enum(["budget_exceeded", "budget_unknown_spend"]), message: z.string(), budgetId: id })),
  budgets: z.array(budgetStatus),
});
export const budgetList = z.object({
  budgets: z.array(
    z.object({
      id,
      repositoryId: id,
      specId: id.nullable(),
      glob: z.string().nullable(),
      period: z.enum(["day", "week", "month"]),
      unit: z.enum(["usd", "tokens"]),
      amount: z.number(),
      createdAt: z.string(),
    }),
  ),
});
