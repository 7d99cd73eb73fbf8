import { z } from "zod";
import type { Prisma } from "@/lib/db";
import { positiveIntString, text } from "@/lib/schema";

export const AUDIT_PAGE_SIZE = 50;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "A day is YYYY-MM-DD.")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "Not a calendar day.")
  .refine((s) => s >= "1970-01-01" && s < "9000-01-01", "The day must fall between the years 1970 and 9000.");

/** The audit log's filters, shared by the page and the JSON Lines export. */
export const auditQuerySchema = z.object({
  actor: text().max(200).optional().describe("Events by this actor (their email or 'system'; exact)."),
  action: text().max(100).optional().describe("Events of this type, e.g. repository.archived; a prefix ending in '.' matches a family (repository.)."),
  target: text().max(200).optional().describe("Events about this subject (kind:id, exact) or every subject of a kind (kind, e.g. repository)."),
  since: day.optional().describe("On or after this day (UTC)."),
  until: day.optional().describe("On or before this day (UTC)."),
  before: positiveIntString().optional().describe("Events older than this sequence number (the next page)."),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

/** The Prisma filter of an audit query, before paging. */
export function auditWhere(query: Partial<AuditQuery>): Prisma.AuditEventWhereInput {
  const occurredAt: Prisma.DateTimeFilter = {};
  if (query.since) occurredAt.gte = new Date(`${query.since}T00:00:00Z`);
  if (query.until) occurredAt.lt = new Date(new Date(`${query.until}T00:00:00Z`).getTime() + 86_400_000);
  return {
    ...(query.actor ? { actorLabel: query.actor } : {}),
    ...(query.action ? (query.action.endsWith(".") ? { action: { startsWith: query.action } } : { action: query.action }) : {}),
    ...(query.target ? (query.target.includes(":") ? { subject: query.target } : { subject: { startsWith: `${query.target}:` } }) : {}),
    ...(query.since || query.until ? { occurredAt } : {}),
  };
}

export function isFiltered(query: Partial<AuditQuery>): boolean {
  return Boolean(query.actor || query.action || query.target || query.since || query.until);
}

/** A run of sequence numbers between two listed events, newest first as the page lists them. */
export interface SeqGap {
  /** The listed event after the gap (higher seq) and before it (lower seq). */
  after: number;
  before: number;
}

/** Where consecutive listed events (newest first) skip sequence numbers. */
export function seqGaps(seqs: readonly number[]): SeqGap[] {
  const gaps: SeqGap[] = [];
  for (let i = 1; i < seqs.length; i++) if (seqs[i - 1] - seqs[i] > 1) gaps.push({ after: seqs[i - 1], before: seqs[i] });
  return gaps;
}

/**
 * Why a gap is there: `hidden` events lie in it that the filters leave out; the rest of the
 * numbers were never used (a transaction that took a number rolled back; the hash chain has
 * no hole, since each event names the previous event's hash).
 */
export function explainGap(gap: SeqGap, hidden: number): string {
  const missing = gap.after - gap.before - 1;
  const range = missing === 1 ? `#${gap.before + 1}` : `#${gap.before + 1}–#${gap.after - 1}`;
  const unused = missing - hidden;
  const parts = [
    hidden > 0 ? `${hidden} event${hidden === 1 ? "" : "s"} the filters leave out` : null,
    unused > 0 ? `${unused} number${unused === 1 ? "" : "s"} never used (a transaction rolled back; the chain has no hole)` : null,
  ].filter(Boolean);
  return `${range}: ${parts.join("; ")}`;
}

/** A subject's kind and id ("repository:abc" → ["repository", "abc"]). */
export function parseSubject(subject: string): { kind: string; id: string } {
  const at = subject.indexOf(":");
  return at < 0 ? { kind: subject, id: "" } : { kind: subject.slice(0, at), id: subject.slice(at + 1) };
}

/** The page a subject lives on, when it has one. */
export function subjectHref(subject: string): string | null {
  const { kind, id } = parseSubject(subject);
  if (!id) return null;
  const e = encodeURIComponent(id);
  switch (kind) {
    case "repository":
      return `/repositories/${e}`;
    case "spec":
      return `/specs/${e}`;
    case "change":
      return /^\d+$/.test(id) ? `/changes/${id}` : null;
    case "finding":
      return `/findings/${e}`;
    case "deployment":
      return `/deployments/${e}`;
    case "team":
      return `/settings/teams`;
    case "user":
      return `/settings/teams`;
    default:
      return null;
  }
}

/** The query as URL parameters for links that keep the filters. */
export function auditSearch(query: Partial<AuditQuery>, change: Partial<Record<keyof AuditQuery, string | undefined>> = {}): string {
  const merged: Record<string, string | undefined> = {
    actor: query.actor,
    action: query.action,
    target: query.target,
    since: query.since,
    until: query.until,
    before: query.before ? String(query.before) : undefined,
    ...change,
  };
  const params = new URLSearchParams(Object.entries(merged).filter(([, v]) => v) as [string, string][]);
  return params.size ? `?${params}` : "";
}
