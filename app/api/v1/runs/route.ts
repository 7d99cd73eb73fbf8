import { NextResponse } from "next/server";
import { idempotencyKeyOf, requestFingerprint } from "@/lib/http/idempotency";
import { readJson, withUser } from "@/lib/http/route";
import { listRuns, reportRuns, runSchema } from "@/lib/runs";

export const GET = withUser("runs:read", async ({ user, request }) => {
  const runs = await listRuns(user, { repositoryId: request.nextUrl.searchParams.get("repositoryId") ?? undefined });
  return {
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

/** Reports one agent run. 201 when recorded, 200 when its externalId (or Idempotency-Key) was seen before. */
export const POST = withUser("runs:write", async ({ request, user }) => {
  const key = idempotencyKeyOf(request);
  const raw = await readJson(request);
  const run = runSchema.parse(raw);
  const result = await reportRuns({ viewer: user, runs: [run], single: true, idempotencyKey: key, fingerprint: requestFingerprint(raw) });
  return NextResponse.json(result.body, { status: result.status });
});
