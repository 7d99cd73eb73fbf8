import { z } from "zod";

// Input types shared by every boundary (API bodies, path and query parameters, forms, CLI
// arguments). PostgreSQL refuses the NUL character in text and jsonb, and lone UTF-16
// surrogates cannot be encoded as UTF-8: both are refused here with a clear message instead
// of failing in the database.

/** Whether `s` holds a NUL or a lone surrogate. */
export function hasUnstorableCharacters(s: string): boolean {
  return s.includes("\u0000") || !s.isWellFormed();
}

/** Refuses what PostgreSQL cannot store, on any string schema (e.g. `z.url()`). */
export const storable = <T extends z.ZodType<string>>(schema: T) =>
  schema.refine((s) => !hasUnstorableCharacters(s), "Text cannot contain the NUL character or unpaired UTF-16 surrogates.");

/** A string PostgreSQL can store. */
export const text = () =>
  z
    .string()
    .refine((s) => !s.includes("\u0000"), "Text cannot contain the NUL character.")
    .refine((s) => s.isWellFormed(), "Text cannot contain unpaired UTF-16 surrogates.");

/** An id in a path or body: printable, at most 100 characters. */
export const idString = () =>
  z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\x21-\x7e]+$/, "An id is printable ASCII without spaces.");

/** The largest integer PostgreSQL's `integer` holds: bigger numbers are refused, not overflowed. */
export const MAX_INT4 = 2_147_483_647;

/**
 * A positive integer as written in a URL or form: digits only, no sign, no leading zeros,
 * no hex, at most `max` (MAX_INT4 by default; `0x10`, `+1`, `01` and ` 1` are refused).
 * A JSON number is accepted too, when it is a whole number in range.
 */
export const positiveIntString = (max = MAX_INT4) =>
  z.union([z.number().int().min(1).max(max), z.string().regex(/^[1-9][0-9]{0,9}$/, `Expected a whole number from 1 to ${max}.`)]).transform((v, ctx) => {
    const n = Number(v);
    if (n > max) {
      ctx.addIssue({ code: "custom", message: `Expected a whole number from 1 to ${max}.` });
      return z.NEVER;
    }
    return n;
  });

/** A positive JSON integer that fits PostgreSQL's `integer`. */
export const positiveInt = () => z.number().int().min(1).max(MAX_INT4);

/** An ISO 8601 time with an offset, from the year 1970 up to (not including) 9000: pages and clients can always render it. */
export const timestamp = () =>
  z.iso.datetime({ offset: true, message: "A time is an ISO 8601 timestamp, e.g. 2026-11-24T12:00:00Z." }).refine((s) => {
    const year = new Date(s).getUTCFullYear();
    return year >= 1970 && year < 9000;
  }, "The time must fall between the years 1970 and 9000.");
