import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashEvent, type ChainedEvent } from "./chain";
import { checkpointBytes, checkCheckpointSignature, signedCheckpointSchema, verifyEventsAgainstCheckpoint, type SignedCheckpoint } from "./checkpoint";

function chain(n: number, from: ChainedEvent[] = []): ChainedEvent[] {
  const events = [...from];
  for (let i = events.length + 1; i <= n; i++) {
    const fields = {
      seq: i * 2, // sequence numbers have gaps (rolled-back appends); positions do not
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      actorId: null,
      actorLabel: "system",
      action: "test.event",
      subject: `subject:${i}`,
      payload: { i },
      prevHash: events.at(-1)?.hash ?? GENESIS_HASH,
    };
    events.push({ ...fields, hash: hashEvent(fields) });
  }
  return events;
}

/** Re-hashes every event from `index` on, as someone rewriting the log with care would. */
function rehashFrom(events: ChainedEvent[], index: number): ChainedEvent[] {
  const out = events.slice(0, index);
  for (const event of events.slice(index)) {
    const fields = { ...event, prevHash: out.at(-1)?.hash ?? GENESIS_HASH };
    out.push({ ...fields, hash: hashEvent(fields) });
  }
  return out;
}

const server = generateKeyPairSync("ed25519");
const serverPublic = createPublicKey(server.privateKey);

function checkpointOf(events: ChainedEvent[], key: KeyObject = server.privateKey): SignedCheckpoint {
  const checkpoint = { length: events.length, head: events.at(-1)?.hash ?? GENESIS_HASH, verifiedAt: "2026-12-03T08:00:00.000Z" };
  return {
    checkpoint,
    algorithm: "Ed25519",
    signature: sign(null, checkpointBytes(checkpoint), key).toString("base64"),
    publicKey: createPublicKey(key).export({ type: "spki", format: "pem" }).toString(),
  };
}

describe("verifyEventsAgainstCheckpoint", () => {
  it("accepts a log that extends the checkpoint, and one that is exactly it", () => {
    const events = chain(8);
    const saved = checkpointOf(events.slice(0, 5));
    expect(verifyEventsAgainstCheckpoint(events, saved, serverPublic)).toMatchObject({ ok: true, length: 8, head: events[7].hash, signedBy: "this server" });
    expect(verifyEventsAgainstCheckpoint(events.slice(0, 5), saved, serverPublic)).toMatchObject({ ok: true, length: 5 });
    expect(verifyEventsAgainstCheckpoint(events, checkpointOf([]), serverPublic)).toMatchObject({ ok: true });
  });

  it("says when only the checkpoint's own key vouches for it", () => {
    const events = chain(3);
    expect(verifyEventsAgainstCheckpoint(events, checkpointOf(events))).toMatchObject({ ok: true, signedBy: "the embedded key only" });
  });

  it("names a truncated tail", () => {
    const events = chain(8);
    const verdict = verifyEventsAgainstCheckpoint(events.slice(0, 6), checkpointOf(events), serverPublic);
    expect(verdict).toMatchObject({ ok: false, problem: "truncated", length: 6 });
    if (!verdict.ok) expect(verdict.reason).toBe("The log has 6 events but the checkpoint covers 8: the last 2 events were removed (a truncated tail).");
  });

  it("names an event rewritten before the checkpoint's length", () => {
    const events = chain(8);
    const saved = checkpointOf(events.slice(0, 6));
    const tampered = events.map((e, i) => (i === 3 ? { ...e, actorLabel: "mallory" } : e));
    const verdict = verifyEventsAgainstCheckpoint(tampered, saved, serverPublic);
    expect(verdict).toMatchObject({ ok: false, problem: "rewritten", brokenAt: tampered[3].seq });
    if (!verdict.ok)
      expect(verdict.reason).toMatch(
        new RegExp(`^Event ${tampered[3].seq}, within the 6 events the checkpoint covers, was rewritten: its content does not match its hash`),
      );
  });

  it("names a head mismatch when the log was rewritten and re-hashed", () => {
    const events = chain(8);
    const saved = checkpointOf(events.slice(0, 6));
    const rewritten = rehashFrom(
      events.map((e, i) => (i === 2 ? { ...e, payload: { i: 99 } } : e)),
      2,
    );
    const verdict = verifyEventsAgainstCheckpoint(rewritten, saved, serverPublic);
    expect(verdict).toMatchObject({ ok: false, problem: "head_mismatch", length: 8 });
    if (!verdict.ok) expect(verdict.reason).toMatch(/^Event number 6 of the log has hash [0-9a-f]{16}…, not the checkpoint's head/);
  });

  it("names a log broken after the checkpoint", () => {
    const events = chain(8);
    const tampered = events.map((e, i) => (i === 7 ? { ...e, subject: "x" } : e));
    expect(verifyEventsAgainstCheckpoint(tampered, checkpointOf(events.slice(0, 4)), serverPublic)).toMatchObject({
      ok: false,
      problem: "broken",
      brokenAt: events[7].seq,
    });
  });

  it("refuses a forged or edited checkpoint, and one signed by another key", () => {
    const events = chain(5);
    const saved = checkpointOf(events);
    const edited = { ...saved, checkpoint: { ...saved.checkpoint, length: 4, head: events[3].hash } };
    expect(verifyEventsAgainstCheckpoint(events, edited, serverPublic)).toMatchObject({
      ok: false,
      problem: "signature",
      reason: expect.stringMatching(/forged or edited/),
    });
    const other = generateKeyPairSync("ed25519").privateKey;
    const foreign = checkpointOf(events, other);
    expect(verifyEventsAgainstCheckpoint(events, foreign, serverPublic)).toMatchObject({
      ok: false,
      problem: "signature",
      reason: expect.stringMatching(/not signed by this server's key/),
    });
    const swapped = { ...saved, publicKey: foreign.publicKey };
    expect(checkCheckpointSignature(swapped, serverPublic)).toMatchObject({ ok: false });
    expect(checkCheckpointSignature({ ...saved, publicKey: "not a key" })).toEqual({
      ok: false,
      reason: "The checkpoint's public key is not a valid PEM key.",
    });
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(checkCheckpointSignature({ ...saved, publicKey: rsa })).toMatchObject({ ok: false, reason: expect.stringMatching(/not an Ed25519 key/) });
  });
});

describe("signedCheckpointSchema", () => {
  it.each([
    ["a negative length", { length: -1 }],
    ["a fractional length", { length: 1.5 }],
    ["a head that is not hex", { head: "z".repeat(64) }],
    ["a short head", { head: "a".repeat(63) }],
  ])("refuses %s", (_, change) => {
    const saved = checkpointOf(chain(1));
    expect(signedCheckpointSchema.safeParse({ ...saved, checkpoint: { ...saved.checkpoint, ...change } }).success).toBe(false);
  });

  it("refuses another algorithm and accepts an exported checkpoint", () => {
    const saved = checkpointOf(chain(2));
    expect(signedCheckpointSchema.safeParse({ ...saved, algorithm: "RSA" }).success).toBe(false);
    expect(signedCheckpointSchema.parse(JSON.parse(JSON.stringify(saved)))).toEqual(saved);
  });
});
