import { handle, withUser } from "@/lib/http/route";
import { withId } from "@/lib/http/body";
import { getSubscriptionWithDeliveries } from "@/lib/notifications/subscriptions";
import { updateSubscription } from "@/lib/operations/notifications";

/** A subscription with its delivery log (the latest 100 attempts). */
export const GET = withUser<{ id: string }>("notifications:manage", ({ user, params }) => getSubscriptionWithDeliveries(user, params.id));

/** Changes a subscription's URL, events, format, filters or enabled state. */
export const POST = handle<{ id: string }>(updateSubscription, { input: withId });
