import { describe, expect, it } from "vitest";
import {
  AGENT_KINDS,
  bundledBySkill,
  classifyPath,
  compileKindRules,
  DEFAULT_KIND_RULES,
  featureOf,
  KIND_LABELS,
  kindRulesFromEnv,
  parseKindRules,
  SPEC_KINDS,
  type SpecKind,
} from "./kinds";

const CLASSIFY_CASES: [path: string, kind: SpecKind | null][] = [
  // spec
  ["specs/001-login/spec.md", "spec"],
  ["services/api/specs/001-x/spec.md", "spec"],
  [".kiro/specs/checkout/requirements.md", "spec"],
  ["specs/overview.md", "spec"],
  ["specs/001-login/checklists/requirements.md", "spec"],
  // Spec Kit's /plan writes it: a design artifact, not a second spec.
  ["specs/001-login/quickstart.md", "plan"],
  [".specs/auth/login.md", "spec"],
  ["docs/specs/billing.md", "spec"],
  ["docs/specs/deep/er/still.md", "spec"],
  ["specs/001-login/spec.txt", null],
  // plan
  ["specs/001-login/plan.md", "plan"],
  ["specs/001-login/data-model.md", "plan"],
  ["specs/feature/013-clerk-integration-auth/plan.md", "plan"],
  ["specs/feature/013-clerk-integration-auth/research.md", "plan"],
  ["specs/feature/013-clerk-integration-auth/tasks.md", "tasks"],
  ["specs/001-login/contracts/plan.md", "contract"],
  ["specs/001-login/research.md", "plan"],
  [".kiro/specs/checkout/design.md", "plan"],
  ["apps/web/specs/002-x/plan.md", "plan"],
  ["specs/design.md", "spec"], // design.md is only a plan inside .kiro
  // tasks
  ["specs/001-login/tasks.md", "tasks"],
  [".kiro/specs/checkout/tasks.md", "tasks"],
  // constitution
  [".specify/memory/constitution.md", "constitution"],
  ["memory/constitution.md", "constitution"],
  ["memory/other.md", null],
  // steering
  [".kiro/steering/product.md", "steering"],
  [".kiro/steering/nested/tech.md", null],
  // agent
  ["AGENTS.md", "agent"],
  ["docs/AGENTS.md", "agent"],
  ["AGENTS.override.md", "agent"],
  ["CLAUDE.md", "agent"],
  ["packages/core/GEMINI.md", "agent"],
  [".github/copilot-instructions.md", "agent"],
  [".github/instructions/frontend.instructions.md", "agent"],
  [".github/instructions/a/b/backend.instructions.md", "agent"],
  [".github/instructions/notes.md", null],
  [".cursor/rules/style.mdc", "agent"],
  [".cursor/rules/deep/style.mdc", "agent"],
  [".cursorrules", "agent"],
  [".windsurfrules", "agent"],
  ["docs/specs/AGENTS.md", "agent"],
  ["GEMINI.md", "agent"],
  [".claude/rules/testing.md", "agent"],
  [".claude/rules/frontend/react.md", "agent"],
  [".junie/guidelines.md", "agent"],
  [".voidrules", "agent"],
  [".clinerules", "agent"],
  [".clinerules/general.md", "agent"],
  [".clinerules/notes.txt", "agent"],
  [".clinerules/hooks/README.md", null],
  [".windsurf/rules/style.md", "agent"],
  ["instructions/python.instructions.md", "agent"], // awesome-copilot keeps its collection at the top level
  // skill (paths from anthropics/skills, wshobson/agents, cline/cline, pydantic/pydantic-ai)
  ["skills/pdf/SKILL.md", "skill"],
  [".claude/skills/pre-push-review/SKILL.md", "skill"],
  [".agents/skills/cline-sdk/SKILL.md", "skill"],
  ["plugins/python-development/skills/uv-package-manager/SKILL.md", "skill"],
  ["skills/qdrant-scaling/scaling-data-volume/x/SKILL.md", "skill"],
  // Bundled files are nominated by path; the import keeps them only beside a SKILL.md (bundledBySkill).
  ["skills/pdf/reference.md", "skill-file"],
  ["skills/pdf/scripts/fill.py", "skill-file"],
  ["skills/pdf/skill.md", "skill-file"],
  // subagent
  [".claude/agents/reviewer.md", "subagent"],
  ["plugins/pr-review-toolkit/agents/code-reviewer.md", "subagent"],
  [".github/agents/agentic-workflows.md", "subagent"],
  ["agents/expert-dotnet.agent.md", "subagent"],
  [".github/chatmodes/plan.chatmode.md", "subagent"],
  ["skills/skill-creator/agents/grader.md", "skill-file"],
  // prompt
  [".github/prompts/review.prompt.md", "prompt"],
  [".claude/commands/commit-push-pr.md", "prompt"],
  ["plugins/commit-commands/commands/commit.md", "prompt"],
  [".clinerules/workflows/release.md", "prompt"],
  // tool-config
  [".claude/settings.json", "tool-config"],
  [".claude/settings.local.json", null],
  [".mcp.json", "tool-config"],
  ["plugins/x/.mcp.json", "tool-config"],
  [".vscode/mcp.json", "tool-config"],
  [".cursor/mcp.json", "tool-config"],
  ["mcp.json", null],
  // Kiro layout under .specs/, and Spec Kit's constitution next to the specs
  [".specs/checkout/requirements.md", "spec"],
  [".specs/checkout/design.md", "plan"],
  [".specs/checkout/tasks.md", "tasks"],
  ["specs/constitution.md", "constitution"],
  ["specs/001-x/constitution.md", "spec"],
  // contract
  ["openapi.yaml", "contract"],
  ["api/openapi.yml", "contract"],
  ["openapi.json", "contract"],
  ["openapi.toml", null],
  ["petstore.openapi.yaml", "contract"],
  ["asyncapi.yaml", "contract"],
  ["events/orders.asyncapi.yml", "contract"],
  ["schemas/invoice.schema.json", "contract"],
  ["schemas/invoice.json", null],
  ["specs/001-x/contracts/api.yaml", "contract"],
  ["specs/001-x/contracts/v1/events.json", "contract"],
  ["specs/001-x/contracts/README.md", "contract"],
  // not recognised
  ["README.md", null],
  ["src/foo.md", null],
  ["src/specs.ts", null],
  ["specsheet/a.md", null],
  ["agents.md", null], // case-sensitive
  ["Specs/001/spec.md", null],
  ["claude.md", null],
  ["node_modules/pkg/AGENTS.md", null],
  ["node_modules/pkg/specs/001/spec.md", null],
  ["packages/a/node_modules/x/openapi.yaml", null],
  ["vendor/github.com/x/specs/a.md", null],
  ["src/vendored/specs/a.md", "spec"], // only a whole `vendor` segment is excluded
];

describe("classifyPath", () => {
  it.each(CLASSIFY_CASES)("%s -> %s", (path, kind) => {
    expect(classifyPath(path)).toBe(kind);
  });

  it("agrees with a compiled matcher on every case", () => {
    const classify = compileKindRules(DEFAULT_KIND_RULES);
    for (const [path, kind] of CLASSIFY_CASES) expect(classify(path)).toBe(kind);
  });

  it("uses the first matching rule", () => {
    const rules = [
      { kind: "agent", pattern: "**/*.md" },
      { kind: "spec", pattern: "**/specs/**/*.md" },
    ] as const;
    expect(classifyPath("specs/a.md", rules)).toBe("agent");
    expect(classifyPath("specs/a.md", [...rules].reverse())).toBe("spec");
  });

  it("returns null for every path when there are no rules", () => {
    expect(classifyPath("specs/001/spec.md", [])).toBeNull();
    expect(compileKindRules([])("AGENTS.md")).toBeNull();
  });

  it("never classifies node_modules or vendor, even when a custom rule asks for it", () => {
    const rules = [{ kind: "spec", pattern: "**/*.md" }] as const;
    expect(classifyPath("docs/x.md", rules)).toBe("spec");
    expect(classifyPath("node_modules/x.md", rules)).toBeNull();
    expect(classifyPath("a/vendor/b/x.md", rules)).toBeNull();
  });
});

describe("kind metadata", () => {
  it("labels every kind", () => {
    expect(Object.keys(KIND_LABELS).sort()).toEqual([...SPEC_KINDS].sort());
    expect(KIND_LABELS.plan).toBe("Plan / design");
    expect(KIND_LABELS.agent).toBe("Agent instructions");
  });

  it("lists the agent-configuration kinds among the kinds, and not the spec kinds", () => {
    for (const kind of AGENT_KINDS) expect(SPEC_KINDS).toContain(kind);
    expect(AGENT_KINDS).not.toContain("spec");
    expect(AGENT_KINDS).not.toContain("constitution");
  });

  it("uses only known kinds in the default table", () => {
    for (const rule of DEFAULT_KIND_RULES) expect(SPEC_KINDS).toContain(rule.kind);
  });
});

describe("parseKindRules", () => {
  it("accepts a valid array and returns fresh rule objects", () => {
    const input = [{ kind: "contract", pattern: "**/*.proto" }];
    const rules = parseKindRules(input);
    expect(rules).toEqual(input);
    expect(rules[0]).not.toBe(input[0]);
  });

  it.each<[string, unknown, RegExp]>([
    ["not an array", { kind: "spec", pattern: "x" }, /must be a JSON array/],
    ["a string", "specs/**", /must be a JSON array.*"specs\/\*\*"/],
    ["a non-object item", ["specs/**"], /#1 must be an object/],
    ["a null item", [null], /#1 must be an object.*null/],
    ["an unknown kind", [{ kind: "readme", pattern: "README.md" }], /#1: "kind" must be one of spec, plan.*"readme"/],
    ["a missing kind", [{ pattern: "README.md" }], /"kind" must be one of/],
    ["a missing pattern", [{ kind: "spec" }], /"pattern" must be a non-empty glob/],
    ["an empty pattern", [{ kind: "spec", pattern: "  " }], /"pattern" must be a non-empty glob/],
    ["a numeric pattern", [{ kind: "spec", pattern: 3 }], /"pattern".*number 3/],
    ["a negated pattern", [{ kind: "spec", pattern: "!**/*.md" }], /negated patterns/],
    ["an absolute pattern", [{ kind: "spec", pattern: "/specs/*.md" }], /repo-relative/],
    ["a ./ pattern", [{ kind: "spec", pattern: "./specs/*.md" }], /repo-relative/],
    [
      "the second item bad",
      [
        { kind: "spec", pattern: "a" },
        { kind: "x", pattern: "b" },
      ],
      /#2/,
    ],
  ])("rejects %s", (_name, input, message) => {
    expect(() => parseKindRules(input)).toThrow(message);
  });
});

describe("kindRulesFromEnv", () => {
  it("returns the defaults when the variable is unset or blank", () => {
    expect(kindRulesFromEnv({})).toEqual(DEFAULT_KIND_RULES);
    expect(kindRulesFromEnv({ SPECLEDGER_KIND_RULES: " " })).toEqual(DEFAULT_KIND_RULES);
  });

  it("puts configured rules before the defaults so they can override them", () => {
    const env = { SPECLEDGER_KIND_RULES: JSON.stringify([{ kind: "contract", pattern: "**/specs/*/spec.md" }]) };
    const rules = kindRulesFromEnv(env);
    expect(rules).toHaveLength(DEFAULT_KIND_RULES.length + 1);
    expect(classifyPath("specs/001/spec.md", rules)).toBe("contract");
    expect(classifyPath("specs/001/plan.md", rules)).toBe("plan");
  });

  it("extends the defaults with new files", () => {
    const env = { SPECLEDGER_KIND_RULES: '[{"kind":"contract","pattern":"proto/**/*.proto"}]' };
    expect(classifyPath("proto/v1/user.proto", kindRulesFromEnv(env))).toBe("contract");
    expect(classifyPath("proto/v1/user.proto")).toBeNull();
  });

  it("names the variable when the JSON is malformed or invalid", () => {
    expect(() => kindRulesFromEnv({ SPECLEDGER_KIND_RULES: "[{kind:" })).toThrow(/SPECLEDGER_KIND_RULES is not valid JSON/);
    expect(() => kindRulesFromEnv({ SPECLEDGER_KIND_RULES: '[{"kind":"x","pattern":"a"}]' })).toThrow(/SPECLEDGER_KIND_RULES: Kind rule #1: "kind"/);
  });
});

describe("featureOf", () => {
  it.each<[string, { key: string; name: string } | null]>([
    ["specs/001-login/spec.md", { key: "specs/001-login", name: "001-login" }],
    ["specs/001-login/plan.md", { key: "specs/001-login", name: "001-login" }],
    ["apps/web/specs/002-x/contracts/a.yaml", { key: "apps/web/specs/002-x", name: "002-x" }],
    [".kiro/specs/checkout/design.md", { key: ".kiro/specs/checkout", name: "checkout" }],
    ["docs/specs/billing/overview.md", { key: "docs/specs/billing", name: "billing" }],
    ["specs/001-x/contracts/specs/a.yaml", { key: "specs/001-x", name: "001-x" }], // features do not nest
    [".specs/checkout/tasks.md", { key: ".specs/checkout", name: "checkout" }],
    ["specs/constitution.md", null],
    ["AGENTS.md", null],
    ["specs/overview.md", null],
    [".kiro/steering/product.md", null],
    ["specsheet/a/b.md", null],
    ["specs", null],
  ])("%s", (path, feature) => {
    expect(featureOf(path)).toEqual(feature);
  });
});

describe("bundledBySkill", () => {
  const skills = new Set([".claude/skills/deploy/SKILL.md", "skills/tools/pdf/SKILL.md", "skills/tools/pdf/forms/SKILL.md"]);
  const isSkill = (p: string) => skills.has(p);
  it.each([
    [".claude/skills/deploy/scripts/run.sh", ".claude/skills/deploy/SKILL.md"],
    [".claude/skills/deploy/README.md", ".claude/skills/deploy/SKILL.md"],
    ["skills/tools/pdf/a/b/c.txt", "skills/tools/pdf/SKILL.md"],
    // A nested skill owns its own files.
    ["skills/tools/pdf/forms/x.md", "skills/tools/pdf/forms/SKILL.md"],
    // SKILL.md is not its own bundled file; no SKILL.md above; nothing above skills/ counts.
    [".claude/skills/deploy/SKILL.md", null],
    [".claude/skills/other/run.sh", null],
    ["skills/README.md", null],
  ])("%s → %s", (path, skill) => {
    expect(bundledBySkill(path, isSkill)).toBe(skill);
  });
  it("nominates bundled files by path only under a folder below skills/", () => {
    expect(classifyPath(".claude/skills/deploy/scripts/run.sh")).toBe("skill-file");
    expect(classifyPath("plugins/p/skills/s/assets/logo.png")).toBe("skill-file");
    expect(classifyPath("skills/README.md")).toBeNull();
    expect(classifyPath(".claude/skills/deploy/SKILL.md")).toBe("skill");
  });
});
