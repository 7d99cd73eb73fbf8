import type pg from "pg";
import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { db, type Prisma } from "@/lib/db";
import { assertCan } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { GENESIS_HASH, hashEvent, verifyChain, type ChainCheck } from "./chain";
import {
  checkCheckpointSignature,
  checkpointBytes,
  judgeCheckpoint,
  signedCheckpointSchema,
  type CheckpointVerdict,
  type SignedCheckpoint,
} from "./checkpoint";

export type { CheckpointVerdict, SignedCheckpoint } from "./checkpoint";

/** Advisory lock that makes appends take turns, so the chain is one line, never a tree. */
const AUDIT_LOCK = 0x5ec1a0d1;

export interface AuditActor {
  id: string | null;
  label: string;
}

export const SYSTEM_ACTOR: AuditActor = { id: null, label: "system" };

/** An audit event a domain function asks its operation to append, in the operation's transaction. */
export interface AuditEntry {
  action: string;
  subject: string;
  payload?: Record<string, unknown>;
}

/** What a domain function run by an operation returns: its result and its audit events. */
export interface RunResult<R> {
  result: R;
  audit?: AuditEntry | AuditEntry[];
  /** What the write learnt that only its after-commit effects need (not part of the answer), e.g. whether any budget exists. */
  facts?: Record<string, unknown>;
}

export interface AppendAuditEventOptions {
  actor: AuditActor;
  action: string;
  subject: string;
  payload?: Record<string, unknown>;
  /** Join the caller's transaction, so the event lands exactly when the change does. */
  tx?: Prisma.TransactionClient;
  /** Or the caller's pg transaction; a long one uses queueAuditEvent instead. */
  client?: pg.PoolClient;
}

type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

type NewEvent = Omit<AppendAuditEventOptions, "tx" | "client"> & { occurredAt?: Date };

/**
 * Links `events` to the head of the chain, in order. Appends take turns on an advisory lock
 * held until the transaction ends, so callers keep their transactions short; the unique
 * previous hash is the database's own guard against forks (a Serializable caller whose
 * snapshot predates the head fails on it and is retried).
 */
async function chainEvents(query: Query, events: NewEvent[]) {
  await query(`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})::text AS locked`, []);
  const [last] = await query(`SELECT hash FROM "AuditEvent" ORDER BY seq DESC LIMIT 1`, []);
  let prevHash = (last?.hash as string | undefined) ?? GENESIS_HASH;
  const appended = [];
  for (const event of events) {
    const [{ seq }] = await query(`SELECT nextval(pg_get_serial_sequence('"AuditEvent"', 'seq'))::int AS seq`, []);
    const fields = {
      seq: seq as number,
      occurredAt: event.occurredAt ?? new Date(),
      actorId: event.actor.id,
      actorLabel: event.actor.label,
      action: event.action,
      subject: event.subject,
      payload: event.payload ?? {},
      prevHash,
    };
    const hash = hashEvent(fields);
    await query(
      `INSERT INTO "AuditEvent" (seq, "occurredAt", "actorId", "actorLabel", action, subject, payload, "prevHash", hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)`,
      [fields.seq, fields.occurredAt, fields.actorId, fields.actorLabel, fields.action, fields.subject, JSON.stringify(fields.payload), fields.prevHash, hash],
    );
    appended.push({ ...fields, hash });
    prevHash = hash;
  }
  return appended;
}

// Appends take turns, so under load one may wait for a connection and the lock longer than
// Prisma's defaults (2 s, 5 s) allow; an audited write should wait, not fail.
const OWN_TRANSACTION = { maxWait: 10_000, timeout: 20_000 };

const viaPrisma =
  (tx: Prisma.TransactionClient): Query =>
  (sql, params) =>
    tx.$queryRawUnsafe(sql, ...params);
const viaPg =
  (client: pg.PoolClient): Query =>
  async (sql, params) =>
    (await client.query(sql, params)).rows;

/**
 * Appends an event to the hash chain, in the caller's (short) transaction when given one.
 * A long transaction (an import) uses queueAuditEvent instead, so it never holds the lock.
 */
export async function appendAuditEvent(opts: AppendAuditEventOptions) {
  const write = async (query: Query) => (await chainEvents(query, [opts]))[0];
  if (opts.client) return write(viaPg(opts.client));
  return opts.tx ? write(viaPrisma(opts.tx)) : db.$transaction((tx) => write(viaPrisma(tx)), OWN_TRANSACTION);
}

/**
 * Records an event in a long transaction without touching the chain: the event commits (or
 * rolls back) with the caller's change, and flushPendingAuditEvents, run after the commit,
 * links it to the chain in a short transaction of its own.
 */
export async function queueAuditEvent(opts: Omit<AppendAuditEventOptions, "tx" | "client"> & { client: pg.PoolClient }) {
  await opts.client.query(`INSERT INTO "AuditPendingEvent" ("actorId", "actorLabel", action, subject, payload) VALUES ($1, $2, $3, $4, $5::jsonb)`, [
    opts.actor.id,
    opts.actor.label,
    opts.action,
    opts.subject,
    JSON.stringify(opts.payload ?? {}),
  ]);
}

const FLUSH_BATCH = 500;

/**
 * Moves committed queued events into the chain, oldest first, a batch per short transaction.
 * Safe to run anywhere at any time: concurrent flushes take turns on the chain's lock and a
 * queued event is chained once (it is deleted in the transaction that chains it).
 */
export async function flushPendingAuditEvents(): Promise<number> {
  let total = 0;
  for (;;) {
    const moved = await db.$transaction(async (tx) => {
      const query = viaPrisma(tx);
      await query(`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})::text AS locked`, []);
      const rows = await query(
        `DELETE FROM "AuditPendingEvent" WHERE id IN (SELECT id FROM "AuditPendingEvent" ORDER BY id LIMIT ${FLUSH_BATCH})
         RETURNING id::text AS id, "occurredAt", "actorId", "actorLabel", action, subject, payload`,
        [],
      );
      rows.sort((a, b) => (BigInt(a.id as string) < BigInt(b.id as string) ? -1 : 1));
      await chainEvents(
        query,
        rows.map((r) => ({
          occurredAt: r.occurredAt as Date,
          actor: { id: r.actorId as string | null, label: r.actorLabel as string },
          action: r.action as string,
          subject: r.subject as string,
          payload: r.payload as Record<string, unknown>,
        })),
      );
      return rows.length;
    }, OWN_TRANSACTION);
    total += moved;
    if (moved < FLUSH_BATCH) return total;
  }
}

const PAGE = 5000;

interface WalkFrom {
  length: number;
  head: string;
  /** The seq of the event `head` belongs to (0 before the first). */
  seq: number;
}

/** Checks the chain from `from` to its head, a page at a time; `watch` as in verifyChain. */
async function walkAuditLog(from: WalkFrom = { length: 0, head: GENESIS_HASH, seq: 0 }, watch?: number) {
  let state = { length: from.length, head: from.head };
  let after = from.seq;
  let hashAt: string | undefined;
  for (;;) {
    const page = await db.auditEvent.findMany({ where: { seq: { gt: after } }, orderBy: { seq: "asc" }, take: PAGE });
    const result = verifyChain(page, state, watch);
    hashAt ??= result.hashAt;
    if (page.length > 0 && result.ok) after = page[page.length - 1].seq;
    if (!result.ok || page.length < PAGE) return { result: { ...result, hashAt }, seq: after };
    state = { length: result.length, head: result.head };
  }
}

/** Checks the whole chain, a page at a time; names the first broken event. */
export async function verifyAuditLog(): Promise<ChainCheck> {
  const { result } = await walkAuditLog();
  const { hashAt: _, ...check } = result;
  return check;
}

/** The server's own public key, when it has a signing key. */
function serverPublicKey() {
  const pem = process.env.SPECLEDGER_AUDIT_SIGNING_KEY;
  if (!pem) return undefined;
  try {
    return createPublicKey(createPrivateKey(pem.replace(/\\n/g, "\n")));
  } catch {
    throw new AppError("unprocessable", "SPECLEDGER_AUDIT_SIGNING_KEY is not a valid private key (PEM).");
  }
}

/**
 * Proves that the log still extends a saved checkpoint: its signature verifies (with its
 * own public key and, when configured, the server's), the chain from the first event to
 * the head verifies, and its checkpoint.length-th event has the checkpoint's head hash.
 * A truncated tail, a rewritten event or a mismatched head is named in `reason`.
 */
export async function verifyAuditLogAgainstCheckpoint(signed: SignedCheckpoint): Promise<CheckpointVerdict> {
  const signature = checkCheckpointSignature(signed, serverPublicKey());
  if (!signature.ok) return { ok: false, problem: "signature", reason: signature.reason, length: 0, checkpoint: signed.checkpoint };
  const { result } = await walkAuditLog(undefined, signed.checkpoint.length);
  return judgeCheckpoint(result, signed, signature.signedBy);
}

/** POST /api/v1/audit/verify: the checkpoint as the caller sent it. */
export async function verifyAuditLogAgainstCheckpointAs(viewer: { role: import("@/lib/db").Role }, body: unknown) {
  assertCan(viewer, "audit:read");
  return verifyAuditLogAgainstCheckpoint(signedCheckpointSchema.parse(body));
}

export interface AuditLogStatus {
  check: ChainCheck;
  /** "incremental": only events after the last verified point were checked. */
  mode: "full" | "incremental";
  /** When the whole chain last verified from its first event, if ever. */
  fullCheckAt: Date | null;
}

/**
 * The audit page's check: continues from the last verified point (AuditVerification) when
 * that event still has the hash it had, so a render checks only what was appended since;
 * `full` checks everything. The stored point is a shortcut, never the proof: a full check
 * and a checkpoint ignore it.
 */
export async function checkAuditLog(viewer: { role: import("@/lib/db").Role }, opts: { full?: boolean } = {}): Promise<AuditLogStatus> {
  assertCan(viewer, "audit:read");
  // Events an import queued are chained here at the latest, so the page shows them.
  await flushPendingAuditEvents();
  const cached = await db.auditVerification.findUnique({ where: { id: 1 } });
  let from: WalkFrom | undefined;
  if (cached && !opts.full && cached.seq > 0) {
    const anchor = await db.auditEvent.findUnique({ where: { seq: cached.seq }, select: { hash: true } });
    // An anchor that changed or vanished means the log did: check it all, which names where.
    if (anchor?.hash === cached.head) from = { length: cached.length, head: cached.head, seq: cached.seq };
  }
  const { result, seq } = await walkAuditLog(from);
  const { hashAt: _, ...check } = result;
  const mode = from ? "incremental" : "full";
  if (!check.ok) return { check, mode, fullCheckAt: cached?.fullCheckAt ?? null };
  const now = new Date();
  const fullCheckAt = mode === "full" ? now : (cached?.fullCheckAt ?? null);
  // Never moves the point backwards when two renders race.
  await db.$executeRaw`
    INSERT INTO "AuditVerification" (id, length, seq, head, "checkedAt", "fullCheckAt")
    VALUES (1, ${check.length}, ${seq}, ${check.head}, ${now}, ${fullCheckAt})
    ON CONFLICT (id) DO UPDATE SET length = EXCLUDED.length, seq = EXCLUDED.seq, head = EXCLUDED.head,
      "checkedAt" = EXCLUDED."checkedAt", "fullCheckAt" = GREATEST(EXCLUDED."fullCheckAt", "AuditVerification"."fullCheckAt")
    WHERE "AuditVerification".length <= EXCLUDED.length`;
  return { check, mode, fullCheckAt };
}

export async function listAuditEvents(viewer: { role: import("@/lib/db").Role }, opts: { take?: number } = {}) {
  assertCan(viewer, "audit:read");
  return db.auditEvent.findMany({ orderBy: { seq: "desc" }, take: Math.min(opts.take ?? 100, 500) });
}

export async function verifyAuditLogAs(viewer: { role: import("@/lib/db").Role }) {
  assertCan(viewer, "audit:read");
  return verifyAuditLog();
}

/**
 * A signed statement of the chain's length and head hash, for keeping outside Specledger:
 * anyone holding it can later prove the log was not rewritten before that point. The key
 * is an Ed25519 private key (PEM) in SPECLEDGER_AUDIT_SIGNING_KEY.
 */
export async function exportAuditCheckpoint(viewer: { role: import("@/lib/db").Role }): Promise<SignedCheckpoint> {
  assertCan(viewer, "audit:read");
  const pem = process.env.SPECLEDGER_AUDIT_SIGNING_KEY;
  if (!pem) throw new AppError("unprocessable", "No signing key: set SPECLEDGER_AUDIT_SIGNING_KEY to an Ed25519 private key (PEM).");
  const key = createPrivateKey(pem.replace(/\\n/g, "\n"));
  if (key.asymmetricKeyType !== "ed25519") throw new AppError("unprocessable", "SPECLEDGER_AUDIT_SIGNING_KEY must be an Ed25519 key.");
  await flushPendingAuditEvents();
  const result = await verifyAuditLog();
  if (!result.ok) throw new AppError("conflict", `The audit log is broken at event ${result.brokenAt}: ${result.reason}.`);
  const checkpoint = { length: result.length, head: result.head, verifiedAt: new Date().toISOString() };
  const signature = sign(null, checkpointBytes(checkpoint), key).toString("base64");
  const publicKey = createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
  return { checkpoint, algorithm: "Ed25519", signature, publicKey };
}
