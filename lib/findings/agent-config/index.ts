// Rules that check agent configuration against what each tool documents it accepts (decision 029).
// Pure functions over one file's text; the head tree, when given, lets globs be checked against real paths.
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser";
import { fieldFormats, misplacedFields, requiredFields } from "./fields";
import { lineFields, splitFrontmatter, type Frontmatter } from "./frontmatter";
import { globIssues } from "./globs";
import { unclosedFence } from "./markdown";
import { grantIssues, hookCommands, mcpIssues, secretsInText, secretsInValues, toolList, type Grants } from "./security";
import { flavorOf, type AgentConfigRuleId, type ConfigFile, type ConfigFlavor, type ConfigIssue, type Severity } from "./types";

export { AGENT_CONFIG_RULE_IDS, SECURITY_RULE_IDS, type AgentConfigRuleId, type ConfigIssue } from "./types";

export interface AgentConfigRule {
  id: AgentConfigRuleId;
  appliesTo: "agent";
  title: string;
  /** What the rule checks and the documentation it follows. */
  description: string;
  defaultSeverity: Severity;
}

const SKILLS = "https://agentskills.io/specification";
const CLAUDE = "https://code.claude.com/docs/en";

export const AGENT_CONFIG_RULES: readonly AgentConfigRule[] = [
  {
    id: "agent-unreadable",
    appliesTo: "agent",
    title: "Agent file is not text",
    description:
      "A SKILL.md, rule or configuration file that holds binary data (NUL bytes, invalid UTF-8): no tool can read it as instructions (SKILL.md is Markdown text: https://agentskills.io/specification; settings and MCP files are JSON text: https://www.rfc-editor.org/rfc/rfc8259#section-8.1).",
    defaultSeverity: "error",
  },
  {
    id: "agent-frontmatter-yaml",
    appliesTo: "agent",
    title: "Front matter is not valid YAML",
    description: `Front matter must be a YAML mapping between --- lines (${SKILLS}, ${CLAUDE}/sub-agents, https://code.visualstudio.com/docs/copilot/customization/custom-instructions). An unquoted glob such as applyTo: **/*.ts is a YAML alias (https://yaml.org/spec/1.2.2/#71-alias-nodes). Claude Code and Cursor read their own files with forgiving parsers, so for subagents, commands and rules it is a warning; in a Cursor rule an unquoted glob is not reported at all, since Cursor documents globs bare (globs: src/**/*.ts, https://cursor.com/docs/context/rules) and matches a quoted one with its quotes. SKILL.md and Copilot files are read as YAML by several tools (a skill whose front matter fails is dropped: https://github.com/anthropics/claude-code/issues/78270), so there it is an error.`,
    defaultSeverity: "error",
  },
  {
    id: "agent-required-field",
    appliesTo: "agent",
    title: "Required field missing",
    description: `SKILL.md needs name and description (${SKILLS}); a Claude Code subagent needs name and description (${CLAUDE}/sub-agents); a Copilot custom agent needs description (https://docs.github.com/en/copilot/reference/custom-agents-configuration); a Copilot .instructions.md file applies only with applyTo (https://docs.github.com/en/copilot/how-tos/configure-custom-instructions/add-repository-instructions).`,
    defaultSeverity: "error",
  },
  {
    id: "agent-field-format",
    appliesTo: "agent",
    title: "Field breaks a documented limit",
    description: `Skill name: 1-64 lower-case letters, digits and single hyphens, equal to its folder name; description up to 1024 characters; compatibility up to 500 (${SKILLS}). Fields must be strings.`,
    defaultSeverity: "error",
  },
  {
    id: "agent-misplaced-field",
    appliesTo: "agent",
    title: "Field that belongs to another tool",
    description: `applyTo belongs to Copilot instruction files, globs/alwaysApply to Cursor rules, paths to Claude Code rules; elsewhere the tool ignores them. SKILL.md fields outside the specification and Claude Code's list (${SKILLS}, ${CLAUDE}/skills) belong under metadata.`,
    defaultSeverity: "warning",
  },
  {
    id: "agent-glob-invalid",
    appliesTo: "agent",
    title: "Glob that can never match",
    description:
      "applyTo, globs and paths patterns that are empty, absolute, start with ./ or ../, use backslashes or leave a { or [ open (https://code.visualstudio.com/docs/copilot/customization/custom-instructions, https://docs.cursor.com/context/rules, https://code.claude.com/docs/en/memory).",
    defaultSeverity: "warning",
  },
  {
    id: "agent-glob-no-match",
    appliesTo: "agent",
    title: "Glob matches no file",
    description:
      "An applyTo, globs or paths pattern of a rule file in its tool's folder (.github/instructions, .cursor/rules, .claude/rules) matches no file at the head commit, so the rule never applies (globs are matched against the workspace's files: https://code.visualstudio.com/docs/copilot/customization/custom-instructions, https://docs.cursor.com/context/rules, https://code.claude.com/docs/en/memory).",
    defaultSeverity: "warning",
  },
  {
    id: "agent-config-json",
    appliesTo: "agent",
    title: "Configuration is not valid JSON",
    description: `.claude/settings.json (${CLAUDE}/settings), .mcp.json (${CLAUDE}/mcp) and .cursor/mcp.json (https://docs.cursor.com/context/model-context-protocol) are JSON; .vscode/mcp.json may carry comments (https://code.visualstudio.com/docs/copilot/customization/mcp-servers). A file that does not parse is ignored by its tool; comments in a strict-JSON file are a warning.`,
    defaultSeverity: "error",
  },
  {
    id: "agent-dangerous-grant",
    appliesTo: "agent",
    title: "Dangerous permission or hook",
    description: `Unrestricted Bash in allowed-tools or permissions.allow, bypassPermissions (${CLAUDE}/settings#permission-settings, ${CLAUDE}/iam), and hook or allowed commands with rm -rf, curl | sh or --dangerously-skip-permissions (${CLAUDE}/hooks#security-considerations). An allowed rm -rf of named relative paths without a wildcard is not reported: a rule without a wildcard matches that exact command only (${CLAUDE}/iam). A subagent's tools list only limits which tools it has, so Bash there is not reported.`,
    defaultSeverity: "error",
  },
  {
    id: "agent-plaintext-secret",
    appliesTo: "agent",
    title: "Secret in plain text",
    description:
      "Credentials in known formats (AWS, GitHub, Anthropic, OpenAI, Slack, Google, Stripe keys, private keys; https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns) and literal values of secret-named env or headers keys in MCP and settings files. Examples with placeholders are skipped.",
    defaultSeverity: "error",
  },
  {
    id: "agent-mcp-http",
    appliesTo: "agent",
    title: "MCP server over plain HTTP",
    description:
      "A remote MCP server reached by http:// (not localhost, nor a Compose service name in a repository that defines containers): tool calls, results and tokens travel unencrypted (https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices).",
    defaultSeverity: "error",
  },
  {
    id: "agent-mcp-unpinned",
    appliesTo: "agent",
    title: "MCP server from an unpinned package",
    description:
      "An MCP server launched with npx, bunx, pnpm/yarn dlx, npm exec, uvx or pipx run without an exact version, or by docker run from an image without a version tag or digest, runs whatever is published next (https://docs.npmjs.com/cli/v11/commands/npx, https://docs.astral.sh/uv/guides/tools/, https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier).",
    defaultSeverity: "error",
  },
  {
    id: "agent-unclosed-fence",
    appliesTo: "agent",
    title: "Unclosed code fence",
    description:
      "A ``` or ~~~ fence that is never closed turns the rest of the file into code for every tool that reads it (https://spec.commonmark.org/0.31.2/#fenced-code-blocks).",
    defaultSeverity: "warning",
  },
];

/** Text that holds NUL bytes or many replacement characters is binary data read as UTF-8. */
function isBinary(text: string): boolean {
  if (text.includes("\u0000")) return true;
  let replaced = 0;
  for (const ch of text) if (ch === "\uFFFD" && ++replaced > 8) return true;
  return false;
}

function lineFinder(text: string): { lineOf: (needle: string) => number | null; lines: string[] } {
  const lines = text.split(/\r?\n/);
  return {
    lines,
    lineOf: (needle) => {
      const index = lines.findIndex((l) => l.includes(needle));
      return index >= 0 ? index + 1 : null;
    },
  };
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

/** Every agent-configuration issue of one file; files of other kinds get none. */
export function agentConfigIssues(file: ConfigFile): ConfigIssue[] {
  const flavor = flavorOf(file.path, file.kind);
  if (!flavor) return [];
  if (file.unreadable !== undefined || isBinary(file.text)) {
    return [
      {
        rule: "agent-unreadable",
        line: null,
        message:
          file.unreadable !== undefined
            ? `No tool can read ${file.path} as text, and Specledger could not version it. ${file.unreadable.replace(/\.?$/, ".")}`
            : `${file.path} holds binary data, not text: no tool can read it.`,
        suggestion: "Replace it with the UTF-8 text the tool expects, or remove it.",
      },
    ];
  }
  const issues: ConfigIssue[] =
    flavor === "claude-settings" || flavor === "mcp-strict" || flavor === "mcp-jsonc" ? jsonIssues(file, flavor) : markdownIssues(file, flavor);
  // One secret can be found both by its format and as a secret-named value.
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.rule}:${i.line}:${JSON.stringify(i.evidence?.secret ?? i.message)}`;
    return !seen.has(key) && seen.add(key);
  });
}

// Claude Code and Cursor read front matter with forgiving parsers (Anthropic's own plugins ship agents whose
// multi-line descriptions are not YAML), so for their files invalid YAML is a portability warning.
const LENIENT_READERS: ReadonlySet<ConfigFlavor> = new Set(["claude-subagent", "prompt", "claude-rule", "cursor-rule", "agent-file"]);

function markdownIssues(file: ConfigFile, flavor: ConfigFlavor): ConfigIssue[] {
  const { frontmatter: fm, body, bodyLine } = splitFrontmatter(file.text);
  const issues: ConfigIssue[] = [];
  // Claude Code and Cursor read what strict YAML refuses (a loose description with colons): reporting it would be a
  // false alarm (labelled corpus, decision 040). Front matter never closed or oversized still counts, and so does an
  // unquoted glob, except in a Cursor rule: Cursor documents its globs bare and reads a quoted one with its quotes, so
  // quoting breaks the rule it was meant to fix (decision 028, trigger.dev's writing-tasks.mdc).
  const cursorGlob = flavor === "cursor-rule" && fm.kind === "invalid" && !!fm.unquotedGlob;
  const readAnyway = fm.kind === "invalid" && LENIENT_READERS.has(flavor) && (!fm.unquotedGlob || cursorGlob) && !fm.structural;
  if (fm.kind === "invalid" && !readAnyway) {
    const glob = fm.unquotedGlob;
    issues.push({
      rule: "agent-frontmatter-yaml",
      line: fm.line,
      message: glob
        ? `The front matter does not parse as YAML: the unquoted glob ${glob} reads as an alias.`
        : `The front matter does not parse as YAML (${fm.reason}), so the tool sees none of its fields.`,
      suggestion: glob ? `Quote it: "${glob}".` : "Fix the YAML: one `key: value` per line, strings with `:` or `#` quoted.",
      evidence: { reason: fm.reason, ...(glob ? { glob } : {}) },
      ...(LENIENT_READERS.has(flavor) ? { severity: "warning" as const } : {}),
    });
  }
  issues.push(...requiredFields(flavor, fm, file.path), ...fieldFormats(flavor, fm, file.path), ...misplacedFields(flavor, fm, file.path));
  // Cursor reads front matter YAML refuses line by line, so its globs are still checked the way it reads them.
  const globsAsRead: Frontmatter =
    fm.kind === "invalid" && readAnyway && flavor === "cursor-rule"
      ? { kind: "ok", data: lineFields(fm.lines), startLine: fm.startLine, endLine: fm.endLine, lines: fm.lines }
      : fm;
  issues.push(...globIssues(flavor, globsAsRead, file.path, file.tree));
  if (fm.kind === "ok") {
    const grants: Grants = { allowed: [], hooks: hookCommands(fm.data.hooks), modes: [] };
    if (flavor === "skill" || flavor === "prompt") grants.allowed.push(...toolList(fm.data["allowed-tools"]));
    if (typeof fm.data.permissionMode === "string") grants.modes.push(fm.data.permissionMode);
    const { lineOf } = lineFinder(file.text);
    issues.push(...grantIssues(grants, lineOf));
  }
  issues.push(...secretsInText(file.text));
  issues.push(...unclosedFence(body, bodyLine));
  return issues;
}

function jsonIssues(file: ConfigFile, flavor: "claude-settings" | "mcp-strict" | "mcp-jsonc"): ConfigIssue[] {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(file.text, errors, { allowTrailingComma: true, disallowComments: false });
  const issues: ConfigIssue[] = [];
  if (errors.length > 0) {
    const first = errors[0];
    issues.push({
      rule: "agent-config-json",
      line: lineAt(file.text, first.offset),
      message: `${file.path} is not valid JSON (${printParseErrorCode(first.error)}): the tool ignores the whole file.`,
      suggestion: "Fix the syntax; a JSON validator points at the same spot.",
      evidence: { error: printParseErrorCode(first.error), offset: first.offset },
    });
    return [...issues, ...secretsInText(file.text)];
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return [{ rule: "agent-config-json", line: 1, message: `${file.path} must hold a JSON object.`, suggestion: "Wrap the settings in { ... }." }];
  }
  if (flavor !== "mcp-jsonc") {
    try {
      JSON.parse(file.text.replace(/^\uFEFF/, ""));
    } catch {
      issues.push({
        rule: "agent-config-json",
        severity: "warning",
        line: 1,
        message: `${file.path} has comments or trailing commas; its tool reads strict JSON and may reject the file.`,
        suggestion: "Remove the comments and trailing commas; keep notes in a README beside it.",
        evidence: { error: "not strict JSON" },
      });
    }
  }
  const { lineOf, lines } = lineFinder(file.text);
  const record = value as Record<string, unknown>;
  if (flavor === "claude-settings") {
    const permissions = (record.permissions ?? {}) as Record<string, unknown>;
    const grants: Grants = {
      allowed: Array.isArray(permissions.allow) ? permissions.allow.filter((a): a is string => typeof a === "string") : [],
      hooks: hookCommands(record.hooks),
      modes: typeof permissions.defaultMode === "string" ? [permissions.defaultMode] : [],
    };
    issues.push(...grantIssues(grants, lineOf));
    if (record.env !== null && typeof record.env === "object" && !Array.isArray(record.env)) {
      issues.push(...secretsInValues(record.env as Record<string, unknown>, lineOf, lines));
    }
  }
  issues.push(...mcpIssues(value, lineOf, lines, file.tree));
  issues.push(...secretsInText(file.text));
  return issues;
}
