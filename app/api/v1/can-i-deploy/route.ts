import { canIDeploy, gateQuerySchema } from "@/lib/deployments/gate";
import { withUser } from "@/lib/http/route";
import { emitGateDenied } from "@/lib/notifications/events";

/** GET ?service=&version=&environment=[&allowUnreviewed=true]: { ok, reasons }; 404 for an unknown version. A "no" is notified (gate.denied). */
export const GET = withUser("deployments:read", async ({ user, query }) => {
  const answer = await canIDeploy(user, gateQuerySchema.parse(query));
  // Emitting queues the delivery and never throws: a receiver cannot change this answer.
  if (!answer.ok) await emitGateDenied(answer, user.email);
  return answer;
});
