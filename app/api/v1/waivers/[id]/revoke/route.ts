import { handle } from "@/lib/http/route";
import { revokeWaiver } from "@/lib/operations/waivers";

/** Revokes an active waiver (gate:waive); 409 when it is revoked or expired already. No body. */
export const POST = handle<{ id: string }>(revokeWaiver, { input: ({ params }) => ({ id: params.id }) });
