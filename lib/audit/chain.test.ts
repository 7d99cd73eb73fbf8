import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalJson, hashEvent, verifyChain, type ChainedEvent } from "./chain";

function chain(n: number): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields = {
      seq: i,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      actorId: i % 2 ? "user-1" : null,
      actorLabel: i % 2 ? "Ada" : "system",
      action: "repository.added",
      subject: `repository:${i}`,
      payload: { n: i, nested: { b: 2, a: [1, { z: 1, y: 2 }] } },
      prevHash: prev,
    };
    const event = { ...fields, hash: hashEvent(fields) };
    events.push(event);
    prev = event.hash;
  }
  return events;
}

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"e":2,"f":1}]},"b":1}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });
});

describe("verifyChain", () => {
  it("reports the hash of the watched position, across pages, and the genesis hash for 0", () => {
    const events = chain(6);
    expect(verifyChain(events, undefined, 4).hashAt).toBe(events[3].hash);
    expect(verifyChain(events, undefined, 0).hashAt).toBe(GENESIS_HASH);
    expect(verifyChain(events, undefined, 7).hashAt).toBeUndefined();
    const first = verifyChain(events.slice(0, 3), undefined, 5);
    expect(first.hashAt).toBeUndefined();
    expect(first.ok && verifyChain(events.slice(3), first, 5).hashAt).toBe(events[4].hash);
  });

  it("accepts an intact chain and reports its length and head", () => {
    const events = chain(5);
    expect(verifyChain(events)).toEqual({ ok: true, length: 5, head: events[4].hash });
    expect(verifyChain([])).toEqual({ ok: true, length: 0, head: GENESIS_HASH });
  });

  it("continues from a checkpoint, page by page", () => {
    const events = chain(6);
    const first = verifyChain(events.slice(0, 3));
    expect(first.ok).toBe(true);
    if (first.ok) expect(verifyChain(events.slice(3), first)).toEqual({ ok: true, length: 6, head: events[5].hash });
  });

  it.each([
    ["a changed payload", (e: ChainedEvent[]) => (e[2] = { ...e[2], payload: { n: 99 } }), 3, /content/],
    ["a changed actor", (e: ChainedEvent[]) => (e[1] = { ...e[1], actorLabel: "Mallory" }), 2, /content/],
    ["a changed time", (e: ChainedEvent[]) => (e[3] = { ...e[3], occurredAt: new Date(0) }), 4, /content/],
    ["a removed event", (e: ChainedEvent[]) => e.splice(2, 1), 4, /previous hash/],
    [
      "a re-hashed forgery",
      (e: ChainedEvent[]) => {
        const forged = { ...e[1], payload: { forged: true } };
        e[1] = { ...forged, hash: hashEvent(forged) };
      },
      3,
      /previous hash/,
    ],
  ])("names the first broken event after %s", (_name, tamper, brokenAt, reason) => {
    const events = chain(5);
    tamper(events);
    const result = verifyChain(events);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.brokenAt).toBe(brokenAt);
      expect(result.reason).toMatch(reason);
    }
  });
});
