import { canIDeploy, gateQuerySchema } from "@/lib/deployments/gate";
import { withUser } from "@/lib/http/route";

/** GET ?service=&version=&environment=[&allowUnreviewed=true]: { ok, reasons }; 404 for an unknown version. */
export const GET = withUser("deployments:read", async ({ user, query }) => canIDeploy(user, gateQuerySchema.parse(query)));
