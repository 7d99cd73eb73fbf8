import { describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto/secrets";
import { openCredential, sealCredential } from "./credential";

describe("sealCredential and openCredential", () => {
  const key = Buffer.alloc(32, 7);

  it("round-trips both kinds, and reads rows from before SSH keys as https", () => {
    process.env.SPECLEDGER_SECRET_KEY ??= "a".repeat(64);
    const ssh = { kind: "ssh" as const, privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n", knownHosts: "h ssh-ed25519 AAAA" };
    expect(openCredential(sealCredential(ssh))).toEqual(ssh);
    expect(openCredential(encryptSecret(JSON.stringify({ username: "bob", password: "tok" })))).toEqual({ kind: "https", username: "bob", password: "tok" });
  });

  it("never quotes the decrypted text when it is not a credential", () => {
    const sealed = encryptSecret("not-json-secret-value", key);
    const saved = process.env.SPECLEDGER_SECRET_KEY;
    process.env.SPECLEDGER_SECRET_KEY = key.toString("hex");
    try {
      expect(() => openCredential(sealed)).toThrow(/not in a form this version reads/);
      expect(() => openCredential(sealed)).not.toThrow(/not-json-secret-value/);
    } finally {
      process.env.SPECLEDGER_SECRET_KEY = saved;
    }
  });
});
