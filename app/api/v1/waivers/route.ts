import { listWaivers, waiverQuerySchema } from "@/lib/deployments/waivers";
import { handle, queryOf, withUser } from "@/lib/http/route";
import { createWaiver } from "@/lib/operations/waivers";

/** GET ?service=&environment=[&state=all]: the active waivers (or all), newest first. */
export const GET = withUser("deployments:read", async ({ user, request }) => ({ waivers: await listWaivers(user, waiverQuerySchema.parse(queryOf(request))) }));

/** Records a break-glass waiver (gate:waive, admins). */
export const POST = handle(createWaiver, { status: 201 });
