import { getInbox } from "@/lib/inbox";
import { withUser } from "@/lib/http/route";

/** The caller's inbox: changes waiting for their review, news on their own changes, open findings on specs they own. */
export const GET = withUser("reviews:read", ({ user }) => getInbox(user));
