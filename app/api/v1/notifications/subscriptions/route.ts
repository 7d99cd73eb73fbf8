import { handle, withUser } from "@/lib/http/route";
import { listSubscriptions } from "@/lib/notifications/subscriptions";
import { createSubscription } from "@/lib/operations/notifications";

/** The notification subscriptions the caller manages (admins: all; maintainers: their teams'). */
export const GET = withUser("notifications:manage", async ({ user }) => ({ subscriptions: await listSubscriptions(user) }));

/** Subscribes a URL to events; 422 when the URL is refused (not https, or a private, loopback or own address). */
export const POST = handle(createSubscription, { status: 201 });
