// Emitting a notification: called from operations' after-commit effects and from jobs, never
// inside a transaction. One insert of the event and one queued delivery job per matching
// subscription; the delivery itself happens in the worker, so a slow or failing receiver
// never reaches the request that caused the event. Emitting never throws.
import { db, type Prisma } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { getQueue, NOTIFY_QUEUE, NOTIFY_RETRY } from "@/lib/jobs/queue";
import { pathMatches, teamOwners, type NotificationEventType } from "./format";

export interface NotificationInput {
  type: NotificationEventType;
  /** The facts filters match on: the repository, the spec path and its owning teams (@org/team). */
  repositoryId?: string | null;
  path?: string | null;
  teams?: string[];
  data: Record<string, unknown>;
}

export interface DeliveryJob {
  eventId: string;
  subscriptionId: string;
}

/** Queues one delivery job per subscription, with the retry policy of decision 025. */
export async function queueDeliveries(eventId: string, subscriptionIds: string[]): Promise<void> {
  if (subscriptionIds.length === 0) return;
  const queue = await getQueue();
  await queue.insert(
    subscriptionIds.map((subscriptionId) => ({ name: NOTIFY_QUEUE, data: { eventId, subscriptionId } satisfies DeliveryJob, ...NOTIFY_RETRY })),
  );
}

/**
 * The subscriptions an event goes to: enabled, asking for its type, and whose filters admit it.
 * One prepared statement on the pg pool: every "no" from can-i-deploy emits, and this lookup
 * through Prisma cost as much as the whole gate answer (decision 041).
 */
export async function matchingSubscriptions(event: Omit<NotificationInput, "data">): Promise<string[]> {
  const teams = (event.teams ?? []).map((t) => t.toLowerCase());
  const { rows } = await pgPool().query<{ id: string; filterPath: string | null }>({
    name: "notification-subscriptions",
    text: `SELECT s.id, s."filterPath" FROM "NotificationSubscription" s LEFT JOIN "Team" t ON t.id = s."filterTeamId"
           WHERE s.enabled AND $1 = ANY(s.events)
             AND (s."filterRepositoryId" IS NULL OR s."filterRepositoryId" = $2)
             AND (s."filterTeamId" IS NULL OR lower(t.slug) = ANY($3::text[]))`,
    values: [event.type, event.repositoryId ?? null, teams],
  });
  return rows.filter((row) => pathMatches(row.filterPath, event.path)).map((row) => row.id);
}

/** Records the event and queues its deliveries; returns the event id, or null when nobody subscribed or it failed. */
export async function emitNotification(event: NotificationInput): Promise<string | null> {
  try {
    const subscriptionIds = await matchingSubscriptions(event);
    if (subscriptionIds.length === 0) return null;
    const row = await db.notificationEvent.create({
      data: {
        type: event.type,
        repositoryId: event.repositoryId ?? null,
        path: event.path ?? null,
        teams: (event.teams ?? []).map((t) => t.toLowerCase()),
        data: event.data as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
    await queueDeliveries(row.id, subscriptionIds);
    return row.id;
  } catch (error) {
    console.error(`[notifications] could not emit ${event.type}`, error);
    return null;
  }
}

/** The filter facts and names of a spec, for events about it. */
export async function specFacts(specId: string): Promise<{ repositoryId: string; path: string; teams: string[]; repository: string } | null> {
  const spec = await db.spec.findUnique({
    where: { id: specId },
    select: { repositoryId: true, path: true, owners: true, repository: { select: { name: true } } },
  });
  if (!spec) return null;
  return { repositoryId: spec.repositoryId, path: spec.path, teams: teamOwners(spec.owners), repository: spec.repository.name };
}
