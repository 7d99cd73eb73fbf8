import { getDeploymentProvenanceJson } from "@/lib/deployments";
import { withUser } from "@/lib/http/route";

/** Which spec versions shaped this deployment: directly, through its runs, through its commit. */
export const GET = withUser<{ id: string }>(
  "deployments:read",
  async ({ user, params }) => new Response(await getDeploymentProvenanceJson(user, params.id), { headers: { "content-type": "application/json" } }),
);
