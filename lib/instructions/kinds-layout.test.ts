// Issue 14 §3's coverage list, on a real layout: each file an agent loads is a governed kind.
import { describe, expect, it } from "vitest";
import { classifyPath } from "@/lib/specs/kinds";

const LAYOUT: Array<[string, string]> = [
  [".github/agents/reviewer.agent.md", "subagent"],
  [".github/prompts/release.prompt.md", "prompt"],
  [".github/instructions/ts.instructions.md", "agent"],
  [".github/copilot-instructions.md", "agent"],
  [".junie/guidelines.md", "agent"],
  [".windsurfrules", "agent"],
  [".windsurf/rules/style.md", "agent"],
  [".clinerules", "agent"],
  [".clinerules/general.md", "agent"],
  [".voidrules", "agent"],
  ["GEMINI.md", "agent"],
  ["services/billing/AGENTS.md", "agent"],
  ["services/billing/AGENTS.override.md", "agent"],
  ["CLAUDE.md", "agent"],
  [".claude/rules/api.md", "agent"],
  [".cursor/rules/ts.mdc", "agent"],
  [".kiro/steering/product.md", "steering"],
  [".kiro/specs/login/requirements.md", "spec"],
  [".kiro/specs/login/design.md", "plan"],
  [".kiro/specs/login/tasks.md", "tasks"],
  [".specs/login/requirements.md", "spec"],
  [".specs/login/design.md", "plan"],
  [".specs/login/tasks.md", "tasks"],
  [".specify/memory/constitution.md", "constitution"],
  ["specs/constitution.md", "constitution"],
];

describe("the kinds of the files agents load", () => {
  it.each(LAYOUT)("%s is %s", (path, kind) => {
    expect(classifyPath(path)).toBe(kind);
  });
  it("governs no ordinary source file", () => {
    expect(classifyPath("services/billing/pay.ts")).toBeNull();
  });
});
