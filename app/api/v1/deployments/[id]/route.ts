import { getDeploymentProvenance } from "@/lib/deployments";
import { withUser } from "@/lib/http/route";

/** Which spec versions shaped this deployment: directly, through its runs, through its commit. */
export const GET = withUser<{ id: string }>("deployments:read", async ({ user, params }) => getDeploymentProvenance(user, params.id));
