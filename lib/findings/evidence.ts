import { z } from "zod";
import type { FindingType } from "./types";

// What each finding type stores as evidence: one schema per type, joined in a union keyed by
// the type. The store validates every draft against it before writing, and every read parses
// it, so pages and the API get typed evidence (or know it is in an older format) without casts.
// Objects are not strict: a field added later does not make rows written before it unreadable.

const count = () => z.number().int().min(0);

const instruction = z.object({ text: z.string(), line: z.number().int() });

export const unreviewedEvidence = z.object({
  path: z.string(),
  approvedSeq: z.number().int(),
  approvedVersionId: z.string(),
  currentSeq: z.number().int(),
  currentVersionId: z.string(),
  diffHref: z.string(),
});

export const staleCommit = z.object({
  sha: z.string(),
  author: z.string(),
  date: z.string(),
  subject: z.string(),
  added: count(),
  deleted: count(),
  files: count(),
});

export const staleEvidence = z.object({
  path: z.string(),
  baseline: z.string(),
  baselineSource: z.enum(["accepted drift", "last approved version", "last version"]),
  head: z.string(),
  /** Where the governed paths came from: front matter, tasks and design, or the feature folder. */
  governedBy: z.string(),
  governs: z.array(z.string()),
  commitCount: count(),
  /** Lines the listed commits added and deleted: all of them when they are all listed, else the newest listed (lines are counted only for what is shown). */
  added: count(),
  deleted: count(),
  /** The newest commits (at most 20 since stop 22, 50 before); commitCount counts them all. */
  commits: z.array(staleCommit),
});

export const brokenReferenceEvidence = z.object({
  path: z.string(),
  /** The text as written in the file: what the check matched. */
  reference: z.string(),
  resolved: z.string(),
  via: z.enum(["code", "link", "text"]),
  line: z.number().int(),
  head: z.string(),
  /** Why it counts as broken (what was tried). Absent on findings stored before decision 028. */
  reason: z.string().optional(),
});

const agentFile = z.object({ specId: z.string(), path: z.string() });

export const competingEvidence = z.object({
  a: agentFile,
  b: agentFile,
  conflicts: z.array(z.object({ topic: z.string(), a: instruction, b: instruction })),
  onlyInA: z.array(instruction),
  onlyInB: z.array(instruction),
});

/** What one agent loads in one directory went wrong (lib/instructions/resolve.ts problems, or files loading together that contradict). */
export const effectiveEvidence = z.object({
  agent: z.string(),
  /** The directories where the agent meets it ("" is the root); at most 20 are listed. */
  directories: z.array(z.string()),
  code: z.string(),
  path: z.string(),
  line: z.number().int().nullable(),
  /** For contradictions: the other file and the conflicting instructions. */
  other: agentFile.optional(),
  conflicts: z.array(z.object({ topic: z.string(), a: instruction, b: instruction })).optional(),
});

export const deployedStaleEvidence = z.object({
  deploymentId: z.string(),
  service: z.string(),
  version: z.string(),
  environment: z.string(),
  path: z.string(),
  repository: z.string(),
  deployedSeq: z.number().int(),
  approvedSeq: z.number().int(),
  diffHref: z.string(),
  deploymentHref: z.string(),
});

export const duplicateEvidence = z.object({
  clusterKey: z.string(),
  kind: z.enum(["exact", "near"]),
  similarity: z.number().min(0).max(1),
  members: z.array(z.object({ specId: z.string(), repository: z.string(), path: z.string(), owners: z.array(z.string()) })).min(2),
  canonicalSpecId: z.string().nullable(),
  compareHref: z.string(),
});

/** A lint rule's own figures beside the line (a count and its limit, the words matched, an EARS parse error). */
export const lintDetail = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

export const lintEvidence = z
  .object({
    path: z.string(),
    line: z.number().int().nullable(),
    /** The offending line, or the rule's own text (the criterion an EARS rule could not parse). */
    text: z.string().nullable(),
    /** What made the rule fire: the words matched, or the figure over the limit. Absent on findings stored before decision 028. */
    matched: z.string().optional(),
    /** The rule's reason, as its description states it. Absent on findings stored before decision 028. */
    reason: z.string().optional(),
    /** The version the rule read (its content hash): "Propose fix" fixes exactly these bytes. Absent on findings stored before decision 046. */
    contentHash: z.string().optional(),
  })
  .catchall(lintDetail);

/** A live requirement that no test names and no existing [@test path] link backs (lib/findings/checks/oracle.ts). */
export const requirementOracleEvidence = z.object({
  path: z.string(),
  requirementId: z.string(),
  key: z.string().nullable(),
  text: z.string(),
  /** Its [@test path] links whose path did not exist. */
  missingTests: z.array(z.string()),
});

/** A spec's spend reached 80% of a budget in a period (lib/runs/budgets.ts). */
export const budgetEvidence = z.object({
  budgetId: z.string(),
  period: z.enum(["day", "week", "month"]),
  unit: z.enum(["usd", "tokens"]),
  limit: z.number(),
  spent: z.number(),
  periodStart: z.string(),
  target: z.string(),
});

export const findingEvidence = z.discriminatedUnion("type", [
  z.object({ type: z.literal("unreviewed"), evidence: unreviewedEvidence }),
  z.object({ type: z.literal("stale"), evidence: staleEvidence }),
  z.object({ type: z.literal("broken-reference"), evidence: brokenReferenceEvidence }),
  z.object({ type: z.literal("competing-instructions"), evidence: competingEvidence }),
  z.object({ type: z.literal("effective-instructions"), evidence: effectiveEvidence }),
  z.object({ type: z.literal("requirement-oracle"), evidence: requirementOracleEvidence }),
  z.object({ type: z.literal("deployed-stale"), evidence: deployedStaleEvidence }),
  z.object({ type: z.literal("duplicate"), evidence: duplicateEvidence }),
  z.object({ type: z.literal("lint"), evidence: lintEvidence }),
  z.object({ type: z.literal("budget"), evidence: budgetEvidence }),
]);

/** A finding's type with its evidence, narrowed together by `type`. */
export type TypedEvidence = z.infer<typeof findingEvidence>;
export type EvidenceOf<T extends FindingType> = Extract<TypedEvidence, { type: T }>["evidence"];

export const EVIDENCE_TYPES: readonly TypedEvidence["type"][] = findingEvidence.options.map((o) => o.shape.type.value);

type MissingEvidence = Exclude<FindingType, TypedEvidence["type"]>;
/** Compiles only while every finding type has an evidence schema (the type names the ones missing). */
export const EVERY_TYPE_HAS_EVIDENCE: [MissingEvidence] extends [never] ? true : MissingEvidence = true;

/**
 * Stored evidence as its type's shape, or null when the row does not match it (written by an
 * older version of a check, or edited by hand): callers say so instead of failing.
 */
export function readEvidence(finding: { type: string; evidence: unknown }): TypedEvidence | null {
  const parsed = findingEvidence.safeParse({ type: finding.type, evidence: finding.evidence });
  return parsed.success ? parsed.data : null;
}

/** A check's draft evidence, checked before it is stored: a mismatch is a bug in the check, so it throws. */
export function checkedEvidence(draft: { fingerprint: string; type: string; evidence: unknown }): TypedEvidence["evidence"] {
  const parsed = findingEvidence.safeParse({ type: draft.type, evidence: draft.evidence });
  if (parsed.success) return parsed.data.evidence;
  const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  throw new Error(`The ${draft.type} check produced evidence that does not match its schema (${draft.fingerprint}): ${problems}`);
}
