import { verifyAuditLogAgainstCheckpointAs, verifyAuditLogAs } from "@/lib/audit";
import { readJson, withUser } from "@/lib/http/route";

/** The whole chain: intact, or its first broken event. */
export const GET = withUser("audit:read", async ({ user }) => verifyAuditLogAs(user));

/** Whether the log still extends a saved checkpoint (the body); `ok: false` names why not. */
export const POST = withUser("audit:read", async ({ request, user }) => verifyAuditLogAgainstCheckpointAs(user, await readJson(request)));
