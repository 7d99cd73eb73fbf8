// Lint rules for agent instruction files and specs, as pure functions over one file's text.
// Rules, thresholds and the tokenizer choice: docs/decisions/010-lint-rules.md.
import { countTokens, isWithinTokenLimit } from "gpt-tokenizer/encoding/o200k_base";
import { z } from "zod";
import type { SpecKind } from "@/lib/specs/kinds";
import { AGENT_CONFIG_RULE_IDS, AGENT_CONFIG_RULES, agentConfigIssues } from "./agent-config";
import { looksLikeEars, parseEars } from "./ears";
import { countInstructions, markdownBlocks } from "./instructions";

export const SEVERITIES = ["error", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const LINT_RULE_IDS = [
  "agent-instruction-count",
  "agent-too-long",
  "agent-task-specific",
  "agent-rotting-paths",
  "spec-too-many-tokens",
  "spec-requirement-without-criteria",
  "spec-needs-clarification",
  "spec-ears-unparsed",
  "spec-duplicate-requirement-id",
  ...AGENT_CONFIG_RULE_IDS,
] as const;
export type LintRuleId = (typeof LINT_RULE_IDS)[number];

export interface LintRule {
  id: LintRuleId;
  appliesTo: "agent" | "spec";
  title: string;
  description: string;
  /** The severity when the configuration does not override it. */
  defaultSeverity: Severity;
}

export const LINT_RULES: readonly LintRule[] = [
  {
    id: "agent-instruction-count",
    appliesTo: "agent",
    title: "Too many instructions",
    description:
      "Counts the imperative instructions in an agent file. Above the warning threshold (150) agents start to skip rules; above the error threshold (200) they reliably do.",
    defaultSeverity: "warning",
  },
  {
    id: "agent-too-long",
    appliesTo: "agent",
    title: "Agent file too long",
    description: "An agent file longer than the line limit (300) is loaded into every session and crowds out the task.",
    defaultSeverity: "warning",
  },
  {
    id: "agent-task-specific",
    appliesTo: "agent",
    title: "Task-specific content",
    description: 'Dates, ticket ids and phrases such as "this week" or "for now" describe one task and go stale in a file every agent session reads.',
    defaultSeverity: "warning",
  },
  {
    id: "agent-rotting-paths",
    appliesTo: "agent",
    title: "Paths that rot",
    description:
      "References to a line of a file (src/a.ts:42, #L42) or to an absolute path on one machine (/home/..., /Users/..., C:\\...) break as soon as the code moves.",
    defaultSeverity: "info",
  },
  {
    id: "spec-too-many-tokens",
    appliesTo: "spec",
    title: "Spec too large",
    description: "A leaf spec above the token limit (4,000, counted with the o200k_base tokenizer) is hard to review and expensive for an agent to load.",
    defaultSeverity: "warning",
  },
  {
    id: "spec-requirement-without-criteria",
    appliesTo: "spec",
    title: "Requirement without acceptance criteria",
    description: "A requirement heading (### FR-007: ..., ### Requirement 3) with no acceptance criteria and no EARS lines before the next requirement.",
    defaultSeverity: "warning",
  },
  {
    id: "spec-needs-clarification",
    appliesTo: "spec",
    title: "Open clarification",
    description: "A [NEEDS CLARIFICATION] marker is a question nobody has answered yet.",
    defaultSeverity: "warning",
  },
  {
    id: "spec-ears-unparsed",
    appliesTo: "spec",
    title: "Malformed EARS criterion",
    description: "A line that starts like EARS (WHEN, IF, WHILE, WHERE, THE) but does not parse, usually because SHALL or THEN is missing.",
    defaultSeverity: "warning",
  },
  {
    id: "spec-duplicate-requirement-id",
    appliesTo: "spec",
    title: "Duplicate requirement id",
    description: "The same FR-, NFR- or SC- id is defined twice, as a heading or a bold definition.",
    defaultSeverity: "error",
  },
  ...AGENT_CONFIG_RULES,
];

const RULE_BY_ID = new Map(LINT_RULES.map((r) => [r.id, r]));

export const severitySchema = z.enum(SEVERITIES);
export const ruleConfigSchema = z.object({
  enabled: z.boolean().default(true),
  /** Replaces the rule's severity for every issue it reports. */
  severity: severitySchema.optional(),
});
export type RuleConfig = z.infer<typeof ruleConfigSchema>;

const rule = () => ruleConfigSchema.prefault({});
const rules = <T extends string>(ids: readonly T[]) => Object.fromEntries(ids.map((id) => [id, rule()])) as Record<T, ReturnType<typeof rule>>;

export const lintConfigSchema = z
  .object({
    rules: z
      .object({
        "agent-instruction-count": rule(),
        "agent-too-long": rule(),
        "agent-task-specific": rule(),
        "agent-rotting-paths": rule(),
        "spec-too-many-tokens": rule(),
        "spec-requirement-without-criteria": rule(),
        "spec-needs-clarification": rule(),
        "spec-ears-unparsed": rule(),
        "spec-duplicate-requirement-id": rule(),
        ...rules(AGENT_CONFIG_RULE_IDS),
      } satisfies Record<LintRuleId, unknown>)
      .prefault({}),
    instructionsWarning: z.number().int().positive().default(150),
    instructionsError: z.number().int().positive().default(200),
    maxAgentLines: z.number().int().positive().default(300),
    maxSpecTokens: z.number().int().positive().default(4000),
  })
  .refine((c) => c.instructionsError >= c.instructionsWarning, {
    message: "The error threshold for instructions must be at least the warning threshold.",
    path: ["instructionsError"],
  });
export type LintConfig = z.infer<typeof lintConfigSchema>;
export type LintConfigInput = z.input<typeof lintConfigSchema>;

export const DEFAULT_LINT_CONFIG: LintConfig = lintConfigSchema.parse({});

export interface LintIssue {
  rule: LintRuleId;
  severity: Severity;
  /** 1-based line in the file, or null for a finding about the whole file. */
  line: number | null;
  message: string;
  suggestion: string;
  evidence?: Record<string, unknown>;
}

export interface LintInput {
  path: string;
  kind: SpecKind;
  text: string;
  /**
   * False when another spec sits below this one's folder (it has children); leaf specs are
   * those without children. Default true.
   */
  leaf?: boolean;
  /** Every path at the head commit, when known: lets agent-config globs be checked against real files. */
  tree?: ReadonlySet<string>;
}

const SPEC_KINDS_LINTED: ReadonlySet<SpecKind> = new Set(["spec", "plan", "tasks", "steering", "constitution", "contract"]);

/** Every issue in one file, in line order (whole-file issues first). */
export function lintFile(input: LintInput, config: LintConfig = DEFAULT_LINT_CONFIG): LintIssue[] {
  const lines = scanLines(input.text);
  const found: Array<Omit<LintIssue, "severity"> & { severity?: Severity }> = [...agentConfigIssues(input)];
  if (input.kind === "agent") {
    found.push(...instructionCount(input.text, config), ...tooLong(input.text, input.path, config));
    found.push(...taskSpecific(lines), ...rottingPaths(lines));
  } else if (SPEC_KINDS_LINTED.has(input.kind)) {
    if (input.leaf !== false) found.push(...tooManyTokens(input.text, config));
    found.push(...needsClarification(lines));
    if (input.kind === "spec") {
      found.push(...requirementsWithoutCriteria(lines), ...earsUnparsed(input.text), ...duplicateIds(lines));
    }
  }

  const issues: LintIssue[] = [];
  for (const f of found) {
    const ruleConfig = config.rules[f.rule];
    if (!ruleConfig.enabled) continue;
    issues.push({ ...f, severity: ruleConfig.severity ?? f.severity ?? RULE_BY_ID.get(f.rule)!.defaultSeverity });
  }
  return issues
    .map((issue, order) => ({ issue, order }))
    .sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || a.order - b.order)
    .map((x) => x.issue);
}

// Lines ------------------------------------------------------------------------------------

interface Line {
  line: number;
  text: string;
  /** Inside a fenced code block (fence lines included). */
  code: boolean;
  /** YAML front matter or an HTML comment: not content. */
  hidden: boolean;
}

function scanLines(text: string): Line[] {
  const raw = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (raw.length > 1 && raw.at(-1) === "") raw.pop();
  let frontMatterEnd = -1;
  if (/^---\s*$/.test(raw[0] ?? "")) frontMatterEnd = raw.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  let fence: string | null = null;
  let inComment = false;
  return raw.map((t, i) => {
    if (i <= frontMatterEnd) return { line: i + 1, text: t, code: false, hidden: true };
    if (fence) {
      const m = t.match(/^\s*(`{3,}|~{3,})\s*$/);
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length) fence = null;
      return { line: i + 1, text: t, code: true, hidden: false };
    }
    const open = t.match(/^\s*(`{3,}|~{3,})/);
    if (open) {
      fence = open[1];
      return { line: i + 1, text: t, code: true, hidden: false };
    }
    let visible = t;
    if (inComment) {
      const end = visible.indexOf("-->");
      if (end < 0) return { line: i + 1, text: t, code: false, hidden: true };
      inComment = false;
      visible = visible.slice(end + 3);
    }
    visible = visible.replace(/<!--[\s\S]*?-->/g, "");
    const start = visible.indexOf("<!--");
    if (start >= 0) {
      inComment = true;
      visible = visible.slice(0, start);
    }
    return { line: i + 1, text: visible, code: false, hidden: false };
  });
}

const prose = (lines: Line[]) => lines.filter((l) => !l.code && !l.hidden);

function lineCount(text: string): number {
  const lines = text.split(/\r?\n/);
  return lines.at(-1) === "" ? lines.length - 1 : lines.length;
}

// Agent rules ------------------------------------------------------------------------------

function instructionCount(text: string, config: LintConfig) {
  const count = countInstructions(text);
  if (count <= config.instructionsWarning) return [];
  const isError = count > config.instructionsError;
  const threshold = isError ? config.instructionsError : config.instructionsWarning;
  return [
    {
      rule: "agent-instruction-count" as const,
      severity: (isError ? "error" : "warning") as Severity,
      line: null,
      message: `${count} instructions, above the ${isError ? "error" : "warning"} threshold of ${threshold}: agents follow fewer of them as the list grows.`,
      suggestion:
        "Keep only the rules every task needs. Move task-specific rules into skills or nested AGENTS.md files in the directories they govern, and drop rules a linter or formatter already enforces.",
      evidence: { count, threshold },
    },
  ];
}

function tooLong(text: string, path: string, config: LintConfig) {
  const count = lineCount(text);
  if (count <= config.maxAgentLines) return [];
  return [
    {
      rule: "agent-too-long" as const,
      line: null,
      message: `${path} has ${count} lines, above the limit of ${config.maxAgentLines}; every agent session loads all of it.`,
      suggestion:
        "Keep the essentials here and move details into linked documents or nested instruction files that agents read only when they work in that area.",
      evidence: { lines: count, limit: config.maxAgentLines },
    },
  ];
}

const MONTH = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
const WEEKDAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";

const TASK_SPECIFIC: RegExp[] = [
  /\b\d{4}-\d{2}-\d{2}\b/g,
  new RegExp(`\\b${MONTH}\\.? \\d{1,2}(?:st|nd|rd|th)?\\b`, "g"),
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)? ${MONTH}\\b`, "g"),
  // Ticket ids such as JIRA-123 or ABC-1234; requirement ids and standards are not tickets.
  /\b(?!(?:FR|NFR|SC|US|UTF|ISO|SHA|RFC|ES|TLS|HTTP|MD|AES|RSA|IEEE|ECMA|PEP)-)[A-Z][A-Z0-9]{1,9}-\d+\b/g,
  /(?<![\w&/#])#\d{2,6}\b/g,
  /\b(?:this|next) (?:week|sprint|month|quarter)\b/gi,
  /\b(?:today|tomorrow|tonight|yesterday)\b/gi,
  /\bfor now\b/gi,
  /\btemporar(?:y|ily)\b/gi,
  new RegExp(`\\buntil (?:${WEEKDAY}|${MONTH}|next|the end of|EOD|EOW)\\b`, "gi"),
];

function matchesOf(text: string, patterns: RegExp[]): string[] {
  const hits: string[] = [];
  for (const p of patterns) for (const m of text.matchAll(p)) if (!hits.includes(m[0])) hits.push(m[0]);
  return hits;
}

const quoted = (hits: string[]) => hits.map((h) => `"${h}"`).join(", ");

function taskSpecific(lines: Line[]) {
  return prose(lines).flatMap((l) => {
    const matches = matchesOf(l.text, TASK_SPECIFIC);
    if (matches.length === 0) return [];
    return [
      {
        rule: "agent-task-specific" as const,
        line: l.line,
        message: `Task-specific content (${quoted(matches)}) goes stale in a file that every agent session reads.`,
        suggestion: "Put one-off work (tickets, deadlines, this week's fix) in the issue tracker or the task's prompt, and keep only lasting rules here.",
        evidence: { matches },
      },
    ];
  });
}

const CODE_EXTENSIONS =
  "ts|tsx|js|jsx|mjs|cjs|py|rb|go|rs|java|kt|kts|swift|c|h|cc|cpp|hpp|cs|php|scala|sql|sh|vue|svelte|css|scss|html|md|mdx|json|ya?ml|toml|prisma|graphql|proto|ex|exs|erl|dart|lua";

const ROTTING: RegExp[] = [
  new RegExp(`[\\w./-]+\\.(?:${CODE_EXTENSIONS}):\\d+(?::\\d+)?\\b`, "g"),
  /#L\d+(?:-L?\d+)?\b/g,
  /(?<![\w.~-])\/(?:home|Users|root)\/[^\s`'")\]]+/g,
  /(?<![\w.~-])\/(?:var\/folders|private\/var|tmp)\/[^\s`'")\]]+/g,
  /\b[A-Za-z]:\\[^\s`'")\]]*/g,
];

function rottingPaths(lines: Line[]) {
  return lines
    .filter((l) => !l.hidden)
    .flatMap((l) => {
      const matches = matchesOf(l.text, ROTTING);
      if (matches.length === 0) return [];
      return [
        {
          rule: "agent-rotting-paths" as const,
          line: l.line,
          message: `${quoted(matches)} points at a line number or at one machine's file system; it breaks when the code moves.`,
          suggestion: "Name the module or directory instead (for example `src/checkout/`), and use repository-relative paths.",
          evidence: { matches },
        },
      ];
    });
}

// Spec rules -------------------------------------------------------------------------------

function tooManyTokens(text: string, config: LintConfig) {
  if (isWithinTokenLimit(text, config.maxSpecTokens) !== false) return [];
  const tokens = countTokens(text);
  return [
    {
      rule: "spec-too-many-tokens" as const,
      line: null,
      message: `About ${tokens} tokens, above the limit of ${config.maxSpecTokens}: hard to review and costly for an agent to load.`,
      suggestion: "Split it into smaller specs, one per capability or user story, so an agent loads only the part it works on.",
      evidence: { tokens, limit: config.maxSpecTokens, tokenizer: "o200k_base" },
    },
  ];
}

function needsClarification(lines: Line[]) {
  return prose(lines).flatMap((l) =>
    [...l.text.matchAll(/\[NEEDS CLARIFICATION(?::\s*([^\]]*))?\]/gi)].map((m) => ({
      rule: "spec-needs-clarification" as const,
      line: l.line,
      message: m[1]?.trim() ? `Open question: ${m[1].trim()}` : "Open question marked [NEEDS CLARIFICATION].",
      suggestion: "Settle the question with the spec's owner and replace the marker with the decision.",
      evidence: { question: m[1]?.trim() ?? null },
    })),
  );
}

interface Heading {
  line: number;
  level: number;
  text: string;
}

function headings(lines: Line[]): Heading[] {
  return prose(lines).flatMap((l) => {
    const m = l.text.match(/^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/);
    return m ? [{ line: l.line, level: m[1].length, text: m[2].replace(/\*\*|__/g, "").trim() }] : [];
  });
}

const REQUIREMENT_HEADING = /^((?:FR|NFR|REQ)-\d+[A-Za-z]?|Requirement\s+\d+(?:\.\d+)*)\b/i;
const CRITERIA_MARKER = /acceptance\s+(criteria|scenarios?|tests?)|\bGiven\b.*\bThen\b/i;

function requirementsWithoutCriteria(lines: Line[]) {
  const all = headings(lines);
  const issues = [];
  for (let i = 0; i < all.length; i++) {
    const h = all[i];
    const id = h.text.match(REQUIREMENT_HEADING)?.[1];
    if (!id) continue;
    const next = all.slice(i + 1).find((o) => o.level <= h.level || REQUIREMENT_HEADING.test(o.text));
    const end = next?.line ?? Number.MAX_SAFE_INTEGER;
    const body = prose(lines).filter((l) => l.line > h.line && l.line < end);
    if (body.some((l) => CRITERIA_MARKER.test(l.text) || looksLikeEars(l.text))) continue;
    issues.push({
      rule: "spec-requirement-without-criteria" as const,
      line: h.line,
      message: `${id} has no acceptance criteria: nobody can tell when it is done.`,
      suggestion: `Add an **Acceptance criteria** list under ${id}, one testable line each, e.g. \`WHEN <trigger> THE <system> SHALL <response>\`.`,
      evidence: { requirement: id },
    });
  }
  return issues;
}

function earsUnparsed(text: string) {
  return markdownBlocks(text).flatMap((block) => {
    const criterion = block.segments
      .map((s) => s.text)
      .join(" ")
      .trim();
    if (!looksLikeEars(criterion)) return [];
    const parsed = parseEars(criterion);
    if (parsed.ok) return [];
    const template = /^\s*IF\b/i.test(criterion) ? "IF <condition> THEN THE <system> SHALL <response>" : "WHEN <trigger> THE <system> SHALL <response>";
    return [
      {
        rule: "spec-ears-unparsed" as const,
        line: block.segments[0].line,
        message: `Not valid EARS (${parsed.reason}): "${criterion.length > 100 ? criterion.slice(0, 97) + "..." : criterion}"`,
        suggestion: `Rewrite it as \`${template}\`, so the criterion names the system and one testable response.`,
        evidence: { reason: parsed.reason, text: criterion },
      },
    ];
  });
}

const ID_HEADING = /^\s{0,3}#{1,6}\s+(?:\*\*|__)?((?:FR|NFR|SC)-\d+)\b/i;
const ID_BOLD = /^\s*(?:>\s*)?(?:(?:[-*+]|\d{1,9}[.)])\s+)?(?:\[[ xX]\]\s+)?(?:\*\*|__)((?:FR|NFR|SC)-\d+)\s*:?\s*(?:\*\*|__)/i;

function duplicateIds(lines: Line[]) {
  const defined = new Map<string, number>();
  const issues = [];
  const definitions: Array<{ id: string; line: number }> = [];
  for (const l of prose(lines)) {
    const id = (l.text.match(ID_HEADING) ?? l.text.match(ID_BOLD))?.[1]?.toUpperCase();
    if (id) definitions.push({ id, line: l.line });
  }
  for (const { id, line } of definitions) {
    const first = defined.get(id);
    if (first === undefined) {
      defined.set(id, line);
      continue;
    }
    const prefix = id.replace(/-\d+$/, "");
    const width = id.length - prefix.length - 1;
    const used = definitions.filter((d) => d.id.startsWith(`${prefix}-`)).map((d) => Number(d.id.slice(prefix.length + 1)));
    const free = `${prefix}-${String(Math.max(...used) + 1).padStart(width, "0")}`;
    issues.push({
      rule: "spec-duplicate-requirement-id" as const,
      line,
      message: `${id} is already defined on line ${first}; references to it are now ambiguous.`,
      suggestion: `Renumber this one (the next free id is ${free}) and update the tasks and tests that cite it.`,
      evidence: { id, firstLine: first, nextFreeId: free },
    });
  }
  return issues;
}
