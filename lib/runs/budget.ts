import { z } from "zod";
import { typedGlobRefusal } from "@/lib/paths";
import { idString, text } from "@/lib/schema";

export const BUDGET_PERIODS = ["day", "week", "month"] as const;
export const BUDGET_UNITS = ["usd", "tokens"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];
export type BudgetUnit = (typeof BUDGET_UNITS)[number];

/** The share of a budget at which a budget.warning is raised. */
export const WARNING_RATIO = 0.8;

export const setBudgetInput = z
  .object({
    repositoryId: idString(),
    specId: idString().optional().describe("The one spec the budget is for; or give glob"),
    glob: text()
      .min(1)
      .max(500)
      .superRefine((glob, ctx) => {
        const problem = typedGlobRefusal(glob);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional()
      .describe("Each spec whose path matches this glob in the repository gets the budget"),
    period: z.enum(BUDGET_PERIODS).describe("A UTC calendar day, week (from Monday) or month"),
    unit: z.enum(BUDGET_UNITS),
    amount: z
      .number()
      .positive()
      .max(1_000_000_000_000, "amount is at most 10^12.")
      .refine((n) => Number.isFinite(n) && Math.round(n * 1e6) / 1e6 === n, "amount has at most 6 decimals."),
  })
  .strict()
  .refine((b) => (b.specId === undefined) !== (b.glob === undefined), { message: "Give a spec or a glob, not both.", path: ["specId"] })
  .refine((b) => b.unit !== "tokens" || Number.isInteger(b.amount), { message: "A token budget is a whole number.", path: ["amount"] });
export type SetBudgetInput = z.output<typeof setBudgetInput>;

export const removeBudgetInput = z.object({ repositoryId: idString(), budgetId: idString() }).strict();

/** The key that makes a budget unique per repository, period and unit. */
export function budgetTarget(input: { specId?: string; glob?: string }): string {
  return input.specId !== undefined ? `spec:${input.specId}` : `glob:${input.glob}`;
}

/** The UTC calendar period that contains `now`: days from midnight, weeks from Monday, months from the 1st. */
export function periodBounds(period: BudgetPeriod, now: Date): { start: Date; end: Date } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  if (period === "month") return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
  if (period === "week") {
    const sinceMonday = (now.getUTCDay() + 6) % 7;
    return { start: new Date(Date.UTC(y, m, d - sinceMonday)), end: new Date(Date.UTC(y, m, d - sinceMonday + 7)) };
  }
  return { start: new Date(Date.UTC(y, m, d)), end: new Date(Date.UTC(y, m, d + 1)) };
}

const THIS = { day: "today", week: "this week", month: "this month" } as const;
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** An amount as people read it: "$41.20", or "1,200,000 tokens". */
export function formatAmount(unit: BudgetUnit, amount: number): string {
  if (unit === "usd") return `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `${Math.round(amount).toLocaleString("en-US")} tokens`;
}

/** When the period ends, in words: "Monday 00:00 UTC", "1 January 00:00 UTC", "00:00 UTC". */
export function resetsAt(period: BudgetPeriod, end: Date): string {
  if (period === "day") return "00:00 UTC";
  if (period === "week") return `${DAYS[end.getUTCDay()]} 00:00 UTC`;
  return `${end.getUTCDate()} ${MONTHS[end.getUTCMonth()]} 00:00 UTC`;
}

export type BudgetLevel = "ok" | "warning" | "exceeded";

/** Where spend stands against a budget: at 80% a warning, at 100% no more runs. */
export function budgetLevel(spent: number, limit: number): BudgetLevel {
  if (spent >= limit) return "exceeded";
  return spent >= limit * WARNING_RATIO ? "warning" : "ok";
}

/** "spent $41.20 of $40.00 this week; resets Monday 00:00 UTC" */
export function describeSpend(b: { period: BudgetPeriod; unit: BudgetUnit; limit: number; spent: number; end: Date }): string {
  return `spent ${formatAmount(b.unit, b.spent)} of ${formatAmount(b.unit, b.limit)} ${THIS[b.period]}; resets ${resetsAt(b.period, b.end)}`;
}

const MISSING = { usd: "no cost", tokens: "no token count" } as const;

/**
 * Why a budget cannot answer yes when runs in its period reported no figure in its unit: their spend
 * is unknown, so the budget could already be spent (fail closed). "2 runs this week reported no cost, so ..."
 */
export function describeUnpriced(b: { period: BudgetPeriod; unit: BudgetUnit; unpriced: number; end: Date }): string {
  const runs = b.unpriced === 1 ? "1 run" : `${b.unpriced.toLocaleString("en-US")} runs`;
  const field = b.unit === "usd" ? "costUsd" : "inputTokens and outputTokens";
  return `${runs} ${THIS[b.period]} reported ${MISSING[b.unit]}, so the spend against this budget is unknown until it resets ${resetsAt(b.period, b.end)}; report ${field} with every run`;
}
