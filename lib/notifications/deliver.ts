// Delivering one notification to one subscription, in the worker (docs/decisions/025). Each
// attempt is a row in the delivery log. A failure throws, so pg-boss retries the job with
// exponential backoff; a refused address and a deleted or disabled subscription do not retry.
import { Webhook } from "standardwebhooks";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { getQueue, NOTIFY_QUEUE } from "@/lib/jobs/queue";
import type { AllowList } from "./address";
import type { DeliveryJob } from "./emit";
import { notificationBody, webhookId } from "./format";
import { postWebhook } from "./guard";
import { sealSlackUrls, storedUrl } from "./subscriptions";

export const DELIVERY_TIMEOUT_MS = 10_000;

export interface DeliveryOptions {
  timeoutMs?: number;
  allow?: AllowList;
}

export type DeliveryStatus = "delivered" | "failed" | "timeout" | "refused" | "skipped";

/** Sends the event once; records and returns the attempt ("skipped": nothing to send any more). */
export async function deliverNotification(job: DeliveryJob, options: DeliveryOptions = {}): Promise<{ status: DeliveryStatus; attempt: number }> {
  const [subscription, event] = await Promise.all([
    db.notificationSubscription.findUnique({
      where: { id: job.subscriptionId },
      select: { id: true, url: true, urlSecret: true, format: true, secret: true, enabled: true },
    }),
    db.notificationEvent.findUnique({ where: { id: job.eventId }, select: { id: true, type: true, occurredAt: true, data: true } }),
  ]);
  if (!subscription || !event || !subscription.enabled) return { status: "skipped", attempt: 0 };
  const attempt = (await db.notificationDelivery.count({ where: { subscriptionId: subscription.id, eventId: event.id } })) + 1;
  const body = notificationBody({ ...event, data: (event.data ?? {}) as Record<string, unknown> }, subscription.format);
  const id = webhookId(event.id, subscription.id);
  let secret: string;
  try {
    secret = decryptSecret(subscription.secret);
  } catch {
    // Unsigned is never sent; retrying cannot help until someone re-creates the subscription.
    const error = "The signing secret cannot be read (SPECLEDGER_SECRET_KEY changed?): re-create the subscription.";
    await db.notificationDelivery.create({ data: { subscriptionId: subscription.id, eventId: event.id, attempt, status: "refused", error } });
    return { status: "refused", attempt };
  }
  let target = subscription.url;
  try {
    target = subscription.urlSecret === null ? subscription.url : decryptSecret(subscription.urlSecret);
  } catch {
    const error = "The stored URL cannot be read (SPECLEDGER_SECRET_KEY changed?): give the subscription's URL again.";
    await db.notificationDelivery.create({ data: { subscriptionId: subscription.id, eventId: event.id, attempt, status: "refused", error } });
    return { status: "refused", attempt };
  }
  // A slack URL stored before URLs were sealed is sealed on its first use (the worker's start seals the rest).
  if (subscription.format === "slack" && subscription.urlSecret === null) {
    await db.notificationSubscription.updateMany({
      where: { id: subscription.id, urlSecret: null, url: subscription.url },
      data: storedUrl(subscription.url, "slack"),
    });
  }
  // The signature covers the timestamp header, so both come from one instant.
  const now = new Date();
  const signature = new Webhook(secret).sign(id, now, body);
  const headers = {
    "content-type": "application/json",
    "user-agent": "Specledger-Webhooks/1",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": signature,
  };
  const outcome = await postWebhook(target, body, headers, { timeoutMs: options.timeoutMs ?? DELIVERY_TIMEOUT_MS, allow: options.allow });
  const row =
    outcome.kind === "response"
      ? {
          status: outcome.status >= 200 && outcome.status < 300 ? ("delivered" as const) : ("failed" as const),
          responseCode: outcome.status,
          latencyMs: outcome.latencyMs,
          error: outcome.status >= 300 && outcome.status < 400 ? "Redirects are not followed." : null,
        }
      : outcome.kind === "timeout"
        ? { status: "timeout" as const, responseCode: null, latencyMs: outcome.latencyMs, error: "No answer within the timeout." }
        : outcome.kind === "refused"
          ? { status: "refused" as const, responseCode: null, latencyMs: null, error: outcome.reason }
          : { status: "failed" as const, responseCode: null, latencyMs: outcome.latencyMs, error: outcome.message };
  await db.notificationDelivery.create({ data: { subscriptionId: subscription.id, eventId: event.id, attempt, ...row } });
  return { status: row.status, attempt };
}

/** The worker's handler: a failed or timed-out attempt throws so that pg-boss schedules the retry. */
export async function handleDeliveryJobs(jobs: { data: DeliveryJob }[], options: DeliveryOptions = {}): Promise<void> {
  for (const job of jobs) {
    const { status, attempt } = await deliverNotification(job.data, options);
    if (status === "failed" || status === "timeout") throw new Error(`Delivery attempt ${attempt} ${status}; pg-boss retries it.`);
  }
}

/** Starts draining the delivery queue in this process: four workers, so one hanging receiver does not hold the rest. */
export async function startNotificationWorker(): Promise<void> {
  const sealed = await sealSlackUrls().catch((error) => {
    console.error("[notifications] could not seal the stored slack URLs", error);
    return 0;
  });
  if (sealed > 0) console.warn(`[notifications] sealed ${sealed} slack subscription URL(s) stored in clear`);
  const queue = await getQueue();
  for (let i = 0; i < 4; i++) {
    await queue.work<DeliveryJob>(NOTIFY_QUEUE, { pollingIntervalSeconds: 2, batchSize: 1 }, (jobs) => handleDeliveryJobs(jobs));
  }
}
