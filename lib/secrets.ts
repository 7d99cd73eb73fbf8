import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";

// Secrets at rest (repository credentials): AES-256-GCM under a key derived from
// SPECLEDGER_SECRET_KEY. A stored secret is "v1.<iv>.<tag>.<ciphertext>" in base64url; the
// tag makes a tampered or wrongly keyed value fail to decrypt instead of decrypting to junk.

function secretKey(): Buffer {
  const raw = process.env.SPECLEDGER_SECRET_KEY ?? "";
  if (raw.length < 32) {
    throw new AppError("unavailable", "The server cannot store credentials: set SPECLEDGER_SECRET_KEY to at least 32 random characters.");
  }
  return createHash("sha256").update(raw).digest();
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secretKey(), iv);
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

export function decryptSecret(stored: string): string {
  const [version, iv, tag, ciphertext] = stored.split(".");
  if (version !== "v1" || !iv || !tag || ciphertext === undefined) throw new Error("The stored secret is not in a known format.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", secretKey(), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new Error("The stored secret cannot be decrypted: was SPECLEDGER_SECRET_KEY changed?");
  }
}
