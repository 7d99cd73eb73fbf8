import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_FILE_BYTES, checkBlob, formatBytes, hashContent, inspectBlob } from "./content";

const utf8 = (s: string) => new TextEncoder().encode(s);
const BOM = [0xef, 0xbb, 0xbf];

describe("hashContent", () => {
  it.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  ])("hashes %j to the known SHA-256", (input, hex) => {
    expect(hashContent(utf8(input))).toBe(hex);
  });

  it("keeps a BOM in the hash, so adding one makes a new version", () => {
    const plain = utf8("# Spec\n");
    const withBom = new Uint8Array([...BOM, ...plain]);
    expect(hashContent(withBom)).not.toBe(hashContent(plain));
  });
});

describe("inspectBlob", () => {
  it("decodes UTF-8 text", () => {
    expect(inspectBlob(utf8("# Café ✓\r\n"))).toEqual({ ok: true, text: "# Café ✓\r\n" });
  });

  it("strips a leading BOM from the text only", () => {
    expect(inspectBlob(new Uint8Array([...BOM, ...utf8("# Spec")]))).toEqual({ ok: true, text: "# Spec" });
  });

  it("keeps a BOM that is not at the start", () => {
    const result = inspectBlob(new Uint8Array([...utf8("a"), ...BOM]));
    expect(result).toEqual({ ok: true, text: "a\ufeff" });
  });

  it("accepts an empty blob", () => {
    expect(inspectBlob(new Uint8Array())).toEqual({ ok: true, text: "" });
  });

  it.each<[string, Uint8Array, "binary" | "invalid-utf8"]>([
    ["a NUL byte at the start", new Uint8Array([0, 65, 66]), "binary"],
    ["a NUL byte at offset 7999", new Uint8Array([...new Uint8Array(7999).fill(65), 0]), "binary"],
    ["a PNG header", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), "binary"],
    ["Latin-1 text", new Uint8Array([0x63, 0x61, 0x66, 0xe9]), "invalid-utf8"],
    ["a truncated multi-byte sequence", utf8("✓").subarray(0, 2), "invalid-utf8"],
    ["an encoded surrogate", new Uint8Array([0xed, 0xa0, 0x80]), "invalid-utf8"],
    ["a NUL byte after the first 8000 bytes", new Uint8Array([...new Uint8Array(8000).fill(65), 0, 0xff]), "binary"],
  ])("rejects %s", (_name, bytes, reason) => {
    const result = inspectBlob(bytes);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.detail.length).toBeGreaterThan(0);
    }
  });

  it("treats a NUL byte anywhere as binary, since PostgreSQL text cannot store it", () => {
    const bytes = new Uint8Array([...new Uint8Array(8000).fill(65), 0]);
    expect(inspectBlob(bytes)).toMatchObject({ ok: false, reason: "binary", detail: expect.stringContaining("offset 8000") });
  });

  it("checkBlob hands back the bytes without a BOM, undecoded", () => {
    const result = checkBlob(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]));
    expect(result.ok && Buffer.from(result.body).toString()).toBe("hi");
  });

  it("rejects files over the default limit with a readable sentence", () => {
    const result = inspectBlob(new Uint8Array(Math.round(1.4 * 1024 * 1024)).fill(65));
    expect(result).toEqual({ ok: false, reason: "too-large", detail: "1.4 MB exceeds the 1 MB limit" });
  });

  it("accepts a file of exactly the limit and honours a custom limit", () => {
    expect(inspectBlob(new Uint8Array(DEFAULT_MAX_FILE_BYTES).fill(65)).ok).toBe(true);
    expect(inspectBlob(utf8("hello"), { maxBytes: 4 })).toEqual({
      ok: false,
      reason: "too-large",
      detail: "5 bytes exceeds the 4 bytes limit",
    });
    expect(inspectBlob(utf8("hello"), { maxBytes: 5 }).ok).toBe(true);
  });

  it("gives exact sizes when a file is only just over the limit", () => {
    const result = inspectBlob(new Uint8Array(DEFAULT_MAX_FILE_BYTES + 1));
    expect(result).toMatchObject({ reason: "too-large", detail: "1,048,577 bytes exceeds the 1 MB limit" });
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 bytes"],
    [1, "1 byte"],
    [1023, "1023 bytes"],
    [1024, "1 KB"],
    [1536, "1.5 KB"],
    [1_048_575, "1 MB"],
    [1_048_576, "1 MB"],
    [2 * 1024 ** 3, "2 GB"],
  ])("formats %d as %s", (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
