import { withUser } from "@/lib/http/route";
import { getRunOrThrow, publicRun } from "@/lib/runs";

export const GET = withUser<{ id: string }>("runs:read", async ({ user, params }) => publicRun(await getRunOrThrow(user, params.id)));
