import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import baseX from "base-x";

// Token format: "sl_" + 33 base62 characters of 192 random bits + a 6-character base62
// CRC32 of everything before it. The checksum lets a typo or a truncated paste be refused
// before any database lookup, and lets secret scanners recognise Specledger tokens.

export const TOKEN_PREFIX = "sl_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const base62 = baseX(ALPHABET);
const BODY_LENGTH = 33; // 62^33 > 2^192
const CHECK_LENGTH = 6; // 62^6 > 2^32
export const TOKEN_LENGTH = TOKEN_PREFIX.length + BODY_LENGTH + CHECK_LENGTH;
const SHAPE = new RegExp(`^${TOKEN_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECK_LENGTH}}$`);

const pad = (text: string, length: number) => text.padStart(length, ALPHABET[0]);

function checksum(head: string): string {
  const value = crc32(Buffer.from(head, "ascii")) >>> 0;
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return pad(base62.encode(bytes), CHECK_LENGTH);
}

/** A new random token. */
export function generateToken(): string {
  const head = TOKEN_PREFIX + pad(base62.encode(randomBytes(24)), BODY_LENGTH);
  return head + checksum(head);
}

/** Why a string is not a well-formed token, or null when it is one. */
export function tokenFormatError(token: string): string | null {
  if (!token.startsWith(TOKEN_PREFIX)) return `A Specledger token starts with ${TOKEN_PREFIX}.`;
  if (!SHAPE.test(token)) return `A Specledger token is ${TOKEN_LENGTH} characters: ${TOKEN_PREFIX} and letters and digits.`;
  const head = token.slice(0, -CHECK_LENGTH);
  if (checksum(head) !== token.slice(-CHECK_LENGTH)) return "The token's checksum does not match: it was mistyped or cut short.";
  return null;
}

/** What the database stores instead of the token. */
export function tokenDigest(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** What lists show: enough to recognise a token, far too little to use it. */
export function tokenDisplayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 8);
}
