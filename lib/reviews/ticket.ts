import { z } from "zod";
import { idString } from "@/lib/schema";

// "No ticket, no spec change": issue keys are PREFIX-123 for configured prefixes only. Accepting
// prefixes instead of a free regular expression means no pattern can backtrack catastrophically.

export const ticketPolicySchema = z
  .object({
    prefixes: z
      .array(z.string().regex(/^[A-Z][A-Z0-9_]{0,19}$/, "A prefix is upper-case letters, digits or _ (at most 20), starting with a letter, e.g. ABC."))
      .min(1)
      .max(20),
    urlTemplate: z
      .url({ protocol: /^https?$/, message: "The URL template is an http(s) URL." })
      .max(500)
      .refine((u) => u.includes("{key}"), "The URL template contains {key}, e.g. https://tracker.example/browse/{key}."),
  })
  .strict();
export type TicketPolicy = z.output<typeof ticketPolicySchema>;

export const ticketPolicyInput = z.object({ repositoryId: idString(), policy: ticketPolicySchema.nullable() }).strict();

/** The first issue key (PREFIX-123) in the text for one of the prefixes, or null. */
export function findTicketKey(text: string, prefixes: readonly string[]): string | null {
  const allowed = prefixes.filter((p) => /^[A-Z][A-Z0-9_]{0,19}$/.test(p));
  if (allowed.length === 0) return null;
  const match = new RegExp(`(?<![A-Za-z0-9_])(?:${allowed.join("|")})-[1-9][0-9]{0,9}(?![0-9])`).exec(text);
  return match ? match[0] : null;
}

/** The tracker link for a key: the template with {key} replaced (the key is letters, digits, _ and -). */
export function ticketUrl(template: string, key: string): string {
  return template.replaceAll("{key}", encodeURIComponent(key));
}

/** The prefixes typed in a form ("ABC, OPS" or one a line) as a list; the schema judges each one. */
export function parsePrefixes(typed: string): string[] {
  return typed
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
}
