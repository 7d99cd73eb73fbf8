import { withUser } from "@/lib/http/route";
import { getFindingOrThrow, publicFinding } from "@/lib/findings/store";

export const GET = withUser<{ id: string }>("specs:read", async ({ user, params }) => publicFinding(await getFindingOrThrow(user, params.id)));
