import { deploymentsQuerySchema, listDeployments } from "@/lib/deployments";
import { handle, withUser } from "@/lib/http/route";
import { recordDeployment } from "@/lib/operations/provenance";

export const GET = withUser("deployments:read", async ({ user, query }) => {
  const deployments = await listDeployments(user, deploymentsQuerySchema.parse(query));
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
export const POST = handle(recordDeployment, { status: 201 });
