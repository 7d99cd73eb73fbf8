import { impactQuerySchema, versionImpactJson } from "@/lib/deployments";
import { withUser } from "@/lib/http/route";

/** Which runs and deployments this spec version shaped: the run count, the newest `limit` (50) of each. */
export const GET = withUser<{ id: string }>(
  "deployments:read",
  async ({ user, params, query }) =>
    new Response(await versionImpactJson(user, params.id, impactQuerySchema.parse(query)), { headers: { "content-type": "application/json" } }),
);
