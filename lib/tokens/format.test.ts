import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TOKEN_LENGTH, TOKEN_PREFIX, generateToken, tokenDigest, tokenDisplayPrefix, tokenFormatError } from "./format";

describe("token format", () => {
  it("generates well-formed, distinct tokens with at least 160 random bits", () => {
    const tokens = Array.from({ length: 2000 }, generateToken);
    for (const token of tokens) {
      expect(token).toHaveLength(TOKEN_LENGTH);
      expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
      expect(tokenFormatError(token)).toBeNull();
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    // 192 random bits: the body spreads over (almost) every one of its 33 characters.
    const firstBodyChars = new Set(tokens.map((t) => t[TOKEN_PREFIX.length]));
    expect(firstBodyChars.size).toBeGreaterThan(1);
  });

  it("rejects any single-character change (property)", () => {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    fc.assert(
      fc.property(fc.integer({ min: TOKEN_PREFIX.length, max: TOKEN_LENGTH - 1 }), fc.integer({ min: 1, max: 61 }), (position, shift) => {
        const token = generateToken();
        const replaced = alphabet[(alphabet.indexOf(token[position]) + shift) % 62];
        const typo = token.slice(0, position) + replaced + token.slice(position + 1);
        return tokenFormatError(typo) !== null;
      }),
      { numRuns: 2000 },
    );
  });

  it("rejects swapped neighbours, truncation, extra characters and other prefixes (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: TOKEN_PREFIX.length, max: TOKEN_LENGTH - 2 }), (i) => {
        const token = generateToken();
        if (token[i] === token[i + 1]) return true;
        const swapped = token.slice(0, i) + token[i + 1] + token[i] + token.slice(i + 2);
        return tokenFormatError(swapped) !== null;
      }),
      { numRuns: 1000 },
    );
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (junk) => junk === "" || tokenFormatError(junk) !== null || junk.length === TOKEN_LENGTH));
    const token = generateToken();
    expect(tokenFormatError(token.slice(0, -1))).toMatch(/characters/);
    expect(tokenFormatError(token + "a")).toMatch(/characters/);
    expect(tokenFormatError("gh_" + token.slice(3))).toMatch(/starts with sl_/);
  });

  it("stores a digest and shows a prefix that do not reveal the token", () => {
    const token = generateToken();
    expect(tokenDigest(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenDigest(token)).toBe(tokenDigest(token));
    expect(tokenDigest(generateToken())).not.toBe(tokenDigest(token));
    expect(tokenDisplayPrefix(token)).toBe(token.slice(0, 11));
    expect(tokenFormatError(tokenDisplayPrefix(token))).not.toBeNull();
  });
});
