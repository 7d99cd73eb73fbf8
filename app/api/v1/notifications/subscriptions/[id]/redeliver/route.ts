import { handle } from "@/lib/http/route";
import { withId } from "@/lib/http/body";
import { redeliverNotification } from "@/lib/operations/notifications";

/** Queues the event `{ eventId }` for this subscription again. */
export const POST = handle<{ id: string }>(redeliverNotification, { status: 202, input: withId });
