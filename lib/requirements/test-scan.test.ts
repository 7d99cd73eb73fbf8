import { describe, expect, it } from "vitest";
import {
  featureQualifiers,
  GrepMentionParser,
  isTestPath,
  linkStatus,
  mentionsInLine,
  parseGrepOutput,
  MAX_LINE_BYTES,
  MAX_MENTIONS_PER_FILE,
} from "./test-scan";

describe("isTestPath", () => {
  it("recognises test files and refuses spec documents and sources", () => {
    for (const p of [
      "src/a.test.ts",
      "pkg/a_test.go",
      "tests/test_login.py",
      "test_login.py",
      "src/__tests__/x.js",
      "e2e/login.spec.ts",
      "tests/helpers/db.py",
    ]) {
      expect(isTestPath(p), p).toBe(true);
    }
    for (const p of ["specs/001-checkout/spec.md", "tests/README.md", "src/login.ts", "docs/api.spec.md", "src/latest.ts"]) {
      expect(isTestPath(p), p).toBe(false);
    }
  });
});

describe("mentionsInLine", () => {
  it("calls @req an annotation and any other id a mention, once per id", () => {
    expect(mentionsInLine("a.test.ts", 3, "// @req FR-001 FR-002")).toEqual([
      { path: "a.test.ts", line: 3, key: "FR-001", how: "annotation", feature: "" },
      { path: "a.test.ts", line: 3, key: "FR-002", how: "annotation", feature: "" },
    ]);
    expect(mentionsInLine("a.test.ts", 4, 'it("FR-003 rejects an empty cart (FR-003)")')).toEqual([
      { path: "a.test.ts", line: 4, key: "FR-003", how: "mention", feature: "" },
    ]);
    expect(mentionsInLine("a.test.ts", 5, "const x = 1;")).toEqual([]);
  });
});

describe("parseGrepOutput", () => {
  it("reads git grep -z -n records over a tree and skips malformed ones", () => {
    const out = [
      "abc:src/a.test.ts\u00007\u0000it('REQ-12 expires', () => {",
      "garbage",
      "abc:b_test.go\u0000x\u0000REQ-1",
      "abc:odd:name.test.ts\u00001\u0000// @req SC-001",
    ].join("\n");
    expect(parseGrepOutput(out, "abc")).toEqual([
      { path: "src/a.test.ts", line: 7, key: "REQ-12", how: "mention", feature: "" },
      { path: "odd:name.test.ts", line: 1, key: "SC-001", how: "annotation", feature: "" },
    ]);
  });

  it("keeps at most MAX_MENTIONS_PER_FILE mentions of one file", () => {
    const out = Array.from({ length: MAX_MENTIONS_PER_FILE + 10 }, (_, i) => `h:t.test.ts\u0000${i + 1}\u0000FR-${i}`).join("\n");
    expect(parseGrepOutput(out, "h")).toHaveLength(MAX_MENTIONS_PER_FILE);
  });
});

describe("feature-qualified ids", () => {
  it("reads a feature folder or a trailing part of its path before the id, and a bare id as unqualified", () => {
    expect(mentionsInLine("a.test.ts", 1, "// @req specs/001-login:FR-001 002-cart:FR-001 FR-002 x:FR-")).toEqual([
      { path: "a.test.ts", line: 1, key: "FR-001", how: "annotation", feature: "specs/001-login" },
      { path: "a.test.ts", line: 1, key: "FR-001", how: "annotation", feature: "002-cart" },
      { path: "a.test.ts", line: 1, key: "FR-002", how: "annotation", feature: "" },
    ]);
    expect(mentionsInLine("a.test.ts", 2, 'it("XFR-001 and ./specs/001-login/:SC-1")')).toEqual([
      { path: "a.test.ts", line: 2, key: "SC-1", how: "mention", feature: "specs/001-login" },
    ]);
  });

  it("lists the qualifiers a spec answers to: bare, its folder, and each trailing part of the folder", () => {
    expect(featureQualifiers("specs/001-login/spec.md")).toEqual(["", "specs/001-login", "001-login"]);
    expect(featureQualifiers("spec.md")).toEqual([""]);
  });
});

describe("GrepMentionParser", () => {
  it("reads records split anywhere across chunks", () => {
    const out = Buffer.from("abc:a.test.ts\u00003\u0000// @req FR-001\nabc:b.test.ts\u000012\u0000it('REQ-7')\n");
    for (const size of [1, 2, 5, 17]) {
      const parser = new GrepMentionParser("abc");
      const found = [];
      for (let i = 0; i < out.length; i += size) found.push(...parser.push(out.subarray(i, i + size)));
      found.push(...parser.end());
      expect(found, `chunks of ${size}`).toEqual([
        { path: "a.test.ts", line: 3, key: "FR-001", how: "annotation", feature: "" },
        { path: "b.test.ts", line: 12, key: "REQ-7", how: "mention", feature: "" },
      ]);
    }
  });

  it("holds at most MAX_LINE_BYTES of a huge one-line file while finding the ids at its start", () => {
    const parser = new GrepMentionParser("h");
    const found = parser.push(Buffer.from("h:fixtures/bundle.test.js\u00001\u0000/* FR-001 */"));
    let peak = 0;
    const filler = Buffer.alloc(64 * 1024, "x");
    // 8 MB of one line, then an id no reader of the first kilobytes would see, then the next record.
    for (let i = 0; i < 128; i++) {
      found.push(...parser.push(filler));
      peak = Math.max(peak, parser.heldBytes);
    }
    found.push(...parser.push(Buffer.from("FR-999\nh:a.test.ts\u00002\u0000// @req SC-002\n")), ...parser.end());
    expect(peak).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(found).toEqual([
      { path: "fixtures/bundle.test.js", line: 1, key: "FR-001", how: "mention", feature: "" },
      { path: "a.test.ts", line: 2, key: "SC-002", how: "annotation", feature: "" },
    ]);
  });
});

describe("linkStatus", () => {
  const at = (s: string) => new Date(s);
  it("is unverified without tests, suspect when the requirement changed after every test, verified otherwise", () => {
    expect(linkStatus(at("2026-01-02"), [])).toBe("unverified");
    expect(linkStatus(at("2026-01-02"), [at("2026-01-01")])).toBe("suspect");
    expect(linkStatus(at("2026-01-02"), [at("2026-01-01"), at("2026-01-03")])).toBe("verified");
  });
});
