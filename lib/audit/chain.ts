import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export interface ChainedFields {
  seq: number;
  occurredAt: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  subject: string;
  payload: unknown;
  prevHash: string;
}

export interface ChainedEvent extends ChainedFields {
  hash: string;
}

/** JSON with object keys sorted at every level, so equal data always hashes alike. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** SHA-256 over the canonical form of every field but the hash itself. */
export function hashEvent(event: ChainedFields): string {
  return createHash("sha256")
    .update(
      canonicalJson({
        seq: event.seq,
        occurredAt: event.occurredAt.toISOString(),
        actorId: event.actorId,
        actorLabel: event.actorLabel,
        action: event.action,
        subject: event.subject,
        payload: event.payload,
        prevHash: event.prevHash,
      }),
    )
    .digest("hex");
}

export type ChainCheck = { ok: true; length: number; head: string } | { ok: false; length: number; brokenAt: number; reason: string };

/**
 * Checks events in order, continuing from `state` (so a long chain can be checked in
 * pages). Names the first event whose hash, link or sequence is wrong. With `watch`, also
 * reports `hashAt`: the hash of the watch-th event (GENESIS_HASH for 0) when this call
 * passes it, which is how a checkpoint's head is compared.
 */
export function verifyChain(events: Iterable<ChainedEvent>, state = { length: 0, head: GENESIS_HASH }, watch?: number): ChainCheck & { hashAt?: string } {
  let { length, head } = state;
  const seen = watch !== undefined && watch === length ? { hashAt: head } : {};
  for (const event of events) {
    if (event.seq <= 0) return { ok: false, length, brokenAt: event.seq, reason: "invalid sequence number", ...seen };
    if (event.prevHash !== head) {
      return { ok: false, length, brokenAt: event.seq, reason: "its previous hash does not match the event before it", ...seen };
    }
    if (hashEvent(event) !== event.hash) {
      return { ok: false, length, brokenAt: event.seq, reason: "its content does not match its hash", ...seen };
    }
    head = event.hash;
    length++;
    if (length === watch) Object.assign(seen, { hashAt: head });
  }
  return { ok: true, length, head, ...seen };
}
