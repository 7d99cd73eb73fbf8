// Secrets Specledger must be able to read back (a webhook's HMAC secret), encrypted at rest
// with AES-256-GCM under SPECLEDGER_SECRET_KEY (docs/decisions/023-github-webhooks.md).
// Stored form: "v1:<iv>:<tag>:<ciphertext>", each part base64url; the version lets the
// format or the key change later without guessing.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;

/** The 32-byte key from `value` (64 hex digits or base64/base64url of 32 bytes); throws when it is not one. */
export function parseSecretKey(value: string | undefined): Buffer {
  const text = (value ?? "").trim();
  if (!text) throw new Error("SPECLEDGER_SECRET_KEY is not set: secrets cannot be stored or read (npm start generates one; set it in production).");
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64url");
  if (key.length !== 32) throw new Error("SPECLEDGER_SECRET_KEY must be 32 bytes: 64 hex digits or base64 of 32 bytes.");
  return key;
}

/** Encrypts `plaintext` with a fresh random IV; the result names its format version. */
export function encryptSecret(plaintext: string, key: Buffer = parseSecretKey(process.env.SPECLEDGER_SECRET_KEY)): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(":");
}

/** Decrypts what encryptSecret wrote; throws when it was tampered with or the key differs. */
export function decryptSecret(stored: string, key: Buffer = parseSecretKey(process.env.SPECLEDGER_SECRET_KEY)): string {
  const parts = stored.split(":");
  if (parts.length !== 4 || parts[0] !== "v1") throw new Error("Not an encrypted secret this version can read.");
  const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, "base64url"));
  if (iv.length !== IV_BYTES || tag.length !== 16) throw new Error("Not an encrypted secret this version can read.");
  const decipher = createDecipheriv(ALGORITHM, key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
}
