// GitHub webhooks in (docs/decisions/023-github-webhooks.md). GitHub's rules, from
// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries and
// https://docs.github.com/en/webhooks/webhook-events-and-payloads:
// - X-Hub-Signature-256 is "sha256=" + the hex HMAC-SHA256 of the raw body under the secret;
// - X-GitHub-Delivery is a GUID per delivery (a redelivery keeps it); X-GitHub-Event names the event;
// - payloads are capped at 25 MB; we take at most 1 MB (push and pull_request payloads of
//   repositories we serve are far smaller; a bigger one is refused with 413 before any work).
import { verify } from "@octokit/webhooks-methods";
import { z } from "zod";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db, type Prisma } from "@/lib/db";
import { serializable } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { sourceKey } from "@/lib/repositories/source-match";

export const MAX_WEBHOOK_BYTES = 1_048_576;

/** The pull_request actions that change what we record; others are acknowledged and ignored. */
const PR_ACTIONS = new Set(["opened", "synchronize", "reopened", "closed", "edited"]);

const repositorySchema = z
  .object({
    full_name: z.string().optional(),
    clone_url: z.string().optional(),
    ssh_url: z.string().optional(),
    html_url: z.string().optional(),
    git_url: z.string().optional(),
    default_branch: z.string().optional(),
  })
  .loose();

const pushSchema = z.object({ ref: z.string(), after: z.string().optional() }).loose();
const pullRequestSchema = z
  .object({
    action: z.string(),
    number: z.number().int().positive().max(2_147_483_647),
    pull_request: z
      .object({
        title: z.string().max(1000),
        state: z.string().max(20),
        merged: z.boolean().nullable().optional(),
        html_url: z.string().max(2000),
        updated_at: z.iso.datetime({ offset: true }),
        head: z.object({ sha: z.string().regex(/^[0-9a-f]{40,64}$/) }).loose(),
        base: z.object({ ref: z.string().max(1000) }).loose(),
      })
      .loose(),
  })
  .loose();

export interface Delivery {
  event: string | null;
  deliveryId: string | null;
  signature: string | null;
  /** The raw body as received: the signature covers these exact bytes. */
  body: Uint8Array;
  /**
   * Queues an import of the repository, or returns the one already waiting (the re-scan
   * operation, given by the route handler: the domain does not call operations).
   */
  queueImport: (repositoryId: string) => Promise<{ id: string }>;
}

const deliveryIdSchema = z.string();
const duplicateOutcome = z.object({ status: z.literal("duplicate"), deliveryId: deliveryIdSchema });
const pongOutcome = z.object({ status: z.literal("pong"), deliveryId: deliveryIdSchema });
const ignoredOutcome = z.object({ status: z.literal("ignored"), deliveryId: deliveryIdSchema, reason: z.string() });
const queuedOutcome = z.object({ status: z.literal("queued"), deliveryId: deliveryIdSchema, importId: z.string() });
const recordedOutcome = z.object({ status: z.literal("recorded"), deliveryId: deliveryIdSchema, pullRequest: z.number().int() });

/** 200: a replayed delivery or a ping, nothing done. */
export const acknowledgedOutcome = z.discriminatedUnion("status", [duplicateOutcome, pongOutcome]);
/** 202: an import queued, a pull request recorded, or an event ignored (with the reason). */
export const acceptedOutcome = z.discriminatedUnion("status", [ignoredOutcome, queuedOutcome, recordedOutcome]);
export type DeliveryOutcome = z.infer<typeof acknowledgedOutcome> | z.infer<typeof acceptedOutcome>;

/** The keys a GitHub payload's repository can be matched by (clone, SSH, web URL, owner/name). */
export function payloadSourceKeys(repository: z.infer<typeof repositorySchema>): Set<string> {
  const keys = [repository.clone_url, repository.ssh_url, repository.html_url, repository.git_url]
    .filter((u): u is string => typeof u === "string")
    .map(sourceKey)
    .filter((k): k is string => k !== null);
  if (repository.full_name && /^[\w.-]+\/[\w.-]+$/.test(repository.full_name)) keys.push(`github.com/${repository.full_name.toLowerCase()}`);
  return new Set(keys);
}

const unauthenticated = () => new AppError("unauthenticated", "The X-Hub-Signature-256 signature does not verify with any repository's webhook secret.");

/**
 * Verifies and handles one delivery. The order is the security: nothing is parsed as trusted,
 * and nothing is written, before a repository's secret verifies the signature over the raw
 * body. A payload for a repository we do not have, or with no secret set, is the same 401 as a
 * forged one, so the endpoint does not tell strangers which repositories exist.
 */
export async function receiveGithubDelivery(delivery: Delivery): Promise<DeliveryOutcome> {
  if (!delivery.signature || !/^sha256=[0-9a-f]{64}$/.test(delivery.signature)) throw unauthenticated();
  let raw: string;
  try {
    raw = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(delivery.body);
  } catch {
    // GitHub sends UTF-8 JSON; bytes that are not UTF-8 were not signed by GitHub over this text.
    throw unauthenticated();
  }
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch {
    // Said before any secret is tried: whether a body is JSON reveals nothing, and trying
    // every repository's secret on it would let a stranger buy one HMAC per repository.
    throw new AppError("bad_request", "The body is not valid JSON.");
  }
  const claimed = payload && typeof payload === "object" ? repositorySchema.safeParse((payload as { repository?: unknown }).repository) : null;
  // Every repository webhook GitHub sends, ping included, names its repository: one that
  // names none verifies against nothing.
  if (!claimed?.success) throw unauthenticated();
  const keys = payloadSourceKeys(claimed.data);
  const withSecrets = await db.repository.findMany({
    where: { webhookSecret: { not: null } },
    select: { id: true, source: true, defaultBranch: true, webhookSecret: true },
  });
  // Verified against the secrets of the repositories the payload names only.
  const candidates = withSecrets.filter((r) => keys.has(sourceKey(r.source) ?? ""));
  let repo: (typeof withSecrets)[number] | undefined;
  for (const candidate of candidates) {
    let secret: string;
    try {
      secret = decryptSecret(candidate.webhookSecret!);
    } catch (error) {
      // A secret stored under another SPECLEDGER_SECRET_KEY verifies nothing; the admin must set it again.
      console.error(`[webhooks] repository ${candidate.id}: the webhook secret cannot be decrypted`, (error as Error).message);
      continue;
    }
    if (await verify(secret, raw, delivery.signature)) {
      repo = candidate;
      break;
    }
  }
  if (!repo) throw unauthenticated();

  const deliveryId = delivery.deliveryId ?? "";
  if (!/^[0-9A-Za-z-]{1,100}$/.test(deliveryId)) throw new AppError("bad_request", "X-GitHub-Delivery is missing or not a delivery id.");
  const event = delivery.event ?? "";
  if (!/^[a-z_]{1,100}$/.test(event)) throw new AppError("bad_request", "X-GitHub-Event is missing or not an event name.");
  const repositoryId = repo.id;
  const trackedBranch = repo.defaultBranch ?? claimed.data.default_branch;

  // The delivery is recorded in the same transaction as what it changes: a replay finds it and stops.
  const recorded = await serializable(
    async (tx) => {
      const outcome = await handle(tx);
      // What became of the delivery, written with it: a replay is still only "duplicate".
      if (outcome.status !== "duplicate")
        await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { outcome: outcome.status === "import" ? "import-requested" : outcome.status } });
      return outcome;
    },
    { name: "webhooks.github" },
  );
  // What the delivery does, inside its transaction.
  async function handle(tx: Prisma.TransactionClient) {
    const inserted = await tx.webhookDelivery.createMany({ data: [{ id: deliveryId, event, repositoryId, outcome: "received" }], skipDuplicates: true });
    if (inserted.count === 0) return { status: "duplicate" as const, deliveryId };
    if (event === "ping") return { status: "pong" as const, deliveryId };
    if (event === "pull_request") {
      const pr = pullRequestSchema.safeParse(payload);
      if (!pr.success) throw new AppError("bad_request", "The pull_request payload lacks a number, title, state, head sha, base ref, URL or update time.");
      if (!PR_ACTIONS.has(pr.data.action))
        return { status: "ignored" as const, deliveryId, reason: `pull_request action ${pr.data.action} changes nothing recorded` };
      const p = pr.data.pull_request;
      const githubUpdatedAt = new Date(p.updated_at);
      const where = { repositoryId_number: { repositoryId, number: pr.data.number } };
      // GitHub does not deliver in order: a delivery about an older state of the pull request
      // (a late "opened" after "closed") must not undo a newer one. Equal times apply in arrival order.
      const known = await tx.pullRequest.findUnique({ where, select: { githubUpdatedAt: true } });
      if (known?.githubUpdatedAt && githubUpdatedAt < known.githubUpdatedAt)
        return { status: "ignored" as const, deliveryId, reason: `pull request #${pr.data.number} was updated after this delivery's state` };
      const data = { title: p.title, state: p.merged ? "merged" : p.state, headSha: p.head.sha, baseRef: p.base.ref, url: p.html_url, githubUpdatedAt };
      await tx.pullRequest.upsert({
        where,
        create: { repositoryId, number: pr.data.number, ...data },
        update: data,
      });
      return { status: "recorded" as const, deliveryId, pullRequest: pr.data.number };
    }
    if (event === "push") {
      const push = pushSchema.safeParse(payload);
      if (!push.success) throw new AppError("bad_request", "The push payload lacks a ref.");
      if (!trackedBranch || push.data.ref !== `refs/heads/${trackedBranch}`)
        return { status: "ignored" as const, deliveryId, reason: `${push.data.ref} is not the tracked branch` };
      return { status: "import" as const, deliveryId };
    }
    return { status: "ignored" as const, deliveryId, reason: `event ${event} is not handled` };
  }
  if (recorded.status !== "import") return recorded;
  try {
    // requestImport returns the import already waiting, so a burst of pushes is one import.
    const job = await delivery.queueImport(repositoryId);
    await db.webhookDelivery.update({ where: { id: deliveryId }, data: { outcome: "queued" } });
    return { status: "queued", deliveryId, importId: job.id };
  } catch (error) {
    // Not queued: forget the delivery, so GitHub's redelivery of it is not mistaken for a replay.
    await db.webhookDelivery.delete({ where: { id: deliveryId } }).catch(() => {});
    throw error;
  }
}
