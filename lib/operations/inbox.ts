import { markChangeSeen as markSeen, markSeenInput, markSeenResult } from "@/lib/inbox";
import { operation } from "./operation";

/** Records how far the viewer has read a change, so their inbox stops calling it new. Not audited: a read marker, not a decision. */
export const markChangeSeen = operation({
  name: "changes.mark-seen",
  summary: "Mark a change's revisions and decisions as seen by the caller",
  input: markSeenInput,
  output: markSeenResult,
  permission: "reviews:read",
  // One upsert whose result never goes backwards: nothing for serializable to protect.
  isolation: "read-committed",
  run: ({ tx, viewer, input }) => markSeen(tx, viewer, input),
});
