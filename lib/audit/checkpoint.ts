import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { z } from "zod";
import { GENESIS_HASH, verifyChain, type ChainCheck, type ChainedEvent } from "./chain";

/** A checkpoint as exportAuditCheckpoint writes it (GET /api/v1/audit/checkpoint). */
export const signedCheckpointSchema = z.object({
  checkpoint: z.object({
    length: z.number().int().min(0).max(2_147_483_647),
    head: z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 hash in hex"),
    verifiedAt: z.string().max(64),
  }),
  algorithm: z.literal("Ed25519"),
  signature: z.string().max(200),
  publicKey: z.string().max(2000),
});

export type SignedCheckpoint = z.infer<typeof signedCheckpointSchema>;
export type Checkpoint = SignedCheckpoint["checkpoint"];

/** The exact bytes a checkpoint's signature covers: its three fields, in this order. */
export function checkpointBytes(checkpoint: Checkpoint): Buffer {
  return Buffer.from(JSON.stringify({ length: checkpoint.length, head: checkpoint.head, verifiedAt: checkpoint.verifiedAt }));
}

export type SignatureCheck = { ok: true; signedBy: "this server" | "the embedded key only" } | { ok: false; reason: string };

/**
 * Checks the signature with the public key the checkpoint carries and, when the server has
 * a signing key, with the server's own key too: anyone can make a key pair and sign a
 * checkpoint of a log they rewrote, but only this server holds its private key.
 */
export function checkCheckpointSignature(signed: SignedCheckpoint, serverKey?: KeyObject): SignatureCheck {
  let embedded: KeyObject;
  try {
    embedded = createPublicKey(signed.publicKey);
  } catch {
    return { ok: false, reason: "The checkpoint's public key is not a valid PEM key." };
  }
  if (embedded.asymmetricKeyType !== "ed25519") return { ok: false, reason: "The checkpoint's public key is not an Ed25519 key." };
  const signature = Buffer.from(signed.signature, "base64");
  const bytes = checkpointBytes(signed.checkpoint);
  if (!verify(null, bytes, embedded, signature)) {
    return { ok: false, reason: "The checkpoint's signature does not match its contents: it was forged or edited after signing." };
  }
  if (!serverKey) return { ok: true, signedBy: "the embedded key only" };
  if (!verify(null, bytes, serverKey, signature)) {
    return { ok: false, reason: "The checkpoint was not signed by this server's key (SPECLEDGER_AUDIT_SIGNING_KEY)." };
  }
  return { ok: true, signedBy: "this server" };
}

export const CHECKPOINT_PROBLEMS = ["signature", "rewritten", "truncated", "head_mismatch", "broken"] as const;
export type CheckpointProblem = (typeof CHECKPOINT_PROBLEMS)[number];

const verdictCheckpoint = z.object({ length: z.number().int(), head: z.string(), verifiedAt: z.string() });

/** What POST /api/v1/audit/verify answers: the log extends the checkpoint, or the problem, named in a sentence. */
export const checkpointVerdict = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    length: z.number().int(),
    head: z.string(),
    checkpoint: verdictCheckpoint,
    signedBy: z.enum(["this server", "the embedded key only"]),
  }),
  z.object({
    ok: z.literal(false),
    problem: z.enum(CHECKPOINT_PROBLEMS),
    reason: z.string(),
    length: z.number().int(),
    /** The first event that does not verify, when one does not. */
    brokenAt: z.number().int().optional(),
    checkpoint: verdictCheckpoint,
  }),
]);
export type CheckpointVerdict = z.infer<typeof checkpointVerdict>;

/**
 * Whether the log, as `chain` found it from its first event to its head (with `hashAt`, the
 * hash of its checkpoint.length-th event), still extends a checkpoint whose signature
 * already verified. Each way it can fail is named in a sentence.
 */
export function judgeCheckpoint(
  chain: ChainCheck & { hashAt?: string },
  signed: SignedCheckpoint,
  signedBy: "this server" | "the embedded key only",
): CheckpointVerdict {
  const { checkpoint } = signed;
  const covered = checkpoint.length;
  if (!chain.ok) {
    if (chain.length < covered) {
      return {
        ok: false,
        problem: "rewritten",
        reason: `Event ${chain.brokenAt}, within the ${covered} events the checkpoint covers, was rewritten: ${chain.reason}.`,
        length: chain.length,
        brokenAt: chain.brokenAt,
        checkpoint,
      };
    }
    return {
      ok: false,
      problem: "broken",
      reason: `The log extends the checkpoint but is broken after it, at event ${chain.brokenAt}: ${chain.reason}.`,
      length: chain.length,
      brokenAt: chain.brokenAt,
      checkpoint,
    };
  }
  if (chain.length < covered) {
    const missing = covered - chain.length;
    return {
      ok: false,
      problem: "truncated",
      reason: `The log has ${chain.length} events but the checkpoint covers ${covered}: the last ${missing} ${missing === 1 ? "event was" : "events were"} removed (a truncated tail).`,
      length: chain.length,
      checkpoint,
    };
  }
  if (chain.hashAt !== checkpoint.head) {
    return {
      ok: false,
      problem: "head_mismatch",
      reason: `Event number ${covered} of the log has hash ${(chain.hashAt ?? "").slice(0, 16)}…, not the checkpoint's head ${checkpoint.head.slice(0, 16)}…: the log was rewritten at or before it, and re-hashed.`,
      length: chain.length,
      checkpoint,
    };
  }
  return { ok: true, length: chain.length, head: chain.head, checkpoint, signedBy };
}

/** The whole check over events in memory: signature, chain, and the checkpoint's place in it. */
export function verifyEventsAgainstCheckpoint(events: Iterable<ChainedEvent>, signed: SignedCheckpoint, serverKey?: KeyObject): CheckpointVerdict {
  const signature = checkCheckpointSignature(signed, serverKey);
  if (!signature.ok) return { ok: false, problem: "signature", reason: signature.reason, length: 0, checkpoint: signed.checkpoint };
  return judgeCheckpoint(verifyChain(events, { length: 0, head: GENESIS_HASH }, signed.checkpoint.length), signed, signature.signedBy);
}
