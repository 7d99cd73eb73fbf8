// The one table of how each coding agent finds, scopes, imports and limits its instruction files.
// Every row follows the tool's own documentation or source; the citations and the readings chosen
// where the documents are silent are in docs/decisions/035-effective-instructions.md. To follow a
// tool's new release, change its row here: lib/instructions/resolve.ts only interprets the table.

export const AGENT_IDS = ["codex", "claude-code", "copilot", "cursor", "gemini-cli", "kiro", "junie", "windsurf", "cline"] as const;
export type AgentId = (typeof AGENT_IDS)[number];

/**
 * When a found file applies to the directory asked about.
 * - `always`: whenever it is found.
 * - `paths`: a front matter field of globs; none given means always (Claude Code rules, Cline rules).
 * - `applyTo`: Copilot: the glob field is required; a file without it is not applied automatically.
 * - `cursor`: `alwaysApply`, else `globs`, else `description` (the model decides), else manual.
 * - `kiro`: `inclusion: always` (the default), `fileMatch` + `fileMatchPattern`, `auto` (description), `manual`.
 * - `windsurf`: `trigger: always_on | glob (globs) | model_decision | manual`.
 */
export type Activation = "always" | "paths" | "applyTo" | "cursor" | "kiro" | "windsurf";

/**
 * Where files are found, relative to the repository root (the tools' workspace or git root).
 * - `chain`: in every directory from the root down to the directory asked about, files with these
 *   names (`firstOnly`: at most one per directory, the first name present wins).
 * - `nearest`: only the nearest directory (itself or an ancestor) holding one of the names.
 * - `root`: fixed paths at the root (`firstOnly`: only the first present).
 * - `folder`: files under a rule folder matching `glob` (relative to the folder's parent). `nested`: a
 *   rule folder in any directory on the way down applies too (Cursor, Claude Code); otherwise the root one only.
 */
export type Discovery =
  | { type: "chain"; names: readonly string[]; firstOnly: boolean }
  | { type: "nearest"; names: readonly string[] }
  | { type: "root"; paths: readonly string[]; firstOnly: boolean }
  | { type: "folder"; folder: string; glob: string; exclude?: readonly string[]; nested: boolean };

export interface SourceRule {
  /** A short name for the reason a file loads ("AGENTS.md chain", "path-specific instructions"). */
  label: string;
  discovery: Discovery;
  activation: Activation;
  /** Subdirectory AGENTS.md in Windsurf is a glob rule for `<dir>/**`; this marks it as scoped to its folder. */
  scopedToFolder?: boolean;
}

export interface ImportRule {
  /** `@path` outside code spans and fenced blocks, relative to the importing file. */
  syntax: "at-path";
  maxDepth: number;
}

export interface Budget {
  unit: "bytes" | "chars";
  /** Across everything that loads, in load order; what passes it is cut. */
  total: number | null;
  /** Per file; what passes it is cut before the total is counted. */
  perFile: number | null;
  /** What the limit is, in the tool's words, and which surface applies it. */
  description: string;
}

export interface AgentRow {
  id: AgentId;
  name: string;
  /** How files that load together relate. */
  precedence: string;
  sources: readonly SourceRule[];
  imports: ImportRule | null;
  budget: Budget | null;
  /** Where the documents say nothing and which reading was chosen (shown with every answer). */
  notes: readonly string[];
  /** The tool's own documentation or source this row follows. */
  docs: readonly string[];
}

const KIB = 1024;

export const AGENTS: Readonly<Record<AgentId, AgentRow>> = {
  codex: {
    id: "codex",
    name: "Codex",
    precedence: "Concatenated from the repository root down to the directory; later files override earlier ones.",
    sources: [{ label: "AGENTS.md chain", discovery: { type: "chain", names: ["AGENTS.override.md", "AGENTS.md"], firstOnly: true }, activation: "always" }],
    imports: null,
    budget: {
      unit: "bytes",
      total: 32 * KIB,
      perFile: null,
      description: "project_doc_max_bytes (default 32 KiB) across the concatenated chain; a file past it is cut, later files are dropped",
    },
    notes: [
      "project_doc_fallback_filenames is a user setting; only the default names are read here.",
      "Empty files are skipped and cost nothing, as in project_doc.rs.",
    ],
    docs: ["https://github.com/openai/codex/blob/main/codex-rs/core/src/project_doc.rs", "https://developers.openai.com/codex/guides/agents-md"],
  },
  "claude-code": {
    id: "claude-code",
    name: "Claude Code",
    precedence: "All files load together, root to leaf; the documents give files closer to the directory no formal precedence.",
    sources: [
      { label: "CLAUDE.md chain", discovery: { type: "chain", names: ["CLAUDE.md", ".claude/CLAUDE.md"], firstOnly: false }, activation: "always" },
      { label: "Claude Code rules", discovery: { type: "folder", folder: ".claude/rules", glob: "**/*.md", nested: true }, activation: "paths" },
    ],
    imports: { syntax: "at-path", maxDepth: 5 },
    budget: null,
    notes: [
      "CLAUDE.md files are loaded in full regardless of length (only auto memory's MEMORY.md is capped).",
      "CLAUDE.md files below the directory load only when Claude reads files there; they are not part of this answer.",
      "CLAUDE.local.md and ~/.claude are not in the repository and not shown.",
    ],
    docs: ["https://docs.anthropic.com/en/docs/claude-code/memory"],
  },
  copilot: {
    id: "copilot",
    name: "GitHub Copilot",
    precedence: "Repository-wide and matching path-specific instructions are combined; of AGENTS.md files the nearest one takes precedence.",
    sources: [
      {
        label: "repository-wide instructions",
        discovery: { type: "root", paths: [".github/copilot-instructions.md"], firstOnly: false },
        activation: "always",
      },
      {
        label: "path-specific instructions",
        discovery: { type: "folder", folder: ".github/instructions", glob: "**/*.instructions.md", nested: false },
        activation: "applyTo",
      },
      { label: "nearest AGENTS.md", discovery: { type: "nearest", names: ["AGENTS.md"] }, activation: "always" },
      { label: "root CLAUDE.md / GEMINI.md", discovery: { type: "root", paths: ["CLAUDE.md", "GEMINI.md"], firstOnly: false }, activation: "always" },
    ],
    imports: null,
    // Copilot code review once read only the first 4,000 characters of its .github instruction files; GitHub's docs no
    // longer state any limit (github/docs#42761), and chat and the coding agent never had one. Applied to every file
    // Copilot loads, the cut was wrong in all 45 cases on public repositories (decision 035, amendment of stop 24).
    budget: null,
    notes: [
      "No size limit is documented today; code review's former 4,000-character cut is no longer stated (github/docs#42761), so none is applied.",
      "applyTo globs are matched against repository-relative paths of the files in the directory.",
    ],
    docs: [
      "https://docs.github.com/en/copilot/how-tos/configure-custom-instructions/add-repository-instructions",
      "https://docs.github.com/en/copilot/how-tos/copilot-cli/customize-copilot/add-custom-instructions",
      "https://github.com/github/docs/issues/42761",
    ],
  },
  cursor: {
    id: "cursor",
    name: "Cursor",
    precedence: "All applicable rules load together; nested rule folders add to their ancestors' and AGENTS.md files apply from the root down.",
    sources: [
      { label: "project rules", discovery: { type: "folder", folder: ".cursor/rules", glob: "**/*.mdc", nested: true }, activation: "cursor" },
      { label: "legacy .cursorrules", discovery: { type: "root", paths: [".cursorrules"], firstOnly: false }, activation: "always" },
      { label: "AGENTS.md chain", discovery: { type: "chain", names: ["AGENTS.md"], firstOnly: false }, activation: "always" },
    ],
    imports: null,
    budget: null,
    notes: [
      "Cursor recommends rules under 500 lines but documents no cut.",
      "Rules with only a description are attached when the model decides; they are listed as 'may load' and counted.",
      "Globs are matched relative to the folder holding .cursor/rules.",
    ],
    docs: ["https://docs.cursor.com/context/rules"],
  },
  "gemini-cli": {
    id: "gemini-cli",
    name: "Gemini CLI",
    precedence: "Concatenated from the root down to the directory; more specific files come later.",
    sources: [{ label: "GEMINI.md chain", discovery: { type: "chain", names: ["GEMINI.md"], firstOnly: false }, activation: "always" }],
    imports: { syntax: "at-path", maxDepth: 5 },
    budget: null,
    notes: ["context.fileName can name other files; only the default GEMINI.md is read here.", "No size limit is documented."],
    docs: ["https://geminicli.com/docs/cli/gemini-md", "https://github.com/google-gemini/gemini-cli/blob/main/docs/core/memport.md"],
  },
  kiro: {
    id: "kiro",
    name: "Kiro",
    precedence: "All included steering files load together; no precedence is documented.",
    sources: [
      { label: "steering", discovery: { type: "folder", folder: ".kiro/steering", glob: "*.md", nested: false }, activation: "kiro" },
      { label: "root AGENTS.md", discovery: { type: "root", paths: ["AGENTS.md"], firstOnly: false }, activation: "always" },
    ],
    imports: null,
    budget: null,
    notes: [
      "Steering without front matter is always included; fileMatchPattern globs are relative to the workspace root.",
      "#[[file:...]] references inside steering are not followed.",
      "No size limit is documented.",
    ],
    docs: ["https://kiro.dev/docs/steering/"],
  },
  junie: {
    id: "junie",
    name: "Junie",
    precedence: "One guidelines file for the whole project.",
    sources: [
      {
        label: "guidelines",
        discovery: { type: "root", paths: [".junie/guidelines.md", ".junie/AGENTS.md", "AGENTS.md"], firstOnly: true },
        activation: "always",
      },
    ],
    imports: null,
    budget: null,
    notes: ["Another file can be chosen in the IDE's Guidelines path setting; the documented defaults are read in order.", "No size limit is documented."],
    docs: ["https://www.jetbrains.com/help/junie/customize-guidelines.html", "https://github.com/JetBrains/junie-guidelines"],
  },
  windsurf: {
    id: "windsurf",
    name: "Windsurf",
    precedence: "All active rules load together; past the total, global rules win over workspace rules.",
    sources: [
      { label: "legacy .windsurfrules", discovery: { type: "root", paths: [".windsurfrules"], firstOnly: false }, activation: "always" },
      { label: "workspace rules", discovery: { type: "folder", folder: ".windsurf/rules", glob: "*.md", nested: true }, activation: "windsurf" },
      {
        label: "AGENTS.md (root always on, subfolders as <dir>/**)",
        discovery: { type: "chain", names: ["AGENTS.md"], firstOnly: false },
        activation: "always",
      },
    ],
    imports: null,
    budget: {
      unit: "chars",
      total: null,
      perFile: 12_000,
      description:
        "each rule file is limited to 12,000 characters (docs.windsurf.com, Memories & Rules; the 6,000 per file and 12,000 in all of earlier versions are no longer stated)",
    },
    notes: [
      "A workspace rule without a trigger is listed as 'may load' and counted (the documents give no default).",
      "The docs state a limit per rule file and none for all rules together.",
    ],
    docs: ["https://docs.windsurf.com/windsurf/cascade/memories", "https://docs.windsurf.com/windsurf/cascade/agents-md"],
  },
  cline: {
    id: "cline",
    name: "Cline",
    precedence: "All enabled rules load together; no precedence is documented.",
    sources: [
      {
        label: "Cline rules",
        discovery: { type: "folder", folder: ".clinerules", glob: "**/*", exclude: ["workflows/**", "hooks/**", "skills/**"], nested: false },
        activation: "paths",
      },
      { label: ".clinerules file", discovery: { type: "root", paths: [".clinerules"], firstOnly: false }, activation: "always" },
      { label: "Cursor rules read by Cline", discovery: { type: "root", paths: [".cursorrules"], firstOnly: false }, activation: "always" },
      { label: "Cursor rules read by Cline", discovery: { type: "folder", folder: ".cursor/rules", glob: "**/*.mdc", nested: false }, activation: "paths" },
      { label: "Windsurf rules read by Cline", discovery: { type: "root", paths: [".windsurfrules"], firstOnly: false }, activation: "always" },
      { label: "root AGENTS.md", discovery: { type: "root", paths: ["AGENTS.md"], firstOnly: false }, activation: "always" },
    ],
    imports: null,
    budget: null,
    notes: [
      "Cline evaluates only the `paths` condition and ignores other keys, so Cursor's `globs` do not limit a .mdc file in Cline.",
      "Rule toggles are per user; every rule is taken as enabled (Cline's default for a new file).",
      "No size limit is documented.",
    ],
    docs: [
      "https://github.com/cline/cline/blob/main/apps/vscode/src/core/context/instructions/user-instructions/rule-conditionals.ts",
      "https://github.com/cline/cline/blob/main/apps/vscode/src/core/context/instructions/user-instructions/external-rules.ts",
      "https://docs.cline.bot/features/cline-rules",
    ],
  },
};

export function isAgentId(value: string): value is AgentId {
  return (AGENT_IDS as readonly string[]).includes(value);
}
