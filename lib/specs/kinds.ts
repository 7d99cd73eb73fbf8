import picomatch from "picomatch";

export type SpecKind =
  "spec" | "plan" | "tasks" | "constitution" | "steering" | "agent" | "skill" | "skill-file" | "subagent" | "prompt" | "tool-config" | "contract";

export const SPEC_KINDS: readonly SpecKind[] = [
  "spec",
  "plan",
  "tasks",
  "constitution",
  "steering",
  "agent",
  "skill",
  "skill-file",
  "subagent",
  "prompt",
  "tool-config",
  "contract",
];

/** The kinds that configure agents rather than specify software (counted as agent files on the dashboard). */
export const AGENT_KINDS: readonly SpecKind[] = ["agent", "skill", "skill-file", "subagent", "prompt", "tool-config"];

export const KIND_LABELS: Record<SpecKind, string> = {
  spec: "Spec",
  plan: "Plan / design",
  tasks: "Tasks",
  constitution: "Constitution",
  steering: "Steering",
  agent: "Agent instructions",
  skill: "Agent skill",
  "skill-file": "Skill bundled file",
  subagent: "Subagent",
  prompt: "Prompt / command",
  "tool-config": "Agent tool config",
  contract: "Contract",
};

/**
 * A picomatch glob matched (case-sensitively, with `{ dot: true }`) against the whole
 * repo-relative POSIX path. Prefix with `**\/` to match at any depth.
 */
export interface KindRule {
  kind: SpecKind;
  pattern: string;
}

/**
 * The one table of recognised files (docs/product.md, "Recognised files").
 * First match wins, so file-specific rules come before the catch-all `specs/**` rule.
 * Every pattern starts with `**\/` because the product matches at any depth, which keeps
 * monorepos (`services/api/specs/...`) working.
 */
export const DEFAULT_KIND_RULES: readonly KindRule[] = [
  // Files inside a feature folder whose name says what they are.
  { kind: "plan", pattern: "**/specs/*/plan.md" },
  { kind: "plan", pattern: "**/specs/*/data-model.md" },
  { kind: "plan", pattern: "**/specs/*/research.md" },
  // Spec Kit's /plan writes quickstart.md beside research.md and data-model.md (its plan template's Phase 1).
  { kind: "plan", pattern: "**/specs/*/quickstart.md" },
  { kind: "plan", pattern: "**/.kiro/specs/*/design.md" },
  { kind: "tasks", pattern: "**/specs/*/tasks.md" },
  { kind: "spec", pattern: "**/specs/*/spec.md" },
  { kind: "spec", pattern: "**/.kiro/specs/*/requirements.md" },
  // Before the generic spec rule: a Markdown file under contracts/ is still a contract.
  { kind: "contract", pattern: "**/specs/*/contracts/**/*" },
  { kind: "contract", pattern: "**/openapi.{yaml,yml,json}" },
  { kind: "contract", pattern: "**/*.openapi.*" },
  { kind: "contract", pattern: "**/asyncapi.*" },
  { kind: "contract", pattern: "**/*.asyncapi.{yaml,yml,json}" },
  // JSON Schema files by the naming convention of schemastore.org and most editors.
  { kind: "contract", pattern: "**/*.schema.json" },
  // A feature folder one level deeper (specs/feature/013-auth/, specs/v2/001-x/): its plan and tasks are still plan and
  // tasks, not specs by the catch-all (dnd-tracker's specs/feature/013-clerk-integration-auth/plan.md). After contracts/.
  { kind: "plan", pattern: "**/specs/*/*/{plan,data-model,research,quickstart}.md" },
  { kind: "tasks", pattern: "**/specs/*/*/tasks.md" },

  // Kiro's feature layout is also used under a plain `.specs/` folder.
  { kind: "spec", pattern: "**/.specs/*/requirements.md" },
  { kind: "plan", pattern: "**/.specs/*/design.md" },
  { kind: "tasks", pattern: "**/.specs/*/tasks.md" },

  { kind: "constitution", pattern: "**/.specify/memory/constitution.md" },
  { kind: "constitution", pattern: "**/memory/constitution.md" },
  // Spec Kit's constitution also lives at the top of the specs folder; it governs every spec, so it is not one.
  { kind: "constitution", pattern: "**/specs/constitution.md" },
  { kind: "steering", pattern: "**/.kiro/steering/*.md" },

  // Agent Skills (agentskills.io): a skill is a folder with a SKILL.md, wherever it sits (.claude/skills,
  // .agents/skills, skills/, plugin folders, nested skill collections). Its bundled files are `skill-file`
  // (the last rule below).
  { kind: "skill", pattern: "**/SKILL.md" },
  // Copilot's file suffixes say what a file is wherever it sits: VS Code reads other folders through
  // chat.*Locations settings, and collections such as github/awesome-copilot keep them at the top level.
  { kind: "subagent", pattern: "**/*.agent.md" },
  { kind: "subagent", pattern: "**/*.chatmode.md" },
  { kind: "prompt", pattern: "**/*.prompt.md" },
  { kind: "agent", pattern: "**/*.instructions.md" },
  // Subagent definitions: Claude Code (.claude/agents, plugin agents/) and GitHub Copilot custom agents.
  { kind: "subagent", pattern: "**/.claude/agents/**/*.md" },
  { kind: "subagent", pattern: "**/plugins/*/agents/*.md" },
  { kind: "subagent", pattern: "**/.github/agents/*.md" },
  // Reusable prompts and slash commands: Copilot prompt files, Claude Code commands, Cline workflows.
  { kind: "prompt", pattern: "**/.claude/commands/**/*.md" },
  { kind: "prompt", pattern: "**/plugins/*/commands/*.md" },
  { kind: "prompt", pattern: "**/.clinerules/workflows/*.md" },
  // Files that grant agents tools and permissions: Claude Code settings and MCP server configurations.
  { kind: "tool-config", pattern: "**/.claude/settings.json" },
  { kind: "tool-config", pattern: "**/.mcp.json" },
  { kind: "tool-config", pattern: "**/.vscode/mcp.json" },
  { kind: "tool-config", pattern: "**/.cursor/mcp.json" },

  // Agent instruction files win over the generic spec rule (e.g. docs/specs/AGENTS.md).
  { kind: "agent", pattern: "**/AGENTS.md" },
  { kind: "agent", pattern: "**/AGENTS.override.md" },
  { kind: "agent", pattern: "**/CLAUDE.md" },
  { kind: "agent", pattern: "**/GEMINI.md" },
  { kind: "agent", pattern: "**/.github/copilot-instructions.md" },
  { kind: "agent", pattern: "**/.cursor/rules/**/*.mdc" },
  { kind: "agent", pattern: "**/.cursorrules" },
  { kind: "agent", pattern: "**/.windsurfrules" },
  { kind: "agent", pattern: "**/.windsurf/rules/*.md" },
  { kind: "agent", pattern: "**/.claude/rules/**/*.md" },
  { kind: "agent", pattern: "**/.junie/guidelines.md" },
  { kind: "agent", pattern: "**/.voidrules" },
  // Cline reads `.clinerules` as one file or as a folder of rule files.
  { kind: "agent", pattern: "**/.clinerules" },
  { kind: "agent", pattern: "**/.clinerules/*.{md,txt}" },

  // Catch-all: any other Markdown below a specs folder. `**/specs/` also covers docs/specs/.
  { kind: "spec", pattern: "**/specs/**/*.md" },
  { kind: "spec", pattern: "**/.specs/**/*.md" },

  // A skill's bundled files (scripts, references, assets), last so that a file another rule names keeps
  // that kind. The pattern only nominates: the import keeps a file only when a folder above it, up to the
  // skills folder, holds a SKILL.md at that commit (bundledBySkill), so an unrelated skills/ folder is not governed.
  { kind: "skill-file", pattern: "**/skills/*/**" },
];

/**
 * The SKILL.md that bundles `path`: the nearest one in a folder above it, no higher than the
 * folder below `skills/`, for which `isSkill` says yes; null when there is none. Pure.
 */
export function bundledBySkill(path: string, isSkill: (skillPath: string) => boolean): string | null {
  for (let end = path.lastIndexOf("/"); end > 0; end = path.lastIndexOf("/", end - 1)) {
    const dir = path.slice(0, end);
    // The skill folder is at most `skills/<name>`: from `skills/` up nothing bundles anything.
    if (/(?:^|\/)skills$/.test(dir)) return null;
    const candidate = `${dir}/SKILL.md`;
    if (candidate !== path && isSkill(candidate)) return candidate;
  }
  return null;
}

// Third-party copies of spec files are not the repository's own documents, whatever the rules say.
const EXCLUDED_DIRS = ["node_modules", "vendor"] as const;
const EXCLUDED = new RegExp(`(?:^|/)(?:${EXCLUDED_DIRS.join("|")})/`);

// Pin POSIX semantics so the result does not depend on the server's platform.
const GLOB_OPTIONS = { dot: true, windows: false } as const;

/** Builds a classifier once; the import loop calls it for every path of every commit. */
export function compileKindRules(rules: readonly KindRule[]): (path: string) => SpecKind | null {
  const compiled = rules.map((rule) => ({ kind: rule.kind, regex: picomatch.makeRe(rule.pattern, GLOB_OPTIONS) }));
  // Nearly all paths in a repository match no rule; one combined test rejects them in a single pass
  // instead of trying each rule's regex in turn.
  const any = compiled.length === 0 ? /(?!)/ : new RegExp(compiled.map((c) => `(?:${c.regex.source})`).join("|"));
  return (path) => {
    if (!any.test(path) || EXCLUDED.test(path)) return null;
    for (const { kind, regex } of compiled) {
      if (regex.test(path)) return kind;
    }
    return null;
  };
}

const compiledCache = new WeakMap<readonly KindRule[], (path: string) => SpecKind | null>();

export function classifyPath(path: string, rules: readonly KindRule[] = DEFAULT_KIND_RULES): SpecKind | null {
  let classify = compiledCache.get(rules);
  if (!classify) {
    classify = compileKindRules(rules);
    compiledCache.set(rules, classify);
  }
  return classify(path);
}

/** Validates user-supplied rules (e.g. from SPECLEDGER_KIND_RULES). */
export function parseKindRules(json: unknown): KindRule[] {
  if (!Array.isArray(json)) {
    throw new Error(`Kind rules must be a JSON array of {"kind", "pattern"} objects; got ${describe(json)}.`);
  }
  return json.map((item, index): KindRule => {
    const where = `Kind rule #${index + 1}`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw new Error(`${where} must be an object with "kind" and "pattern"; got ${describe(item)}.`);
    }
    const { kind, pattern } = item as Record<string, unknown>;
    if (typeof kind !== "string" || !(SPEC_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`${where}: "kind" must be one of ${SPEC_KINDS.join(", ")}; got ${describe(kind)}.`);
    }
    if (typeof pattern !== "string" || pattern.trim() === "") {
      throw new Error(`${where}: "pattern" must be a non-empty glob string; got ${describe(pattern)}.`);
    }
    // A negated rule would claim almost every file in the repository, which is never what is meant.
    if (pattern.startsWith("!")) {
      throw new Error(`${where}: negated patterns ("${pattern}") are not supported; list a more specific rule first instead.`);
    }
    if (pattern.startsWith("/") || /(?:^|\/)\.\.?(?:\/|$)/.test(pattern)) {
      throw new Error(`${where}: "pattern" is matched against repo-relative POSIX paths, so "${pattern}" can never match; use e.g. "**/specs/*.md".`);
    }
    try {
      picomatch.makeRe(pattern, GLOB_OPTIONS);
    } catch (error) {
      throw new Error(`${where}: "pattern" ${JSON.stringify(pattern)} is not a valid glob: ${(error as Error).message}`);
    }
    return { kind: kind as SpecKind, pattern };
  });
}

/** Extra rules from SPECLEDGER_KIND_RULES come first, so configuration can extend or override the defaults. */
export function kindRulesFromEnv(env: Record<string, string | undefined> = process.env): KindRule[] {
  const raw = env.SPECLEDGER_KIND_RULES;
  if (raw === undefined || raw.trim() === "") return [...DEFAULT_KIND_RULES];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new Error(`SPECLEDGER_KIND_RULES is not valid JSON: ${(error as Error).message}`);
  }
  let extra: KindRule[];
  try {
    extra = parseKindRules(json);
  } catch (error) {
    throw new Error(`SPECLEDGER_KIND_RULES: ${(error as Error).message}`);
  }
  return [...extra, ...DEFAULT_KIND_RULES];
}

/**
 * The feature folder a path belongs to: the folder directly below the first `specs/` (or `.specs/`) segment
 * (which covers `.kiro/specs/x/` and nested `apps/web/specs/x/`). Features do not nest, so
 * everything deeper, such as `contracts/`, belongs to the same feature.
 */
export function featureOf(path: string): { key: string; name: string } | null {
  const segments = path.split("/");
  // The last segment is the file itself, so a feature needs `specs`, a folder name, and a file.
  for (let i = 0; i < segments.length - 2; i++) {
    if ((segments[i] === "specs" || segments[i] === ".specs") && segments[i + 1] !== "") {
      return { key: segments.slice(0, i + 2).join("/"), name: segments[i + 1] };
    }
  }
  return null;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}
