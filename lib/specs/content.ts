import { isUtf8 } from "node:buffer";
import { hash } from "node:crypto";
import { formatBytes } from "./format";

export { formatBytes };

/** SHA-256 of the exact bytes git stores, so a BOM or CRLF change is a new version. */
export function hashContent(bytes: Uint8Array): string {
  return hash("sha256", bytes, "hex");
}

export const DEFAULT_MAX_FILE_BYTES = 1_048_576;

export type BlobInspection = { ok: true; text: string } | { ok: false; reason: "binary" | "too-large" | "invalid-utf8"; detail: string };

export type BlobCheck = { ok: true; body: Uint8Array } | { ok: false; reason: "binary" | "too-large" | "invalid-utf8"; detail: string };

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Decides whether a blob can be stored and shown as a text document without decoding it
 * (the importer streams the bytes on). `body` is the bytes without a leading UTF-8 BOM.
 * Any NUL byte makes a blob binary: git sniffs only the first 8000 bytes, but PostgreSQL
 * text cannot hold NUL at all.
 */
export function checkBlob(bytes: Uint8Array, opts: { maxBytes?: number } = {}): BlobCheck {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (bytes.length > maxBytes) {
    let size = formatBytes(bytes.length);
    const limit = formatBytes(maxBytes);
    // Just over the limit both round alike ("1 MB exceeds the 1 MB limit"); exact bytes make the sentence true.
    if (size === limit) size = `${bytes.length.toLocaleString("en-US")} bytes`;
    return { ok: false, reason: "too-large", detail: `${size} exceeds the ${limit} limit` };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { ok: false, reason: "binary", detail: `Binary file: it contains a NUL byte at offset ${nul}` };
  }
  if (!isUtf8(bytes)) {
    return { ok: false, reason: "invalid-utf8", detail: "Not valid UTF-8 text (another encoding, or a binary file)" };
  }
  const bom = bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
  return { ok: true, body: bom ? bytes.subarray(3) : bytes };
}

/** Decides whether a blob can be stored and shown as a text document, and decodes it if so. */
export function inspectBlob(bytes: Uint8Array, opts: { maxBytes?: number } = {}): BlobInspection {
  const checked = checkBlob(bytes, opts);
  if (!checked.ok) return checked;
  return { ok: true, text: new TextDecoder("utf-8").decode(checked.body) };
}
