// Shared shapes of the agent-configuration rules (decision 029).
import type { SpecKind } from "@/lib/specs/kinds";

export type Severity = "error" | "warning" | "info";

export const AGENT_CONFIG_RULE_IDS = [
  "agent-unreadable",
  "agent-frontmatter-yaml",
  "agent-required-field",
  "agent-field-format",
  "agent-misplaced-field",
  "agent-glob-invalid",
  "agent-glob-no-match",
  "agent-config-json",
  "agent-dangerous-grant",
  "agent-plaintext-secret",
  "agent-mcp-http",
  "agent-mcp-unpinned",
  "agent-unclosed-fence",
] as const;
export type AgentConfigRuleId = (typeof AGENT_CONFIG_RULE_IDS)[number];

/** Security findings block `specledger check` under their own policy key (lib/checks/policy.ts). */
export const SECURITY_RULE_IDS: ReadonlySet<string> = new Set<AgentConfigRuleId>([
  "agent-dangerous-grant",
  "agent-plaintext-secret",
  "agent-mcp-http",
  "agent-mcp-unpinned",
]);

export interface ConfigIssue {
  rule: AgentConfigRuleId;
  /** Set when the issue's severity differs from the rule's default. */
  severity?: Severity;
  line: number | null;
  message: string;
  suggestion: string;
  evidence?: Record<string, unknown>;
}

/**
 * Which tool's file this is, finer than the kind: the rules differ between a Claude Code
 * subagent and a Copilot custom agent although both are `subagent`s.
 */
export type ConfigFlavor =
  | "skill"
  | "claude-subagent"
  | "copilot-agent"
  | "prompt"
  | "copilot-instructions"
  | "cursor-rule"
  | "claude-rule"
  | "agent-file"
  | "claude-settings"
  | "mcp-strict"
  | "mcp-jsonc";

export interface ConfigFile {
  path: string;
  kind: SpecKind;
  text: string;
  /** Every path at the repository's head commit, when the caller has it (globs that match nothing). */
  tree?: ReadonlySet<string>;
  /** Why the file's bytes are not text, when the import could not store them (its recorded detail): `text` is then empty. */
  unreadable?: string;
}

export function flavorOf(path: string, kind: SpecKind): ConfigFlavor | null {
  const name = path.slice(path.lastIndexOf("/") + 1);
  switch (kind) {
    case "skill":
      return "skill";
    case "subagent":
      return /\.(?:agent|chatmode)\.md$/.test(name) || /(?:^|\/)\.github\/agents\//.test(path) ? "copilot-agent" : "claude-subagent";
    case "prompt":
      return "prompt";
    case "tool-config":
      if (name === "settings.json") return "claude-settings";
      // VS Code reads its configuration files as JSON with comments; Claude Code and Cursor do not.
      return /(?:^|\/)\.vscode\/mcp\.json$/.test(path) ? "mcp-jsonc" : "mcp-strict";
    case "agent":
      if (name.endsWith(".instructions.md")) return "copilot-instructions";
      if (name.endsWith(".mdc")) return "cursor-rule";
      if (/(?:^|\/)\.claude\/rules\//.test(path)) return "claude-rule";
      return "agent-file";
    default:
      return null;
  }
}
