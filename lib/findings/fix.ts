// Safe fixes for agent-configuration findings (decision 040): rewrites whose result is what the
// author meant beyond doubt, checked by parsing the result again. Pure; `specledger lint --fix`
// writes the text, and "Propose fix" sends it as a proposed change (lib/findings/propose-fix.ts).
//   - agent-frontmatter-yaml, unquoted glob: `applyTo: **/*.ts` → `applyTo: "**/*.ts"` (a YAML alias otherwise).
//     Not in Cursor rules: Cursor documents bare globs and matches a quoted one with its quotes (decision 028).
//   - agent-misplaced-field in SKILL.md: a one-line `version: 1.0` → under `metadata:`, where the
//     Agent Skills specification keeps fields it does not define (https://agentskills.io/specification).
// Anything else (a missing required field, a fence whose end only the author knows) is left to people.
import type { SpecKind } from "@/lib/specs/kinds";
import { splitFrontmatter } from "./agent-config/frontmatter";
import { agentConfigIssues } from "./agent-config";
import { flavorOf } from "./agent-config/types";

/** The rules whose findings a fix can remove; "Propose fix" is offered only on these. */
export const FIXABLE_RULES: ReadonlySet<string> = new Set(["agent-frontmatter-yaml", "agent-misplaced-field"]);

export interface FixResult {
  text: string;
  /** One line per change made, for the report; empty when nothing was safe to change. */
  changes: string[];
}

const GLOB_LINE = /^(\s*(?:-\s+|[\w.-]+\s*:\s+(?:-\s+)?))(\*[^\s#"']*)(\s*)$/;
const SCALAR_FIELD = /^([A-Za-z][\w-]*)\s*:\s*(.*?)\s*$/;
// Another tool's field in a skill may be meant for that tool: moving it is a guess.
const OTHER_TOOLS = new Set(["applyTo", "globs", "alwaysApply"]);

/** The text with every safe fix applied, or the same text and no changes. Idempotent. */
export function fixFile(file: { path: string; kind: SpecKind; text: string }): FixResult {
  const changes: string[] = [];
  let text = file.text;
  for (const fix of [quoteGlobs, moveToMetadata]) {
    const result = fix(file, text);
    if (!result) continue;
    text = result.text;
    changes.push(...result.changes);
  }
  return { text, changes };
}

const eol = (text: string) => (text.includes("\r\n") ? "\r\n" : "\n");

function quoteGlobs(file: { path: string; kind: SpecKind }, text: string): FixResult | null {
  if (flavorOf(file.path, file.kind) === "cursor-rule") return null;
  const { frontmatter: fm } = splitFrontmatter(text);
  if (fm.kind !== "invalid" || !fm.unquotedGlob) return null;
  const nl = eol(text);
  const lines = text.split(/\r?\n/);
  const changes: string[] = [];
  for (let i = fm.startLine - 1; i < fm.startLine - 1 + fm.lines.length; i++) {
    const m = lines[i].match(GLOB_LINE);
    if (!m) continue;
    lines[i] = `${m[1]}"${m[2]}"${m[3]}`;
    changes.push(`line ${i + 1}: quoted the glob ${m[2]}`);
  }
  const next = lines.join(nl);
  // Only when quoting is what made the front matter unreadable: the result must parse.
  if (changes.length === 0 || splitFrontmatter(next).frontmatter.kind !== "ok") return null;
  return { text: next, changes };
}

function moveToMetadata(file: { path: string; kind: SpecKind }, text: string): FixResult | null {
  if (file.kind !== "skill") return null;
  const issues = agentConfigIssues({ ...file, text }).filter((i) => i.rule === "agent-misplaced-field" && typeof i.evidence?.field === "string");
  if (issues.length === 0) return null;
  const { frontmatter: fm } = splitFrontmatter(text);
  // A metadata block already written by hand could be in any style; merging into it is not unambiguous.
  if (fm.kind !== "ok" || "metadata" in fm.data) return null;
  const nl = eol(text);
  const lines = text.split(/\r?\n/);
  const moved: Array<{ field: string; value: string }> = [];
  const drop = new Set<number>();
  for (const issue of issues) {
    const field = issue.evidence!.field as string;
    if (OTHER_TOOLS.has(field)) continue;
    const value = fm.data[field];
    const index = issue.line !== null ? issue.line - 1 : -1;
    const m = lines[index]?.match(SCALAR_FIELD);
    // One line, a plain scalar: nested or multi-line values are left alone.
    const nextIsChild = /^\s+\S/.test(lines[index + 1] ?? "") && index + 1 < fm.endLine;
    if (!m || m[1] !== field || nextIsChild || value === null || typeof value === "object") continue;
    // The value as written, not as YAML read it: `version: 1.0` must stay "1.0", not become "1".
    const written = /^["']/.test(m[2]) ? String(value) : m[2].replace(/\s#.*$/, "").trim();
    moved.push({ field, value: written });
    drop.add(index);
  }
  if (moved.length === 0) return null;
  const close = fm.endLine; // 0-based index of the closing --- line
  const metadata = ["metadata:", ...moved.map(({ field, value }) => `  ${field}: ${JSON.stringify(value)}`)];
  const next = [...lines.slice(0, close).filter((_, i) => !drop.has(i)), ...metadata, ...lines.slice(close)].join(nl);
  const check = splitFrontmatter(next).frontmatter;
  if (check.kind !== "ok") return null;
  return { text: next, changes: moved.map(({ field }) => `moved ${field} under metadata`) };
}
