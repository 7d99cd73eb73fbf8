import { withUser } from "@/lib/http/route";
import { getLastGreen } from "@/lib/runs/green";

/** The newest version whose runs succeeded (the workspace's policy), against the live one; `version: null` with a reason when none. {id} may be <repository>:<path>. */
export const GET = withUser<{ id: string }>("runs:read", async ({ user, params }) => getLastGreen(user, params.id));
