// Subscriptions to outbound notifications (docs/decisions/025-outbound-notifications.md).
// Workspace subscriptions are the admins'; a team's subscriptions are its maintainers' (and
// the admins'). A subscription the viewer may not manage is not found.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import type { Viewer } from "@/lib/auth/permissions";
import { assertCan } from "@/lib/auth/permissions";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { typedGlobRefusal } from "@/lib/paths";
import { idString, text } from "@/lib/schema";
import { NOTIFICATION_EVENTS, maskedUrl } from "./format";
import { checkWebhookUrl } from "./guard";

type Tx = Prisma.TransactionClient;

const events = z
  .array(z.enum(NOTIFICATION_EVENTS))
  .min(1, "Choose at least one event.")
  .max(NOTIFICATION_EVENTS.length * 2)
  .transform((list) => [...new Set(list)]);
const url = text().trim().min(1, "Give the URL to send to.").max(2000);
const glob = text()
  .trim()
  .min(1)
  .max(500)
  .refine((g) => typedGlobRefusal(g) === null, { error: (issue) => typedGlobRefusal(String(issue.input)) ?? "Not a usable glob." });

export const createSubscriptionInput = z
  .object({
    url,
    format: z.enum(["standard", "slack"]).default("standard"),
    events,
    /** The team that owns the subscription; absent: the workspace's (admins only). */
    teamId: idString().optional(),
    repositoryId: idString().optional(),
    pathGlob: glob.optional(),
    filterTeamId: idString().optional(),
  })
  .strict();

export const updateSubscriptionInput = z
  .object({
    id: idString(),
    url: url.optional(),
    format: z.enum(["standard", "slack"]).optional(),
    events: events.optional(),
    enabled: z.boolean().optional(),
    repositoryId: idString().nullable().optional(),
    pathGlob: glob.nullable().optional(),
    filterTeamId: idString().nullable().optional(),
  })
  .strict();

export const subscriptionIdInput = z.object({ id: idString() }).strict();
export const redeliverInput = z.object({ id: idString(), eventId: idString() }).strict();

export const subscriptionView = z.object({
  id: z.string(),
  url: z.string(),
  format: z.enum(["standard", "slack"]),
  events: z.array(z.string()),
  enabled: z.boolean(),
  team: z.object({ id: z.string(), slug: z.string() }).nullable(),
  filters: z.object({
    repositoryId: z.string().nullable(),
    pathGlob: z.string().nullable(),
    teamId: z.string().nullable(),
  }),
  createdAt: z.string(),
});
export type SubscriptionView = z.infer<typeof subscriptionView>;
export const createdSubscription = subscriptionView.extend({ secret: z.string() });

export const deliveryView = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  attempt: z.number().int(),
  status: z.string(),
  responseCode: z.number().int().nullable(),
  latencyMs: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});

// Only what the view shows: the encrypted secret never leaves this module.
const VIEW_SELECT = {
  id: true,
  url: true,
  format: true,
  events: true,
  enabled: true,
  team: { select: { id: true, slug: true } },
  filterRepositoryId: true,
  filterPath: true,
  filterTeamId: true,
  createdAt: true,
} satisfies Prisma.NotificationSubscriptionSelect;

type Row = Prisma.NotificationSubscriptionGetPayload<{ select: typeof VIEW_SELECT }>;

/** The URL as pages, API answers and audit events show it: a slack one (a credential) masked, also on rows not yet sealed. */
const shownUrl = (row: Pick<Row, "url" | "format">) => (row.format === "slack" ? maskedUrl(row.url) : row.url);

/** What is stored of a subscription's URL: a slack URL encrypted, with only its scheme and host in clear. */
export function storedUrl(raw: string, format: "standard" | "slack"): { url: string; urlSecret: string | null } {
  return format === "slack" ? { url: maskedUrl(raw), urlSecret: encryptSecret(raw) } : { url: raw, urlSecret: null };
}

function view(row: Row): SubscriptionView {
  return {
    id: row.id,
    url: shownUrl(row),
    format: row.format,
    events: row.events,
    enabled: row.enabled,
    team: row.team,
    filters: { repositoryId: row.filterRepositoryId, pathGlob: row.filterPath, teamId: row.filterTeamId },
    createdAt: row.createdAt.toISOString(),
  };
}

/** A fresh Standard Webhooks secret: "whsec_" and base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** The subscriptions `viewer` manages, as a where clause: all for admins, their teams' for maintainers. */
async function manageable(client: Pick<Tx, "teamMember">, viewer: Viewer): Promise<Prisma.NotificationSubscriptionWhereInput> {
  assertCan(viewer, "notifications:manage");
  if (viewer.role === "admin") return {};
  const teams = await client.teamMember.findMany({ where: { userId: viewer.id }, select: { teamId: true } });
  return { teamId: { in: teams.map((t) => t.teamId) } };
}

/** Refuses (403) a viewer who may not own a subscription in this scope. */
async function assertMayOwn(tx: Tx, viewer: Viewer, teamId: string | null): Promise<void> {
  if (viewer.role === "admin") {
    if (teamId && !(await tx.team.findUnique({ where: { id: teamId }, select: { id: true } }))) throw new AppError("not_found", "Team not found.");
    return;
  }
  if (teamId === null) throw new AppError("forbidden", "Workspace subscriptions are managed by admins; choose one of your teams.");
  const member = await tx.teamMember.findUnique({ where: { teamId_userId: { teamId, userId: viewer.id } }, select: { teamId: true } });
  if (!member) throw new AppError("forbidden", "Only the team's maintainers and admins manage its subscriptions.");
}

async function assertUrl(raw: string): Promise<void> {
  const refusal = await checkWebhookUrl(raw);
  if (refusal) throw new AppError("unprocessable", refusal, { issues: [{ code: "custom", path: ["url"], message: refusal }] });
}

async function assertFilters(tx: Tx, input: { repositoryId?: string | null; filterTeamId?: string | null }): Promise<void> {
  if (input.repositoryId && !(await tx.repository.findUnique({ where: { id: input.repositoryId }, select: { id: true } }))) {
    throw new AppError("not_found", "Repository not found.");
  }
  if (input.filterTeamId && !(await tx.team.findUnique({ where: { id: input.filterTeamId }, select: { id: true } }))) {
    throw new AppError("not_found", "Team not found.");
  }
}

const auditFields = (row: Row) => ({ url: shownUrl(row), format: row.format, events: row.events, teamId: row.team?.id ?? null, enabled: row.enabled });

/** Creates a subscription with a new signing secret, returned this once. */
/** Subscriptions one team may have (workspace ones are the admins' own). */
export const MAX_SUBSCRIPTIONS_PER_TEAM = 25;

export async function createSubscription(
  tx: Tx,
  viewer: Viewer,
  input: z.output<typeof createSubscriptionInput>,
): Promise<RunResult<z.input<typeof createdSubscription>>> {
  await assertMayOwn(tx, viewer, input.teamId ?? null);
  await assertFilters(tx, input);
  // Each subscription can hold a delivery worker for its timeout: one team's maintainers cannot take them all.
  if (input.teamId && (await tx.notificationSubscription.count({ where: { teamId: input.teamId } })) >= MAX_SUBSCRIPTIONS_PER_TEAM) {
    throw new AppError("conflict", `This team already has ${MAX_SUBSCRIPTIONS_PER_TEAM} subscriptions: remove one first.`);
  }
  await assertUrl(input.url);
  const secret = newSigningSecret();
  const row = await tx.notificationSubscription.create({
    data: {
      ...storedUrl(input.url, input.format),
      format: input.format,
      events: input.events,
      teamId: input.teamId ?? null,
      filterRepositoryId: input.repositoryId ?? null,
      filterPath: input.pathGlob ?? null,
      filterTeamId: input.filterTeamId ?? null,
      secret: encryptSecret(secret),
      createdById: viewer.id,
    },
    select: VIEW_SELECT,
  });
  return {
    result: { ...view(row), secret },
    // The secret never goes into the audit log.
    audit: { action: "notification.subscription_created", subject: `subscription:${row.id}`, payload: auditFields(row) },
  };
}

async function findManageable(tx: Tx, viewer: Viewer, id: string): Promise<Row> {
  const row = await tx.notificationSubscription.findFirst({ where: { id, ...(await manageable(tx, viewer)) }, select: VIEW_SELECT });
  if (!row) throw new AppError("not_found", "Subscription not found.");
  return row;
}

/** Changes a subscription's URL, events, format, filters or enabled state. */
export async function updateSubscription(
  tx: Tx,
  viewer: Viewer,
  input: z.output<typeof updateSubscriptionInput>,
): Promise<RunResult<z.input<typeof subscriptionView>>> {
  await findManageable(tx, viewer, input.id);
  await assertFilters(tx, input);
  if (input.url !== undefined) await assertUrl(input.url);
  const current = await tx.notificationSubscription.findUniqueOrThrow({ where: { id: input.id }, select: { url: true, urlSecret: true, format: true } });
  const format = input.format ?? current.format;
  let urlColumns: { url?: string; urlSecret?: string | null } = {};
  if (input.url !== undefined || format !== current.format) {
    urlColumns = storedUrl(input.url ?? currentUrl(current), format);
  }
  const row = await tx.notificationSubscription.update({
    where: { id: input.id },
    data: {
      ...urlColumns,
      format: input.format,
      events: input.events,
      enabled: input.enabled,
      filterRepositoryId: input.repositoryId,
      filterPath: input.pathGlob,
      filterTeamId: input.filterTeamId,
    },
    select: VIEW_SELECT,
  });
  return { result: view(row), audit: { action: "notification.subscription_updated", subject: `subscription:${row.id}`, payload: auditFields(row) } };
}

/** The full URL a subscription sends to (decrypted for slack); a 422 when the key that sealed it is gone. */
function currentUrl(row: { url: string; urlSecret: string | null }): string {
  if (row.urlSecret === null) return row.url;
  try {
    return decryptSecret(row.urlSecret);
  } catch {
    throw new AppError("unprocessable", "The stored URL cannot be read (SPECLEDGER_SECRET_KEY changed?): give the URL again.", {
      issues: [{ code: "custom", path: ["url"], message: "Give the URL again." }],
    });
  }
}

/**
 * Encrypts the URLs of slack subscriptions stored before URLs were sealed (SQL cannot encrypt,
 * so the migration left them). Run when the notification worker starts; delivery also seals
 * the one it sends to. Returns how many it sealed.
 */
export async function sealSlackUrls(): Promise<number> {
  const rows = await db.notificationSubscription.findMany({ where: { format: "slack", urlSecret: null }, select: { id: true, url: true } });
  let sealed = 0;
  for (const row of rows) {
    // Guarded by urlSecret IS NULL: a row an admin changed meanwhile is left as they saved it.
    const { count } = await db.notificationSubscription.updateMany({ where: { id: row.id, urlSecret: null, url: row.url }, data: storedUrl(row.url, "slack") });
    sealed += count;
  }
  return sealed;
}

/** Deletes a subscription and its delivery log; jobs still queued for it find nothing and stop. */
export async function deleteSubscription(
  tx: Tx,
  viewer: Viewer,
  input: z.output<typeof subscriptionIdInput>,
): Promise<RunResult<{ id: string; deleted: true }>> {
  const row = await findManageable(tx, viewer, input.id);
  await tx.notificationSubscription.delete({ where: { id: row.id } });
  return {
    result: { id: row.id, deleted: true },
    audit: { action: "notification.subscription_deleted", subject: `subscription:${row.id}`, payload: auditFields(row) },
  };
}

/** Checks that the event was sent to this subscription before; the operation queues the new attempt after commit. */
export async function redeliver(
  tx: Tx,
  viewer: Viewer,
  input: z.output<typeof redeliverInput>,
): Promise<RunResult<{ subscriptionId: string; eventId: string; queued: true }>> {
  const row = await findManageable(tx, viewer, input.id);
  const sent = await tx.notificationDelivery.findFirst({ where: { subscriptionId: row.id, eventId: input.eventId }, select: { id: true } });
  if (!sent) throw new AppError("not_found", "This event was not sent to this subscription.");
  return {
    result: { subscriptionId: row.id, eventId: input.eventId, queued: true },
    audit: { action: "notification.redelivered", subject: `subscription:${row.id}`, payload: { eventId: input.eventId } },
  };
}

/** The subscriptions the viewer manages, newest first. */
export async function listSubscriptions(viewer: Viewer): Promise<SubscriptionView[]> {
  const rows = await db.notificationSubscription.findMany({
    where: await manageable(db, viewer),
    select: VIEW_SELECT,
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  return rows.map(view);
}

/** One subscription with its latest delivery attempts (the delivery log). */
export async function getSubscriptionWithDeliveries(viewer: Viewer, id: string, limit = 100) {
  const row = await db.notificationSubscription.findFirst({ where: { id, ...(await manageable(db, viewer)) }, select: VIEW_SELECT });
  if (!row) throw new AppError("not_found", "Subscription not found.");
  const deliveries = await db.notificationDelivery.findMany({
    where: { subscriptionId: id },
    orderBy: { id: "desc" },
    take: limit,
    select: {
      id: true,
      eventId: true,
      event: { select: { type: true } },
      attempt: true,
      status: true,
      responseCode: true,
      latencyMs: true,
      error: true,
      createdAt: true,
    },
  });
  return {
    subscription: view(row),
    deliveries: deliveries.map((d) => ({
      id: d.id.toString(),
      eventId: d.eventId,
      eventType: d.event.type,
      attempt: d.attempt,
      status: d.status,
      responseCode: d.responseCode,
      latencyMs: d.latencyMs,
      error: d.error,
      createdAt: d.createdAt.toISOString(),
    })),
  };
}

/** What the settings form offers: the teams the viewer may own subscriptions for, and the filters' choices. */
export async function subscriptionFormOptions(viewer: Viewer) {
  assertCan(viewer, "notifications:manage");
  const [ownTeams, teams, repositories] = await Promise.all([
    db.team.findMany({
      where: viewer.role === "admin" ? {} : { members: { some: { userId: viewer.id } } },
      select: { id: true, slug: true },
      orderBy: { slug: "asc" },
    }),
    db.team.findMany({ select: { id: true, slug: true }, orderBy: { slug: "asc" }, take: 1000 }),
    db.repository.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" }, take: 1000 }),
  ]);
  return { workspace: viewer.role === "admin", ownTeams, teams, repositories };
}
