import { NextResponse } from "next/server";
import { deploymentSchema, listDeployments, recordDeployment } from "@/lib/deployments";
import { queueFindingsRecompute } from "@/lib/findings/jobs";
import { idempotencyKeyOf, requestFingerprint } from "@/lib/http/idempotency";
import { readJson, withUser } from "@/lib/http/route";

export const GET = withUser("deployments:read", async ({ user, request }) => {
  const params = request.nextUrl.searchParams;
  const deployments = await listDeployments(user, { service: params.get("service") ?? undefined, environment: params.get("environment") ?? undefined });
  return {
    deployments: deployments.map((d) => ({
      id: d.id,
      service: d.service,
      environment: d.environment.name,
      version: d.version,
      commit: d.commitSha,
      deployedAt: d.deployedAt,
      live: d.undeployedAt === null,
      runs: d._count.runs,
      specRefs: d._count.refs,
    })),
  };
});

/** Records a deployment; what was live for the service there is marked undeployed unless `alongside`. */
export const POST = withUser("deployments:write", async ({ request, user }) => {
  const key = idempotencyKeyOf(request);
  const raw = await readJson(request);
  const input = deploymentSchema.parse(raw);
  const result = await recordDeployment({ viewer: user, input, idempotencyKey: key, fingerprint: requestFingerprint(raw) });
  if (result.status === 201) await queueFindingsRecompute({ workspaceOnly: true });
  return NextResponse.json(result.body, { status: result.status });
});
