import { z } from "zod";
import { queueDeliveries } from "@/lib/notifications/emit";
import {
  createdSubscription,
  createSubscription as create,
  createSubscriptionInput,
  deleteSubscription as remove,
  redeliver as checkRedelivery,
  redeliverInput,
  subscriptionIdInput,
  subscriptionView,
  updateSubscription as update,
  updateSubscriptionInput,
} from "@/lib/notifications/subscriptions";
import { operation } from "./operation";

/** Subscribes a URL to events (admins for the workspace, maintainers for their team); the signing secret is in this answer only. */
export const createSubscription = operation({
  name: "notifications.create-subscription",
  summary: "Subscribe a URL to notifications (the signing secret is shown once)",
  input: createSubscriptionInput,
  output: createdSubscription,
  permission: "notifications:manage",
  run: ({ tx, viewer, input }) => create(tx, viewer, input),
});

/** Changes a subscription: URL, events, format, filters, or disables it. */
export const updateSubscription = operation({
  name: "notifications.update-subscription",
  summary: "Change or disable a notification subscription",
  input: updateSubscriptionInput,
  output: subscriptionView,
  permission: "notifications:manage",
  run: ({ tx, viewer, input }) => update(tx, viewer, input),
});

/** Deletes a subscription with its delivery log. */
export const deleteSubscription = operation({
  name: "notifications.delete-subscription",
  summary: "Delete a notification subscription",
  input: subscriptionIdInput,
  output: z.object({ id: z.string(), deleted: z.literal(true) }),
  permission: "notifications:manage",
  run: ({ tx, viewer, input }) => remove(tx, viewer, input),
});

/** Sends an event to a subscription again, with the same webhook-id (receivers dedupe on it). */
export const redeliverNotification = operation({
  name: "notifications.redeliver",
  summary: "Send a notification to a subscription again",
  input: redeliverInput,
  output: z.object({ subscriptionId: z.string(), eventId: z.string(), queued: z.literal(true) }),
  permission: "notifications:manage",
  run: ({ tx, viewer, input }) => checkRedelivery(tx, viewer, input),
  after: ({ result }) => [queueDeliveries(result.eventId, [result.subscriptionId])],
});
