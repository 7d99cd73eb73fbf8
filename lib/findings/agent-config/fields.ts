// Front matter fields each tool requires, the limits it documents, and fields that belong to another tool.
import { fieldLine, type Frontmatter } from "./frontmatter";
import type { ConfigFlavor, ConfigIssue } from "./types";

type Ok = Extract<Frontmatter, { kind: "ok" }>;

// https://agentskills.io/specification (name, description, license, compatibility, metadata, allowed-tools)
// plus the fields Claude Code adds (https://code.claude.com/docs/en/skills#frontmatter-reference).
const SKILL_FIELDS = new Set([
  "name",
  "description",
  "license",
  "compatibility",
  "metadata",
  "allowed-tools",
  "argument-hint",
  "disable-model-invocation",
  "user-invocable",
  "model",
  "context",
  "agent",
  "hooks",
  "paths",
]);

/** A field and the files it belongs in, for "fields that belong elsewhere". */
const FOREIGN: Record<string, { owner: string; allowedIn: ReadonlySet<ConfigFlavor> }> = {
  applyTo: { owner: "Copilot .instructions.md files", allowedIn: new Set(["copilot-instructions"]) },
  globs: { owner: "Cursor .mdc rules", allowedIn: new Set(["cursor-rule"]) },
  alwaysApply: { owner: "Cursor .mdc rules", allowedIn: new Set(["cursor-rule"]) },
  paths: { owner: "Claude Code .claude/rules files and skills", allowedIn: new Set(["claude-rule", "skill", "agent-file"]) },
};

const SKILL_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function issue(rule: ConfigIssue["rule"], fm: Ok, field: string, message: string, suggestion: string, severity?: ConfigIssue["severity"]): ConfigIssue {
  return { rule, line: fieldLine(fm, field), message, suggestion, evidence: { field }, ...(severity ? { severity } : {}) };
}

const present = (value: unknown) => value !== undefined && value !== null && !(typeof value === "string" && value.trim() === "");

/** Required fields: `name` and `description` of skills and Claude subagents, `applyTo` of Copilot instruction files, `description` of Copilot agents. */
export function requiredFields(flavor: ConfigFlavor, fm: Frontmatter, path: string): ConfigIssue[] {
  const required: Array<{ field: string; why: string; severity?: ConfigIssue["severity"] }> =
    flavor === "skill"
      ? [
          // Only Claude Code reads .claude/skills, and it falls back to the folder name
          // (https://code.claude.com/docs/en/skills#frontmatter-reference); other skill loaders refuse a skill without one.
          ...(/(?:^|\/)\.claude\/skills\//.test(path)
            ? []
            : [{ field: "name", why: "the Agent Skills specification requires it; loaders other than Claude Code refuse the skill" }]),
          { field: "description", why: "agents decide from the description alone whether to load the skill" },
        ]
      : flavor === "claude-subagent"
        ? [
            { field: "name", why: "Claude Code requires it to register the subagent" },
            { field: "description", why: "Claude Code delegates to a subagent by its description" },
          ]
        : flavor === "copilot-agent"
          ? [{ field: "description", why: "Copilot requires a description for a custom agent", severity: "warning" }]
          : flavor === "copilot-instructions"
            ? [{ field: "applyTo", why: "without it Copilot never applies the file automatically", severity: "warning" }]
            : [];
  // A README describes its folder to people; no tool reads docs/README.instructions.md as a rule (labelled corpus, decision 040).
  if (required.length === 0 || /(?:^|\/)README\.[^/]*$/i.test(path)) return [];
  if (fm.kind === "invalid") return []; // agent-frontmatter-yaml already says why nothing can be read
  const data = fm.kind === "ok" ? fm.data : {};
  return required
    .filter(({ field }) => !present(data[field]))
    .map(({ field, why, severity }) => ({
      rule: "agent-required-field" as const,
      line: fm.kind === "ok" ? fm.startLine - 1 : 1,
      message: `${path} has no \`${field}\` in its front matter: ${why}.`,
      suggestion: fm.kind === "none" ? `Start the file with a front matter block: ---, ${field}: ..., ---.` : `Add \`${field}: ...\` to the front matter.`,
      evidence: { field },
      ...(severity ? { severity } : {}),
    }));
}

/** Types and limits: skill `name` (1-64 characters, lower-case letters, digits and single hyphens, same as its folder), `description` (1-1024), `compatibility` (500). */
export function fieldFormats(flavor: ConfigFlavor, fm: Frontmatter, path: string): ConfigIssue[] {
  if (fm.kind !== "ok" || (flavor !== "skill" && flavor !== "claude-subagent")) return [];
  const issues: ConfigIssue[] = [];
  const { name, description, compatibility } = fm.data;
  for (const [field, value] of [
    ["name", name],
    ["description", description],
    ["compatibility", compatibility],
  ] as const) {
    if (value !== undefined && value !== null && typeof value !== "string") {
      issues.push(
        issue(
          "agent-field-format",
          fm,
          field,
          `\`${field}\` must be a string, not ${Array.isArray(value) ? "a list" : typeof value}.`,
          `Write \`${field}\` as one quoted string.`,
        ),
      );
    }
  }
  if (flavor === "skill") {
    if (typeof name === "string" && name.trim() !== "") {
      if (name.length > 64) {
        issues.push(
          issue(
            "agent-field-format",
            fm,
            "name",
            `The skill name is ${name.length} characters; the limit is 64.`,
            "Shorten the name (and its folder) to 64 characters or fewer.",
          ),
        );
      } else if (!SKILL_NAME.test(name)) {
        issues.push(
          issue(
            "agent-field-format",
            fm,
            "name",
            `The skill name "${name}" is not lower-case letters, digits and single hyphens.`,
            `Rename it, e.g. "${name
              .toLowerCase()
              .replace(/[^a-z0-9]+/g, "-")
              .replace(/^-+|-+$/g, "")}".`,
          ),
        );
      }
      const folder = path.split("/").at(-2);
      if (folder && folder !== name && SKILL_NAME.test(name)) {
        issues.push(
          issue(
            "agent-field-format",
            fm,
            "name",
            `The skill name "${name}" differs from its folder "${folder}"; the specification requires them to match.`,
            `Rename the folder to ${name}/ or the skill to "${folder}".`,
            "warning",
          ),
        );
      }
    }
    if (typeof description === "string" && description.length > 1024) {
      issues.push(
        issue(
          "agent-field-format",
          fm,
          "description",
          `The description is ${description.length} characters; the limit is 1024.`,
          "Keep what the skill does and when to use it; move details into the body.",
        ),
      );
    }
    if (typeof compatibility === "string" && compatibility.length > 500) {
      issues.push(
        issue(
          "agent-field-format",
          fm,
          "compatibility",
          `\`compatibility\` is ${compatibility.length} characters; the limit is 500.`,
          "Shorten it to the environments the skill needs.",
        ),
      );
    }
  }
  return issues;
}

/** Fields another tool reads (applyTo in an agent file), and in a SKILL.md fields no skill reader knows. */
export function misplacedFields(flavor: ConfigFlavor, fm: Frontmatter, path: string): ConfigIssue[] {
  if (fm.kind !== "ok") return [];
  const issues: ConfigIssue[] = [];
  for (const field of Object.keys(fm.data)) {
    const foreign = FOREIGN[field];
    if (foreign && !foreign.allowedIn.has(flavor) && flavor !== "agent-file") {
      issues.push(
        issue(
          "agent-misplaced-field",
          fm,
          field,
          `\`${field}\` belongs in ${foreign.owner}; ${path} is read by a tool that ignores it.`,
          flavor === "skill"
            ? "Describe when to use the skill in `description` instead."
            : `Remove \`${field}\`, or move the content to a file of the kind that reads it.`,
        ),
      );
    } else if (flavor === "skill" && !SKILL_FIELDS.has(field)) {
      issues.push(
        issue(
          "agent-misplaced-field",
          fm,
          field,
          `\`${field}\` is not a SKILL.md field (Agent Skills specification, Claude Code); skill loaders ignore or reject it.`,
          `Move it under \`metadata:\` (e.g. metadata: { ${field}: ... }).`,
        ),
      );
    }
  }
  return issues;
}
