import { getRequirement } from "@/lib/requirements/queries";
import { withUser } from "@/lib/http/route";

export const GET = withUser<{ id: string }>("specs:read", async ({ user, params }) => getRequirement(user, params.id));
