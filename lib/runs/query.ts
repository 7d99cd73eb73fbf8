import { z } from "zod";
import type { Prisma } from "@/lib/db";
import { idString, positiveIntString, text, timestamp } from "@/lib/schema";

export const RUN_OUTCOME_VALUES = ["succeeded", "failed", "cancelled", "unknown"] as const;
export const RUNS_PAGE_SIZE = 50;

/** A day (YYYY-MM-DD, as a date input sends it) or an ISO timestamp with an offset. */
const dayOrTime = z.union([
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "A day is YYYY-MM-DD.")
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "Not a calendar day.")
    .refine((s) => s >= "1970-01-01" && s < "9000-01-01", "The day must fall between the years 1970 and 9000."),
  timestamp(),
]);

/** GET /api/v1/runs and the /runs page: the same filters, the same answers. */
export const runsQuerySchema = z.object({
  agent: text().max(100).optional().describe("Runs by this agent (exact)."),
  repository: text().max(200).optional().describe("Runs reported for this repository name."),
  repositoryId: text().max(100).optional().describe("Runs of this imported repository."),
  spec: idString()
    .optional()
    .describe("Runs that used any version of this spec (its id), also those that named it by repository and path at a commit not imported."),
  version: idString().optional().describe("Runs that used this spec version (its id)."),
  outcome: z.enum(RUN_OUTCOME_VALUES).optional(),
  since: dayOrTime.optional().describe("Reported at or after this day (UTC) or time."),
  until: dayOrTime.optional().describe("Reported before the end of this day (UTC) or before this time."),
  page: positiveIntString(10_000).default(1),
});
export type RunsQuery = z.output<typeof runsQuerySchema>;

/** A day's start (since) or the next day's start (until, exclusive); a timestamp as given. */
export function boundOf(value: string, edge: "since" | "until"): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = new Date(`${value}T00:00:00Z`);
    return edge === "since" ? start : new Date(start.getTime() + 86_400_000);
  }
  return new Date(value);
}

/** The live spec a `spec` filter names, by repository and path: runs that cited it at a commit not imported used it too. */
export interface NamedSpec {
  repository: string;
  path: string;
}

/**
 * The Prisma filter of a runs query: every given filter narrows the list. With `named`, the
 * spec filter also matches references that name the live spec by repository and path but
 * resolved to no imported version, as budgets and the dashboard's spend count them (decision 036).
 */
export function runsWhere(query: Partial<RunsQuery>, named?: NamedSpec | null): Prisma.AgentRunWhereInput {
  const createdAt: Prisma.DateTimeFilter = {};
  if (query.since) createdAt.gte = boundOf(query.since, "since");
  if (query.until) createdAt.lt = boundOf(query.until, "until");
  return {
    ...(query.agent ? { agent: query.agent } : {}),
    ...(query.repository ? { repositoryName: query.repository } : {}),
    ...(query.repositoryId ? { repositoryId: query.repositoryId } : {}),
    // Both reference filters can apply at once, so they are ANDed rather than sharing one key.
    ...(query.spec || query.version
      ? {
          AND: [
            ...(query.spec
              ? [
                  named
                    ? {
                        refs: {
                          some: {
                            OR: [{ specVersion: { specId: query.spec } }, { specVersionId: null, repositoryName: named.repository, path: named.path }],
                          },
                        },
                      }
                    : { refs: { some: { specVersion: { specId: query.spec } } } },
                ]
              : []),
            ...(query.version ? [{ refs: { some: { specVersionId: query.version } } }] : []),
          ],
        }
      : {}),
    ...(query.outcome ? { outcome: query.outcome } : {}),
    ...(query.since || query.until ? { createdAt } : {}),
  };
}

/** The query as URL parameters, for links that keep the filters (page 1 omitted). */
export function runsSearch(query: Partial<RunsQuery>, change: Partial<Record<keyof RunsQuery, string | undefined>> = {}): string {
  const merged: Record<string, string | undefined> = {
    agent: query.agent,
    repository: query.repository,
    repositoryId: query.repositoryId,
    spec: query.spec,
    version: query.version,
    outcome: query.outcome,
    since: query.since,
    until: query.until,
    page: query.page && query.page > 1 ? String(query.page) : undefined,
    ...change,
  };
  const params = new URLSearchParams(Object.entries(merged).filter(([, v]) => v) as [string, string][]);
  return params.size ? `?${params}` : "";
}
