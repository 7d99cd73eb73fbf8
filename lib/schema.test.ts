import { describe, expect, it } from "vitest";
import { z } from "zod";
import { hasUnstorableCharacters, idString, MAX_INT4, positiveInt, positiveIntString, storable, text, timestamp } from "./schema";

describe("text()", () => {
  it.each(["", "café", "emoji 😀", "line\nbreak"])("accepts %j", (s) => expect(text().safeParse(s).success).toBe(true));
  it.each(["\u0000", "a\u0000b", "\ud800", "x\udc00", "\udc00\ud800"])("refuses %j", (s) => {
    expect(hasUnstorableCharacters(s)).toBe(true);
    expect(text().safeParse(s).success).toBe(false);
  });
});

describe("storable()", () => {
  it("adds the check to other string formats", () => {
    const url = storable(z.url());
    expect(url.safeParse("https://ci.example/jobs/1").success).toBe(true);
    expect(url.safeParse("https://ci.example/\u0000").success).toBe(false);
  });
});

describe("idString()", () => {
  it.each(["abc", "cl9x-1_2.3"])("accepts %j", (s) => expect(idString().safeParse(s).success).toBe(true));
  it.each(["", " ", "a b", "\u0000", "é", "x".repeat(101)])("refuses %j", (s) => expect(idString().safeParse(s).success).toBe(false));
});

describe("positiveIntString()", () => {
  it.each([
    ["1", 1],
    ["16", 16],
    ["2147483647", MAX_INT4],
    [42, 42],
  ])("reads %j as %d", (v, n) => expect(positiveIntString().parse(v)).toBe(n));
  it.each(["0x10", "+1", "01", " 1", "1 ", "-1", "0", "1e3", "1.5", "", "2147483648", "99999999999", 0, -1, 1.5, 2 ** 31, Number.NaN])("refuses %j", (v) =>
    expect(positiveIntString().safeParse(v).success).toBe(false),
  );
  it("takes a smaller maximum", () => {
    expect(positiveIntString(200).safeParse("200").success).toBe(true);
    expect(positiveIntString(200).safeParse("201").success).toBe(false);
    expect(positiveIntString(200).safeParse(201).success).toBe(false);
  });
});

describe("positiveInt()", () => {
  it("fits PostgreSQL's integer", () => {
    expect(positiveInt().safeParse(MAX_INT4).success).toBe(true);
    expect(positiveInt().safeParse(MAX_INT4 + 1).success).toBe(false);
    expect(positiveInt().safeParse("1").success).toBe(false);
  });
});

describe("timestamp()", () => {
  it.each(["2026-11-24T12:00:00Z", "2026-11-24T12:00:00.123+01:00", "1970-01-01T00:00:00Z", "8999-12-31T23:59:59Z"])("accepts %j", (s) =>
    expect(timestamp().safeParse(s).success).toBe(true),
  );
  it.each(["0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "9000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-11-24T12:00:00", "2026-11-24", "yesterday"])(
    "refuses %j",
    (s) => expect(timestamp().safeParse(s).success).toBe(false),
  );
});
