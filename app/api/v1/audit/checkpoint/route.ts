import { exportAuditCheckpoint } from "@/lib/audit";
import { withUser } from "@/lib/http/route";

/** A signed checkpoint (chain length and head hash) to keep outside Specledger. */
export const GET = withUser("audit:read", async ({ user }) => exportAuditCheckpoint(user));
