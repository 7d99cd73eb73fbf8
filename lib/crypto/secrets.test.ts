import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, parseSecretKey } from "./secrets";

const key = randomBytes(32);

describe("encryptSecret / decryptSecret", () => {
  it("round-trips, with a fresh IV each time", () => {
    const a = encryptSecret("hunter2 ü", key);
    const b = encryptSecret("hunter2 ü", key);
    expect(a).not.toBe(b);
    expect(a).not.toContain("hunter2");
    expect(decryptSecret(a, key)).toBe("hunter2 ü");
  });

  it("refuses a tampered ciphertext, another key and a foreign format", () => {
    const stored = encryptSecret("s3cret", key);
    const [v, iv, tag, ct] = stored.split(":");
    const flipped = Buffer.from(ct, "base64url");
    flipped[0] ^= 1;
    expect(() => decryptSecret([v, iv, tag, flipped.toString("base64url")].join(":"), key)).toThrow();
    expect(() => decryptSecret(stored, randomBytes(32))).toThrow();
    expect(() => decryptSecret("s3cret", key)).toThrow(/encrypted secret/);
    expect(() => decryptSecret(`v2:${iv}:${tag}:${ct}`, key)).toThrow(/encrypted secret/);
  });
});

describe("parseSecretKey", () => {
  it("takes 64 hex digits or base64 of 32 bytes", () => {
    expect(parseSecretKey(key.toString("hex")).equals(key)).toBe(true);
    expect(parseSecretKey(key.toString("base64url")).equals(key)).toBe(true);
    expect(parseSecretKey(key.toString("base64")).equals(key)).toBe(true);
  });

  it("refuses a missing or short key (fails closed)", () => {
    expect(() => parseSecretKey(undefined)).toThrow(/not set/);
    expect(() => parseSecretKey("  ")).toThrow(/not set/);
    expect(() => parseSecretKey(randomBytes(16).toString("hex"))).toThrow(/32 bytes/);
  });
});
