import { handle } from "@/lib/http/route";
import { deleteSubscription } from "@/lib/operations/notifications";

/** Deletes a subscription and its delivery log. No body. */
export const POST = handle<{ id: string }>(deleteSubscription, { input: ({ params }) => ({ id: params.id }) });
