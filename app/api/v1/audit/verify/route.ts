import { verifyAuditLogAs } from "@/lib/audit";
import { withUser } from "@/lib/http/route";

export const GET = withUser("audit:read", async ({ user }) => verifyAuditLogAs(user));
