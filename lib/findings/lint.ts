// Lint rules for agent instruction files and specs, as pure functions over one file's text.
// Rules, thresholds and the tokenizer choice: docs/decisions/010-lint-rules.md.
import path from "node:path/posix";
import { countTokens, isWithinTokenLimit } from "gpt-tokenizer/encoding/o200k_base";
import { z } from "zod";
import { isMachineReadableContract } from "@/lib/contracts";
import { parseContract } from "@/lib/contracts/parse";
import type { SpecKind } from "@/lib/specs/kinds";
import { AGENT_CONFIG_RULE_IDS, AGENT_CONFIG_RULES, SECURITY_RULE_IDS, agentConfigIssues } from "./agent-config";
import { looksLikeEars, parseEars } from "./ears";
import { countInstructions, markdownBlocks } from "./instructions";
import { inlineSuppressions, silencedInline } from "./suppress";

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
  "contract-unparsable",
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
    description:
      "A leaf spec or steering file above the token limit (4,000, counted with the o200k_base tokenizer) is hard to review and expensive for an agent to load. Plans and task lists are long by design and not counted (decision 050).",
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
    description:
      "A [NEEDS CLARIFICATION: question] marker (Spec Kit's form) is a question nobody has answered yet. A bare [NEEDS CLARIFICATION] talks about markers and is not one (decision 050).",
    defaultSeverity: "warning",
  },
  {
    id: "spec-ears-unparsed",
    appliesTo: "spec",
    title: "Malformed EARS criterion",
    description:
      "A line that starts like EARS (WHEN, IF, WHILE, WHERE, THE) but does not parse, usually because SHALL or THEN is missing. Criteria written in another language are not judged (decision 050).",
    defaultSeverity: "warning",
  },
  {
    id: "spec-duplicate-requirement-id",
    appliesTo: "spec",
    title: "Duplicate requirement id",
    description: "The same FR-, NFR- or SC- id is defined twice, as a heading or a bold definition.",
    defaultSeverity: "error",
  },
  {
    id: "contract-unparsable",
    appliesTo: "spec",
    title: "Contract does not parse",
    description:
      "A YAML or JSON contract (OpenAPI, AsyncAPI, JSON Schema) that is not a YAML 1.2 or JSON object: code generators, mock servers and Specledger's own contract diff cannot read it, so its changes are treated as breaking until it parses (https://yaml.org/spec/1.2.2/, https://www.rfc-editor.org/rfc/rfc8259).",
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
        "contract-unparsable": rule(),
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
  /** What made the rule fire: the words matched on the line, or the figure over the limit. */
  matched: string;
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
  /** Why the bytes are not text, for a file the import skipped (`text` is empty): only agent-unreadable can fire. */
  unreadable?: string;
}

const SPEC_KINDS_LINTED: ReadonlySet<SpecKind> = new Set(["spec", "plan", "tasks", "steering", "constitution", "contract"]);
const TOKEN_LIMITED_KINDS: ReadonlySet<SpecKind> = new Set(["spec", "steering"]);

/** Every issue in one file, in line order (whole-file issues first). */
export function lintFile(input: LintInput, config: LintConfig = DEFAULT_LINT_CONFIG): LintIssue[] {
  const lines = scanLines(input.text);
  // Agent-config rules name a line; the words they matched are that line (secrets arrive masked in their evidence instead).
  const configIssues = agentConfigIssues(input).map((issue) => ({
    ...issue,
    matched: issue.line !== null && issue.rule !== "agent-plaintext-secret" ? (input.text.split(/\r?\n/)[issue.line - 1] ?? "").trim().slice(0, 200) : "",
  }));
  const found: Array<Omit<LintIssue, "severity"> & { severity?: Severity }> = [...configIssues];
  if (input.unreadable !== undefined) {
    // A file that is not text has nothing else to read.
  } else if (input.kind === "contract" && isMachineReadableContract(input.path)) {
    // A YAML or JSON contract is data, not prose: the only question is whether it reads.
    found.push(...unparsableContract(input.text));
  } else if (input.kind === "agent") {
    found.push(...instructionCount(input.text, config), ...tooLong(input.text, input.path, config));
    found.push(...taskSpecific(lines), ...rottingPaths(lines));
  } else if (SPEC_KINDS_LINTED.has(input.kind)) {
    // The limit is for what an agent loads as a spec (a leaf spec, a steering file): plans and task lists are long by design
    // (Spec Kit's tasks template alone is ~2,300 tokens); on public repositories 0 of 54 plan and tasks findings were right (stop 24).
    if (input.leaf !== false && TOKEN_LIMITED_KINDS.has(input.kind)) found.push(...tooManyTokens(input.text, config));
    found.push(...needsClarification(lines));
    if (input.kind === "spec") {
      found.push(...requirementsWithoutCriteria(lines), ...earsUnparsed(input.text), ...duplicateIds(lines));
    }
  }

  const issues: LintIssue[] = [];
  // `<!-- specledger-disable... -->` comments in the file (lib/findings/suppress.ts).
  // Only Markdown has comments: in JSON the directive would be a string value, and an author could hide anything behind one.
  const silenced = input.text.includes("specledger-disable") && !/\.jsonc?$/i.test(input.path) ? inlineSuppressions(input.text) : null;
  for (const f of found) {
    const ruleConfig = config.rules[f.rule];
    if (!ruleConfig.enabled) continue;
    // Security findings block the pull-request check; the file under review cannot switch them off.
    if (silenced && !SECURITY_RULE_IDS.has(f.rule) && silencedInline(silenced, f.rule, f.line)) continue;
    issues.push({ ...f, severity: ruleConfig.severity ?? f.severity ?? RULE_BY_ID.get(f.rule)!.defaultSeverity });
  }
  return issues
    .map((issue, order) => ({ issue, order }))
    .sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || a.order - b.order)
    .map((x) => x.issue);
}

/** contract-unparsable: the contract is not a YAML or JSON object (a format or size the classifier does not read is no finding). */
function unparsableContract(text: string): Omit<LintIssue, "severity">[] {
  const parsed = parseContract(text);
  if (parsed.ok || !parsed.invalid) return [];
  const line = parsed.line ?? null;
  return [
    {
      rule: "contract-unparsable",
      line,
      matched: line ? (text.split(/\r?\n/)[line - 1] ?? "").trim().slice(0, 200) : "",
      message: parsed.problem,
      suggestion: "Fix the syntax so the file parses; until then every change to it is treated as breaking.",
    },
  ];
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
  let fence: { marker: string; indent: number } | null = null;
  let inComment = false;
  return raw.map((t, i) => {
    if (i <= frontMatterEnd) return { line: i + 1, text: t, code: false, hidden: true };
    if (fence) {
      // A closing fence is indented at most three spaces more than its opening one (CommonMark);
      // a fence indented further is an example inside the block ("    ```bash").
      const m = t.match(/^(\s*)(`{3,}|~{3,})\s*$/);
      if (m && m[1].length <= fence.indent + 3 && m[2][0] === fence.marker[0] && m[2].length >= fence.marker.length) fence = null;
      return { line: i + 1, text: t, code: true, hidden: false };
    }
    const open = t.match(/^(\s*)(`{3,}|~{3,})/);
    if (open) {
      fence = { marker: open[2], indent: open[1].length };
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
      matched: `${count} instructions`,
      suggestion:
        "Keep only the rules every task needs. Move task-specific rules into skills or nested AGENTS.md files in the directories they govern, and drop rules a linter or formatter already enforces.",
      evidence: { count, threshold },
    },
  ];
}

/**
 * Files an agent reads only when a task calls for them: everything inside a skill's folder
 * (SKILL.md, its references and templates), slash commands, prompt files and workflows. Their
 * length does not crowd every session, so agent-too-long leaves them alone.
 */
export function loadsOnDemand(filePath: string): boolean {
  return (
    /(?:^|\/)skills\/[^/]+\/./.test(filePath) ||
    /(?:^|\/)SKILL\.md$/.test(filePath) ||
    /(?:^|\/)(?:commands|prompts)\/(?:.*\/)?[^/]+\.md$/.test(filePath) ||
    /\.prompt\.md$/.test(filePath) ||
    /(?:^|\/)\.(?:clinerules|windsurf|agents?)\/workflows\//.test(filePath)
  );
}

function tooLong(text: string, path: string, config: LintConfig) {
  const count = lineCount(text);
  if (count <= config.maxAgentLines || loadsOnDemand(path)) return [];
  return [
    {
      rule: "agent-too-long" as const,
      line: null,
      message: `${path} has ${count} lines, above the limit of ${config.maxAgentLines}; every agent session loads all of it.`,
      matched: `${count} lines`,
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
  /\b(?:this|next) (?:week|sprint|month|quarter)\b/gi,
  // "what the code sends today" and "today's date" speak of the present in general, not of a
  // dated state ("available today", "deploy today").
  /(?<!\b[a-z]+s\s)\b(?:today(?!'s)|tomorrow|tonight|yesterday)\b/gi,
  /\bfor now\b/gi,
  // "temporary" is task-specific as a stopgap ("a temporary workaround", "is temporarily disabled"),
  // not as a technical adjective ("a temporary file", "temporary credentials").
  /\b(?:(?:is|are|was|were|be)\s+(?:only\s+)?)?temporar(?:y|ily)\s+(?:\w+\s+)?(?:fix|fixes|workaround|hack|patch|solution|measure|exception|override|disabled?|skipped?|removed|pinned|turned off|commented out)\b|\b(?:is|are|was|were|be)\s+(?:only\s+)?temporar(?:y|ily)\b/gi,
  new RegExp(`\\buntil (?:${WEEKDAY}|${MONTH}|next|the end of|EOD|EOW)\\b`, "gi"),
];

// Ticket ids such as JIRA-123 or ABC-1234. Requirement ids, standards, CWE entries, model and
// licence versions are not tickets, nor are numbered template ids (FIND-01: trackers do not pad).
const TICKET = /\b(?!(?:FR|NFR|SC|US|UTF|ISO|SHA|RFC|ES|TLS|HTTP|MD|AES|RSA|IEEE|ECMA|PEP|CWE|CVE|GPT|LICENSE)-)[A-Z][A-Z0-9]{1,9}-[1-9]\d*\b(?![.-]\w)/g;

// Issue numbers (#1234, not the anchor `#11-setup`).
const ISSUE_NUMBER = [/(?<![\w&/#])#\d{2,6}\b(?![-\w])/g];

// An issue cited as the reason for a rule ("see #6766") stays true; one tied to an open state
// ("still an in-flight PR (#6642)", "after #61 is released") goes stale when that state ends.
const OPEN_STATE =
  /\b(?:until|blocked|pending|in[- ]flight|still|wait(?:ing)? (?:for|on)|TODO|FIXME|WIP|not yet|for now|temporar(?:y|ily)|workaround|currently working)\b|\b(?:after|once|when)\b[^.]*\b(?:is|are|gets?|has been) (?:merged|released|shipped|landed|fixed|resolved|closed)\b/i;

/**
 * The prose that task-specific content is looked for in: inline code, URLs, link targets and
 * quoted examples are what the file shows or cites, not what it says about the current task.
 */
function sayingText(text: string): { prose: string; unquoted: string } {
  const prose = text
    .replace(/`[^`\n]*`/g, " ")
    .replace(/\]\([^)]*\)/g, "]")
    .replace(/\bhttps?:\/\/\S+/g, " ");
  return { prose, unquoted: prose.replace(/"[^"\n]*"|“[^”\n]*”/g, " ") };
}

function matchesOf(text: string, patterns: RegExp[]): string[] {
  const hits: string[] = [];
  for (const p of patterns) for (const m of text.matchAll(p)) if (!hits.includes(m[0])) hits.push(m[0]);
  return hits;
}

const quoted = (hits: string[]) => hits.map((h) => `"${h}"`).join(", ");

function taskSpecific(lines: Line[]) {
  return prose(lines).flatMap((l) => {
    const { prose: said, unquoted } = sayingText(l.text);
    const issues = OPEN_STATE.test(unquoted) ? matchesOf(unquoted, ISSUE_NUMBER) : [];
    const matches = [...matchesOf(said, TASK_SPECIFIC), ...matchesOf(unquoted, [TICKET]), ...issues];
    if (matches.length === 0) return [];
    return [
      {
        rule: "agent-task-specific" as const,
        line: l.line,
        message: `Task-specific content (${quoted(matches)}) goes stale in a file that every agent session reads.`,
        matched: matches.join(", "),
        suggestion: "Put one-off work (tickets, deadlines, this week's fix) in the issue tracker or the task's prompt, and keep only lasting rules here.",
        evidence: { matches },
      },
    ];
  });
}

const CODE_EXTENSIONS =
  "ts|tsx|js|jsx|mjs|cjs|py|rb|go|rs|java|kt|kts|swift|c|h|cc|cpp|hpp|cs|php|scala|sql|sh|vue|svelte|css|scss|html|md|mdx|json|ya?ml|toml|prisma|graphql|proto|ex|exs|erl|dart|lua";

// A line of a file (`src/a.ts:42`, `#L42`): examples in fenced code (a sample review, a stack
// trace) show the format and are skipped.
const LINE_ANCHORS: RegExp[] = [new RegExp(`[\\w./-]+\\.(?:${CODE_EXTENSIONS}):\\d+(?::\\d+)?\\b`, "g"), /#L\d+(?:-L?\d+)?\b/g];

// One machine's file system: a home folder or a per-user temporary folder. `/tmp/x` in a command
// is throwaway by design, and `C:\\ProgramData` is a convention, so neither is flagged.
const MACHINE_PATHS: RegExp[] = [
  /(?<![\w.~-])\/(?:home|Users|root)\/[^\s`'")\]]+/g,
  /(?<![\w.~-])\/(?:var\/folders|private\/var)\/[^\s`'")\]]+/g,
  /\b[A-Za-z]:\\(?:Users|Documents and Settings)\\[^\s`'")\]]*/g,
];

// A placeholder ("/home/<user>/...", "C:\\Users\\<user>\\...") documents a location; it names no machine.
const PLACEHOLDER = /[<[{]|\.\.\.|\u2026/;
// A permalink pinned to a commit (github.com/o/r/blob/<sha>/a.ts#L42) shows that line forever.
const PERMALINK = /\bhttps?:\/\/\S+?\/(?:blob|tree|raw|commit|src)\/[0-9a-f]{7,40}\/\S*/g;

function rottingPaths(lines: Line[]) {
  return lines
    .filter((l) => !l.hidden)
    .flatMap((l) => {
      const text = l.text.replace(PERMALINK, " ");
      const matches = [...(l.code ? [] : matchesOf(text, LINE_ANCHORS)), ...matchesOf(text, MACHINE_PATHS).filter((m) => !PLACEHOLDER.test(m))];
      if (matches.length === 0) return [];
      return [
        {
          rule: "agent-rotting-paths" as const,
          line: l.line,
          message: `${quoted(matches)} points at a line number or at one machine's file system; it breaks when the code moves.`,
          matched: matches.join(", "),
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
      matched: `about ${tokens} tokens`,
      suggestion: "Split it into smaller specs, one per capability or user story, so an agent loads only the part it works on.",
      evidence: { tokens, limit: config.maxSpecTokens, tokenizer: "o200k_base" },
    },
  ];
}

function needsClarification(lines: Line[]) {
  return prose(lines).flatMap((l) =>
    // Only a marker that asks something: Spec Kit's template writes `[NEEDS CLARIFICATION: <question>]`. The bare marker is
    // how checklists and headings *talk about* markers ("Zero [NEEDS CLARIFICATION] markers"): 59 of 59 bare ones were
    // no open question on public repositories (stop 24).
    [...l.text.matchAll(/\[NEEDS CLARIFICATION:\s*([^\]]*[^\s\]][^\]]*)\]/gi)].map((m) => ({
      rule: "spec-needs-clarification" as const,
      line: l.line,
      message: `Open question: ${m[1].trim()}`,
      matched: m[0],
      suggestion: "Settle the question with the spec's owner and replace the marker with the decision.",
      evidence: { question: m[1].trim() },
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
      matched: h.text,
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
    // EARS written in another language keeps the English keywords and says SHALL in its own words (Kiro's Japanese
    // requirements end in しなければならない): the parser reads English only, so such a criterion is not judged.
    if (nonLatinProse(criterion)) return [];
    const parsed = parseEars(criterion);
    if (parsed.ok) return [];
    const template = /^\s*IF\b/i.test(criterion) ? "IF <condition> THEN THE <system> SHALL <response>" : "WHEN <trigger> THE <system> SHALL <response>";
    return [
      {
        rule: "spec-ears-unparsed" as const,
        line: block.segments[0].line,
        message: `Not valid EARS (${parsed.reason}): "${criterion.length > 100 ? criterion.slice(0, 97) + "..." : criterion}"`,
        matched: criterion,
        suggestion: `Rewrite it as \`${template}\`, so the criterion names the system and one testable response.`,
        evidence: { reason: parsed.reason, text: criterion },
      },
    ];
  });
}

/**
 * Prose in another script: at least a quarter of its letters, or eight of them, outside the Latin script. Such criteria mix
 * in Latin names ("Authentication Serviceは403 Forbiddenエラーを返さなければならない"), so a majority is not required.
 */
function nonLatinProse(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const other = letters - (text.match(/\p{Script=Latin}/gu)?.length ?? 0);
  return other >= 8 || other * 4 >= letters;
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
      matched: id,
      suggestion: `Renumber this one (the next free id is ${free}) and update the tasks and tests that cite it.`,
      evidence: { id, firstLine: first, nextFreeId: free },
    });
  }
  return issues;
}

/** Directories holding a spec deeper than another spec's own folder make that spec a parent, not a leaf. */
export function leafSpecs(files: { id: string; path: string }[]): Set<string> {
  // Every folder above some spec's folder, collected once: linear in the specs, not quadratic.
  const above = new Set<string>();
  for (const f of files) {
    const dir = path.dirname(f.path);
    for (let end = dir.lastIndexOf("/"); end > 0; end = dir.lastIndexOf("/", end - 1)) above.add(dir.slice(0, end));
  }
  return new Set(files.filter((f) => !above.has(path.dirname(f.path))).map((f) => f.id));
}
