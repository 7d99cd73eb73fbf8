import { z } from "zod";
import { decideCluster, clusterDecision, decideClusterInput } from "@/lib/findings/duplicates";
import { queueFindingsRecompute } from "@/lib/findings/jobs";
import { findingsConfigSchema, updateFindingsConfig } from "@/lib/findings/settings";
import {
  acceptDrift as accept,
  acceptDriftInput,
  acceptDriftResult,
  findingStatusInput,
  findingStatusResult,
  setFindingStatus as setStatus,
} from "@/lib/findings/triage";
import { proposeFindingFix as proposeFix, proposeFixInput, proposeFixResult } from "@/lib/findings/propose-fix";
import { emitChangeEvent } from "@/lib/notifications/events";
import { operation } from "./operation";

/** Acknowledge, dismiss or reopen findings; a duplicate finding's dismissal decides its cluster (duplicates:decide). */
export const setFindingStatus = operation({
  name: "findings.set-status",
  summary: "Acknowledge, dismiss or reopen findings",
  input: findingStatusInput,
  output: findingStatusResult,
  permission: "reviews:decide",
  run: ({ tx, viewer, input }) => setStatus(tx, viewer, input),
});

/** Re-baselines a stale spec at its repository's head commit: the spec still holds. */
export const acceptDrift = operation({
  name: "findings.accept-drift",
  summary: "Accept a stale spec's drift (its stale check starts from the head commit)",
  input: acceptDriftInput,
  output: acceptDriftResult,
  permission: "reviews:decide",
  run: ({ tx, viewer, input }) => accept(tx, viewer, input),
});

/** Which checks run, the lint rules and thresholds (admins); everything is recomputed after. */
export const updateFindingsSettings = operation({
  name: "findings.update-settings",
  summary: "Change which findings checks run and the lint rules and thresholds",
  input: findingsConfigSchema,
  output: findingsConfigSchema,
  permission: "policies:manage",
  run: ({ tx, viewer, input }) => updateFindingsConfig(tx, input, viewer),
  after: () => [queueFindingsRecompute({})],
});

/**
 * Admins: recompute every finding now (imports and decisions queue their own scopes anyway).
 * The request is audited in its transaction; the recomputation is queued after the commit.
 */
export const recomputeFindings = operation({
  name: "findings.recompute",
  summary: "Recompute every finding now (queued; imports, decisions and an hourly sweep do it anyway)",
  input: z.object({}).strict(),
  output: z.object({ queued: z.literal("all") }),
  permission: "policies:manage",
  // Nothing is read or written but the audit event: no serializable retries needed.
  isolation: "read-committed",
  run: async () => ({ result: { queued: "all" as const }, audit: { action: "findings.recompute_requested", subject: "workspace:findings" } }),
  after: () => [queueFindingsRecompute({})],
});

/** Dismisses or restores a duplicate cluster, or marks its canonical member. */
export const decideDuplicateCluster = operation({
  name: "duplicates.decide",
  summary: "Dismiss or restore a duplicate cluster, or mark its canonical member",
  input: decideClusterInput,
  output: clusterDecision,
  permission: "duplicates:decide",
  // The clusters are computed through the pg client (signatures are bytea, read in bulk).
  client: "pg",
  run: ({ tx, viewer, input }) => decideCluster(tx, viewer, input),
  // The cluster's duplicate finding follows the decision.
  after: () => [queueFindingsRecompute({ workspaceOnly: true })],
});

/** Proposes the safe fix of a lint finding's file (what `lint --fix` writes) as a change for review. */
export const proposeFindingFix = operation({
  name: "findings.propose-fix",
  summary: "Propose the safe fix of a lint finding as a change (409 if the file changed since the finding)",
  input: proposeFixInput,
  output: proposeFixResult,
  permission: "reviews:propose",
  run: ({ tx, viewer, input }) => proposeFix(tx, viewer, input),
  after: ({ result, viewer }) => [emitChangeEvent("change.proposed", result.number, viewer.email)],
});
