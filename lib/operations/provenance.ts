import { emitDeploymentRecorded } from "@/lib/notifications/events";
import { queueFindingsRecompute } from "@/lib/findings/jobs";
import { environmentPolicyInput, setEnvironmentAllowsUnreviewed } from "@/lib/deployments";
import { deploymentSchema, recordDeployment as record, recordedDeployment } from "@/lib/deployments/record";
import { checkBudgetsForRuns } from "@/lib/runs/budgets";
import { batchResult, batchSchema, batchSummary, reportedRun, reportRuns, runSchema } from "@/lib/runs";
import { z } from "zod";
import { operation } from "./operation";

/** Reports one agent run; a retry with the same externalId answers the first record (created: false). */
export const reportRun = operation({
  name: "runs.report",
  summary: "Report an agent run (200 when already reported)",
  input: runSchema,
  output: reportedRun,
  permission: "runs:write",
  client: "pg",
  idempotent: true,
  singleStatement: true,
  run: async ({ tx, viewer, input }) => {
    const { runs, budgeted } = await reportRuns(tx, viewer, [input]);
    return { result: runs[0], facts: { budgeted } };
  },
  // Budget warnings (80%) for the specs the run used, when the workspace has any budget; a replay adds no spend.
  after: ({ result, facts }) => (result.created && facts.budgeted ? [checkBudgetsForRuns([result.id])] : []),
});

/** Reports up to 1,000 runs in one statement. */
export const reportRunBatch = operation({
  name: "runs.report-batch",
  summary: "Report up to 1,000 agent runs",
  input: batchSchema,
  output: batchResult,
  permission: "runs:write",
  client: "pg",
  idempotent: true,
  singleStatement: true,
  run: async ({ tx, viewer, input }) => {
    const { runs, budgeted } = await reportRuns(tx, viewer, input.runs);
    return { result: batchSummary(runs), facts: { budgeted } };
  },
  after: ({ result, facts }) => (facts.budgeted ? [checkBudgetsForRuns(result.runs.filter((r) => r.created).map((r) => r.id))] : []),
});

/** Records a deployment and what shaped it; replaces what was live there unless alongside. */
export const recordDeployment = operation({
  name: "deployments.record",
  summary: "Record a deployment",
  input: deploymentSchema,
  output: recordedDeployment,
  permission: "deployments:write",
  client: "pg",
  idempotent: true,
  run: ({ tx, viewer, input }) => record(tx, viewer, input),
  // Deployed-stale findings depend on what is live.
  after: ({ result, viewer, input }) => [queueFindingsRecompute({ workspaceOnly: true }), emitDeploymentRecorded(result, input.repository, viewer.email)],
});

/** Lets unreviewed spec versions through can-i-deploy to one environment, or stops letting them (admins). */
export const setEnvironmentPolicy = operation({
  name: "environments.set-policy",
  summary: "Let unreviewed spec versions through to an environment",
  input: environmentPolicyInput,
  output: z.object({ id: z.string(), name: z.string(), allowUnreviewed: z.boolean() }),
  permission: "policies:manage",
  run: ({ tx, input }) => setEnvironmentAllowsUnreviewed(tx, input),
});
