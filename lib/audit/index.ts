import type pg from "pg";
import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { db, type Prisma } from "@/lib/db";
import { assertCan } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { GENESIS_HASH, hashEvent, verifyChain, type ChainCheck } from "./chain";

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
}

export interface AppendAuditEventOptions {
  actor: AuditActor;
  action: string;
  subject: string;
  payload?: Record<string, unknown>;
  /** Join the caller's transaction, so the event lands exactly when the change does. */
  tx?: Prisma.TransactionClient;
  /** Or the caller's pg transaction (imports write through pg). */
  client?: pg.PoolClient;
}

type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Appends an event to the hash chain. Appends take turns on an advisory lock held until
 * the transaction ends; the unique previous hash is the database's own guard against forks
 * (a Serializable caller whose snapshot predates the head fails on it and is retried).
 */
export async function appendAuditEvent(opts: AppendAuditEventOptions) {
  const write = async (query: Query) => {
    await query(`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})::text AS locked`, []);
    const [last] = await query(`SELECT hash FROM "AuditEvent" ORDER BY seq DESC LIMIT 1`, []);
    const [{ seq }] = await query(`SELECT nextval(pg_get_serial_sequence('"AuditEvent"', 'seq'))::int AS seq`, []);
    const fields = {
      seq: seq as number,
      occurredAt: new Date(),
      actorId: opts.actor.id,
      actorLabel: opts.actor.label,
      action: opts.action,
      subject: opts.subject,
      payload: opts.payload ?? {},
      prevHash: (last?.hash as string | undefined) ?? GENESIS_HASH,
    };
    const hash = hashEvent(fields);
    await query(
      `INSERT INTO "AuditEvent" (seq, "occurredAt", "actorId", "actorLabel", action, subject, payload, "prevHash", hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)`,
      [fields.seq, fields.occurredAt, fields.actorId, fields.actorLabel, fields.action, fields.subject, JSON.stringify(fields.payload), fields.prevHash, hash],
    );
    return { ...fields, hash };
  };
  const viaPrisma = (tx: Prisma.TransactionClient): Query => (sql, params) => tx.$queryRawUnsafe(sql, ...params);
  if (opts.client) {
    const client = opts.client;
    return write(async (sql, params) => (await client.query(sql, params)).rows);
  }
  return opts.tx ? write(viaPrisma(opts.tx)) : db.$transaction((tx) => write(viaPrisma(tx)));
}

const PAGE = 5000;

/** Checks the whole chain, a page at a time; names the first broken event. */
export async function verifyAuditLog(): Promise<ChainCheck> {
  let state = { length: 0, head: GENESIS_HASH };
  let after = 0;
  for (;;) {
    const page = await db.auditEvent.findMany({ where: { seq: { gt: after } }, orderBy: { seq: "asc" }, take: PAGE });
    const result = verifyChain(page, state);
    if (!result.ok || page.length < PAGE) return result;
    state = { length: result.length, head: result.head };
    after = page[page.length - 1].seq;
  }
}

export async function listAuditEvents(viewer: { role: import("@/lib/db").Role }, opts: { take?: number } = {}) {
  assertCan(viewer, "audit:read");
  return db.auditEvent.findMany({ orderBy: { seq: "desc" }, take: Math.min(opts.take ?? 100, 500) });
}

export async function verifyAuditLogAs(viewer: { role: import("@/lib/db").Role }) {
  assertCan(viewer, "audit:read");
  return verifyAuditLog();
}

export interface SignedCheckpoint {
  checkpoint: { length: number; head: string; verifiedAt: string };
  algorithm: "Ed25519";
  signature: string;
  publicKey: string;
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
  const result = await verifyAuditLog();
  if (!result.ok) throw new AppError("conflict", `The audit log is broken at event ${result.brokenAt}: ${result.reason}.`);
  const checkpoint = { length: result.length, head: result.head, verifiedAt: new Date().toISOString() };
  const signature = sign(null, Buffer.from(JSON.stringify(checkpoint)), key).toString("base64");
  const publicKey = createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
  return { checkpoint, algorithm: "Ed25519", signature, publicKey };
}
