import { versionImpact } from "@/lib/deployments";
import { withUser } from "@/lib/http/route";

/** Which runs and deployments this spec version shaped. */
export const GET = withUser<{ id: string }>("deployments:read", async ({ user, params }) => versionImpact(user, params.id));
