import { createHash } from "node:crypto";

/** SHA-256 of the exact bytes git stores, so a BOM or CRLF change is a new version. */
export function hashContent(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export const DEFAULT_MAX_FILE_BYTES = 1_048_576;

export type BlobInspection =
  | { ok: true; text: string }
  | { ok: false; reason: "binary" | "too-large" | "invalid-utf8"; detail: string };

// Git's own heuristic (buffer_is_binary): a NUL byte in the first 8000 bytes.
const BINARY_SNIFF_BYTES = 8000;

/** Decides whether a blob can be stored and shown as a text document, and decodes it if so. */
export function inspectBlob(bytes: Uint8Array, opts: { maxBytes?: number } = {}): BlobInspection {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (bytes.length > maxBytes) {
    let size = formatBytes(bytes.length);
    const limit = formatBytes(maxBytes);
    // Just over the limit both round alike ("1 MB exceeds the 1 MB limit"); exact bytes make the sentence true.
    if (size === limit) size = `${bytes.length.toLocaleString("en-US")} bytes`;
    return { ok: false, reason: "too-large", detail: `${size} exceeds the ${limit} limit` };
  }
  const nul = bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0);
  if (nul !== -1) {
    return { ok: false, reason: "binary", detail: `Binary file: it contains a NUL byte at offset ${nul}` };
  }
  try {
    // ignoreBOM keeps a leading BOM in the output, so it is stripped explicitly below.
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    return { ok: false, reason: "invalid-utf8", detail: "Not valid UTF-8 text (another encoding, or a binary file)" };
  }
}

/** Human-readable size in binary units, e.g. 1.4 MB, 512 KB, 12 bytes. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} ${n === 1 ? "byte" : "bytes"}`;
  const units = ["KB", "MB", "GB"];
  let unit = 0;
  // One decimal place is enough to tell 1.4 MB from the 1 MB limit; whole numbers drop the ".0".
  let rounded = Math.round((n / 1024) * 10) / 10;
  while (rounded >= 1024 && unit < units.length - 1) {
    unit++;
    rounded = Math.round((n / 1024 ** (unit + 1)) * 10) / 10;
  }
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} ${units[unit]}`;
}
