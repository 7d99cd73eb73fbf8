import { describe, expect, it } from "vitest";
import { budgetLevel, budgetTarget, describeSpend, describeUnpriced, formatAmount, periodBounds, setBudgetInput } from "./budget";

const iso = (d: Date) => d.toISOString();

describe("periodBounds (UTC calendar periods)", () => {
  it.each([
    ["day", "2026-12-03T23:59:59.999Z", "2026-12-03T00:00:00.000Z", "2026-12-04T00:00:00.000Z"],
    // 3 December 2026 is a Thursday: the week runs from Monday 30 November.
    ["week", "2026-12-03T10:00:00.000Z", "2026-11-30T00:00:00.000Z", "2026-12-07T00:00:00.000Z"],
    ["week", "2026-12-06T23:00:00.000Z", "2026-11-30T00:00:00.000Z", "2026-12-07T00:00:00.000Z"],
    ["week", "2026-12-07T00:00:00.000Z", "2026-12-07T00:00:00.000Z", "2026-12-14T00:00:00.000Z"],
    ["month", "2026-12-31T23:00:00.000Z", "2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
    ["month", "2028-02-29T12:00:00.000Z", "2028-02-01T00:00:00.000Z", "2028-03-01T00:00:00.000Z"],
  ] as const)("%s of %s", (period, now, start, end) => {
    const bounds = periodBounds(period, new Date(now));
    expect([iso(bounds.start), iso(bounds.end)]).toEqual([start, end]);
  });
});

describe("describeSpend", () => {
  it("says what was spent, of what, and when it resets", () => {
    const end = new Date("2026-12-07T00:00:00Z");
    expect(describeSpend({ period: "week", unit: "usd", limit: 40, spent: 41.2, end })).toBe("spent $41.20 of $40.00 this week; resets Monday 00:00 UTC");
    expect(describeSpend({ period: "month", unit: "tokens", limit: 1_000_000, spent: 812_345, end: new Date("2027-01-01T00:00:00Z") })).toBe(
      "spent 812,345 tokens of 1,000,000 tokens this month; resets 1 January 00:00 UTC",
    );
    expect(describeSpend({ period: "day", unit: "usd", limit: 5, spent: 0, end })).toBe("spent $0.00 of $5.00 today; resets 00:00 UTC");
    expect(formatAmount("usd", 1234.5)).toBe("$1,234.50");
  });
});

describe("describeUnpriced", () => {
  it("says how many runs lack the budget's figure, that spend is unknown, until when, and what to report", () => {
    const end = new Date("2026-12-07T00:00:00Z");
    expect(describeUnpriced({ period: "week", unit: "usd", unpriced: 2, end })).toBe(
      "2 runs this week reported no cost, so the spend against this budget is unknown until it resets Monday 00:00 UTC; report costUsd with every run",
    );
    expect(describeUnpriced({ period: "day", unit: "tokens", unpriced: 1, end })).toBe(
      "1 run today reported no token count, so the spend against this budget is unknown until it resets 00:00 UTC; report inputTokens and outputTokens with every run",
    );
  });
});

describe("budgetLevel", () => {
  it.each([
    [0, 10, "ok"],
    [7.99, 10, "ok"],
    [8, 10, "warning"],
    [9.99, 10, "warning"],
    [10, 10, "exceeded"],
    [41.2, 40, "exceeded"],
  ] as const)("%s of %s is %s", (spent, limit, level) => expect(budgetLevel(spent, limit)).toBe(level));
});

describe("setBudgetInput", () => {
  const base = { repositoryId: "r1", period: "week", unit: "usd", amount: 40 } as const;
  it("accepts a spec or a glob", () => {
    expect(setBudgetInput.parse({ ...base, specId: "s1" })).toMatchObject({ specId: "s1" });
    expect(budgetTarget(setBudgetInput.parse({ ...base, glob: "specs/**/spec.md" }))).toBe("glob:specs/**/spec.md");
  });
  it.each([
    ["both a spec and a glob", { ...base, specId: "s1", glob: "specs/**" }],
    ["neither", { ...base }],
    ["a bad period", { ...base, specId: "s1", period: "fortnight" }],
    ["a bad unit", { ...base, specId: "s1", unit: "eur" }],
    ["a zero amount", { ...base, specId: "s1", amount: 0 }],
    ["a negative amount", { ...base, specId: "s1", amount: -5 }],
    ["an absurd amount", { ...base, specId: "s1", amount: 1e15 }],
    ["fractional tokens", { ...base, specId: "s1", unit: "tokens", amount: 1.5 }],
    ["a glob that backtracks", { ...base, glob: "*a*a*a*a*b" }],
    ["an unknown field", { ...base, specId: "s1", currency: "usd" }],
  ])("refuses %s", (_name, input) => {
    expect(setBudgetInput.safeParse(input).success).toBe(false);
  });
});

describe("the run reports that spend budgets", () => {
  it.each([
    ["a negative cost", { costUsd: -0.01 }],
    ["an absurd cost", { costUsd: 1e9 }],
    ["negative tokens", { inputTokens: -1 }],
    ["fractional tokens", { outputTokens: 1.5 }],
    ["a cost that is not a number", { costUsd: "12" }],
  ])("refuse %s (422, nothing stored)", async (_name, figures) => {
    const { runSchema } = await import("./index");
    expect(runSchema.safeParse({ externalId: "r", agent: "codex", ...figures }).success).toBe(false);
  });
});
