import { handle, withUser } from "@/lib/http/route";
import { reportRun } from "@/lib/operations/provenance";
import { listRuns, runsQuerySchema } from "@/lib/runs";

export const GET = withUser("runs:read", async ({ user, query }) => {
  const { runs, total, page, pageSize } = await listRuns(user, runsQuerySchema.parse(query));
  return {
    total,
    page,
    pageSize,
    runs: runs.map((r) => ({
      id: r.id,
      externalId: r.externalId,
      agent: r.agent,
      model: r.model,
      repository: r.repositoryName,
      commit: r.commitSha,
      outcome: r.outcome,
      refs: r._count.refs,
      createdAt: r.createdAt,
    })),
  };
});

/** Reports a run: 201 when new, 200 when you reported this externalId with the same payload before (its first record), 409 when the payload differs. */
export const POST = handle(reportRun, { status: (run) => (run.created ? 201 : 200) });
