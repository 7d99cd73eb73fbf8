import { describe, expect, it } from "vitest";
import { formatText, githubAnnotations, markdownSummary, toSarif } from "./report";
import { checkResult, type CheckResult } from "./schema";

const result: CheckResult = checkResult.parse({
  id: "c1",
  repository: { id: "r1", name: "payments" },
  pullRequest: 7,
  base: "a".repeat(40),
  head: "b".repeat(40),
  verdict: "fail",
  summary: { files: 2, blocking: 1, errors: 1, warnings: 1, notes: 0 },
  url: "/repositories/r1/checks/c1",
  createdAt: new Date(0).toISOString(),
  files: [
    {
      path: "specs/a/spec.md",
      status: "modified",
      kind: "spec",
      contentHash: "c".repeat(64),
      owners: ["@team"],
      approval: { state: "pending", change: 12 },
      items: [
        {
          category: "approval",
          rule: "unapproved-owned",
          level: "error",
          blocking: true,
          line: null,
          message: "Not approved, owned by @team.",
          link: "/changes/12",
        },
      ],
    },
    {
      path: "AGENTS.md",
      status: "added",
      kind: "agent",
      contentHash: "d".repeat(64),
      owners: [],
      approval: { state: "unapproved" },
      items: [{ category: "lint", rule: "agent-task-specific", level: "warning", blocking: false, line: 4, message: "Task-specific: 50%, for now,\nsoon" }],
    },
  ],
});

describe("toSarif", () => {
  it("is SARIF 2.1.0 with one rule per rule id and a result per item at its file and line", () => {
    const sarif = toSarif(result, "https://sl.example", "0.1.0");
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe("Specledger");
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(["agent-task-specific", "unapproved-owned"]);
    expect(run.results).toEqual([
      expect.objectContaining({
        ruleId: "unapproved-owned",
        ruleIndex: 1,
        level: "error",
        message: { text: "Not approved, owned by @team. (https://sl.example/changes/12)" },
        locations: [{ physicalLocation: { artifactLocation: { uri: "specs/a/spec.md", uriBaseId: "%SRCROOT%" }, region: { startLine: 1 } } }],
      }),
      expect.objectContaining({
        ruleId: "agent-task-specific",
        ruleIndex: 0,
        level: "warning",
        locations: [expect.objectContaining({ physicalLocation: expect.objectContaining({ region: { startLine: 4 } }) })],
      }),
    ]);
    // Every result's rule is described, as code scanning requires.
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it("has no results and no rules for a clean check", () => {
    const sarif = toSarif({ ...result, verdict: "pass", files: [] }, "https://sl.example", "0.1.0");
    expect(sarif.runs[0].results).toEqual([]);
    expect(sarif.runs[0].tool.driver.rules).toEqual([]);
  });
});

describe("githubAnnotations", () => {
  it("writes ::error and ::warning commands with escaped data and properties", () => {
    const lines = githubAnnotations(result, "https://sl.example").trim().split("\n");
    expect(lines[0]).toBe("::error file=specs/a/spec.md,title=Specledger%3A unapproved-owned::Not approved, owned by @team. (https://sl.example/changes/12)");
    expect(lines[1]).toBe("::warning file=AGENTS.md,line=4,title=Specledger%3A agent-task-specific::Task-specific: 50%25, for now,%0Asoon");
  });
});

describe("formatText and markdownSummary", () => {
  it("say the verdict and link the pending change", () => {
    const text = formatText(result, "https://sl.example");
    expect(text).toMatch(/: FAIL\n/);
    expect(text).toContain("awaiting review in https://sl.example/changes/12");
    const md = markdownSummary(result, "https://sl.example");
    expect(md).toContain("❌ fail");
    expect(md).toContain("[awaiting review #12](https://sl.example/changes/12)");
    expect(md).toContain("50%, for now, soon");
  });

  it("name the ticket the pull request named, and an unchanged file it affects", () => {
    const withTicket = {
      ...result,
      ticket: { key: "PAY-7", url: "https://tracker.example/browse/PAY-7", where: "branch" as const },
      files: [
        ...result.files,
        {
          path: "specs/billing/spec.md",
          status: "unchanged" as const,
          kind: "spec",
          contentHash: "e".repeat(64),
          owners: [],
          approval: { state: "unchanged" as const },
          items: [{ category: "drift" as const, rule: "spec-drift", level: "warning" as const, blocking: false, line: null, message: "Drifts." }],
        },
      ],
    };
    const text = formatText(withTicket, "https://sl.example");
    expect(text).toContain("Ticket: PAY-7 (https://tracker.example/browse/PAY-7), named in the branch.");
    expect(text).toContain("1 unchanged one(s) affected");
    expect(text).toContain("specs/billing/spec.md [spec, unchanged]: not changed by this pull request");
    expect(markdownSummary(withTicket, "https://sl.example")).toContain("Ticket [PAY-7](https://tracker.example/browse/PAY-7).");
  });

  it("cannot be made to print a workflow command or a link by a file's name", () => {
    const hostile = {
      ...result,
      files: [
        {
          ...result.files[0],
          path: "src/x\n::stop-commands::token\n.md",
          items: [{ ...result.files[0].items[0], message: "Names [here](https://evil.example)\n::error::x" }],
        },
      ],
    };
    const text = formatText(hostile, "https://sl.example");
    expect(text.split("\n").some((line) => line.startsWith("::"))).toBe(false);
    expect(text).toContain("src/x\\u000a::stop-commands::token\\u000a.md");
    const md = markdownSummary(hostile, "https://sl.example");
    expect(md).toContain("\\[here\\](https://evil.example)");
    expect(md.split("\n").some((line) => line.startsWith("::"))).toBe(false);
  });
});
