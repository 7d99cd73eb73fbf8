import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./secrets";

describe("secrets at rest", () => {
  const saved = process.env.SPECLEDGER_SECRET_KEY;
  beforeEach(() => void (process.env.SPECLEDGER_SECRET_KEY = "k".repeat(40)));
  afterEach(() => void (process.env.SPECLEDGER_SECRET_KEY = saved));

  it("round-trips, and never stores the plain text", () => {
    const stored = encryptSecret("ghp_token123");
    expect(stored).not.toContain("ghp_token123");
    expect(stored).not.toBe(encryptSecret("ghp_token123")); // a fresh nonce each time
    expect(decryptSecret(stored)).toBe("ghp_token123");
  });

  it("refuses a tampered value and a changed key", () => {
    const stored = encryptSecret("secret");
    const parts = stored.split(".");
    parts[3] = Buffer.from("other!").toString("base64url");
    expect(() => decryptSecret(parts.join("."))).toThrow(/cannot be decrypted/);
    process.env.SPECLEDGER_SECRET_KEY = "z".repeat(40);
    expect(() => decryptSecret(stored)).toThrow(/cannot be decrypted/);
    expect(() => decryptSecret("plain")).toThrow(/known format/);
  });

  it("refuses to encrypt without a key of at least 32 characters", () => {
    process.env.SPECLEDGER_SECRET_KEY = "short";
    expect(() => encryptSecret("x")).toThrow(/SPECLEDGER_SECRET_KEY/);
    delete process.env.SPECLEDGER_SECRET_KEY;
    expect(() => encryptSecret("x")).toThrow(/SPECLEDGER_SECRET_KEY/);
  });
});
