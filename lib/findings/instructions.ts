// Splitting agent instruction files (AGENTS.md, CLAUDE.md, ...) into candidate instructions
// and deciding which of them are instructions an agent must follow. Pure functions; the
// counting rule is recorded in docs/decisions/010-lint-rules.md.

export interface Instruction {
  /** The list item (continuation lines joined by a space) or the paragraph sentence. */
  text: string;
  /** 1-based line where the item or sentence starts. */
  line: number;
  imperative: boolean;
}

/** A piece of prose from a Markdown file: one list item, or one paragraph. */
export interface MarkdownBlock {
  type: "item" | "paragraph";
  /** The text of each source line, without list markers, quote markers or checkboxes. */
  segments: Array<{ line: number; text: string }>;
  /** Leading spaces before the list marker (items only; 0 for paragraphs). */
  indent: number;
}

const FENCE = /^\s*(`{3,}|~{3,})/;
const HEADING = /^\s{0,3}#{1,6}(\s|$)/;
const SETEXT_UNDERLINE = /^\s{0,3}(=+|-+)\s*$/;
const THEMATIC_BREAK = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$/;
const HTML_LINE = /^\s*<\/?[a-zA-Z][^>]*>\s*$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])(?:\s+(.*))?$/;
const CHECKBOX = /^\[[ xX]\]\s+/;

/**
 * The prose of a Markdown file as list items and paragraphs, in order. Skipped: YAML front
 * matter, fenced code, headings (ATX and setext), tables, thematic breaks, HTML comments and
 * lines that are a single HTML tag. Block quote markers are removed and their content read
 * like any other line. Continuation lines of a list item belong to it, including indented
 * lines after a blank line; an unindented line after a blank line starts a paragraph.
 */
export function markdownBlocks(markdown: string): MarkdownBlock[] {
  const lines = markdown.replace(/^\uFEFF/, "").split(/\r?\n/);
  const blocks: MarkdownBlock[] = [];
  let current: MarkdownBlock | null = null;
  let blankSinceItem = false;
  let fence: string | null = null;
  let inComment = false;
  let inTable = false;

  const flush = () => {
    if (current && current.segments.some((s) => s.text.trim())) blocks.push(current);
    current = null;
  };

  let start = 0;
  if (/^---\s*$/.test(lines[0] ?? "")) {
    const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (end > 0) start = end + 1;
  }

  for (let i = start; i < lines.length; i++) {
    const lineNo = i + 1;
    let raw = lines[i];

    if (fence) {
      const m = raw.match(FENCE);
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length && raw.trim() === m[1]) fence = null;
      continue;
    }

    // HTML comments, possibly spanning lines; the text around them stays.
    if (inComment) {
      const end = raw.indexOf("-->");
      if (end < 0) continue;
      inComment = false;
      raw = raw.slice(end + 3);
    }
    raw = raw.replace(/<!--[\s\S]*?-->/g, "");
    const open = raw.indexOf("<!--");
    if (open >= 0) {
      inComment = true;
      raw = raw.slice(0, open);
    }

    // Block quotes are read as their content.
    raw = raw.replace(/^(\s{0,3}>\s?)+/, "");

    if (!raw.trim()) {
      if (current?.type === "paragraph") flush();
      if (current?.type === "item") blankSinceItem = true;
      inTable = false;
      continue;
    }

    const fenceOpen = raw.match(FENCE);
    if (fenceOpen) {
      flush();
      fence = fenceOpen[1];
      continue;
    }
    if (HEADING.test(raw) || THEMATIC_BREAK.test(raw)) {
      flush();
      continue;
    }
    if (SETEXT_UNDERLINE.test(raw) && current?.type === "paragraph") {
      // The paragraph above was a setext heading.
      current = null;
      continue;
    }
    if (TABLE_SEPARATOR.test(raw)) {
      // The line above was the table's header row.
      if (current?.type === "paragraph" && current.segments.length === 1) current = null;
      else flush();
      inTable = true;
      continue;
    }
    if (raw.trimStart().startsWith("|") || (inTable && raw.includes("|"))) {
      flush();
      inTable = true;
      continue;
    }
    inTable = false;
    if (HTML_LINE.test(raw)) {
      flush();
      continue;
    }

    const item = raw.match(LIST_ITEM);
    if (item) {
      flush();
      blankSinceItem = false;
      current = {
        type: "item",
        indent: item[1].length,
        segments: [{ line: lineNo, text: (item[3] ?? "").replace(CHECKBOX, "").trim() }],
      };
      continue;
    }

    const indent = raw.length - raw.trimStart().length;
    const block = current as MarkdownBlock | null;
    if (block?.type === "item" && (!blankSinceItem || indent > block.indent)) {
      block.segments.push({ line: lineNo, text: raw.trim() });
      continue;
    }
    if (block?.type === "paragraph") {
      block.segments.push({ line: lineNo, text: raw.trim() });
      continue;
    }
    flush();
    current = { type: "paragraph", indent: 0, segments: [{ line: lineNo, text: raw.trim() }] };
  }
  flush();
  return blocks;
}

/** Inline code replaced by a same-length run of `x`, so offsets survive and its text is ignored. */
function maskCode(text: string): string {
  return text.replace(/`+[^`]*`+/g, (m) => "`" + "x".repeat(Math.max(0, m.length - 2)) + "`");
}

const ABBREVIATIONS = new Set(["e.g", "i.e", "etc", "vs", "cf", "approx", "incl", "mr", "mrs", "ms", "dr", "no", "fig"]);

/** Start offsets of the sentences of `text` (always includes 0). */
function sentenceStarts(text: string): number[] {
  const masked = maskCode(text);
  const starts = [0];
  const boundary = /[.!?]["')\]*_]*\s+(?=[A-Z0-9`"'*_[(])/g;
  for (let m = boundary.exec(masked); m; m = boundary.exec(masked)) {
    const before =
      masked
        .slice(0, m.index)
        .match(/([A-Za-z.]+)$/)?.[1]
        ?.toLowerCase() ?? "";
    if (ABBREVIATIONS.has(before)) continue;
    starts.push(m.index + m[0].length);
  }
  return starts;
}

/** The sentences of a piece of prose. */
export function splitSentences(text: string): string[] {
  const starts = sentenceStarts(text);
  return starts.map((s, i) => text.slice(s, starts[i + 1] ?? text.length).trim()).filter((s) => s.length > 0);
}

/**
 * Base-form verbs that open an imperative sentence. Curated from real AGENTS.md and CLAUDE.md
 * files; words that are more often nouns at the start of a sentence ("type", "default",
 * "output", "note") are left out on purpose.
 */
export const IMPERATIVE_VERBS: ReadonlySet<string> = new Set(
  (
    "add adopt align annotate answer append apply ask assert assume avoid batch begin bootstrap break bump build " +
    "cache call cap catch change check choose clean clear close colocate co-locate comment commit communicate compile " +
    "complete configure confirm consider convert coordinate copy cover create debug declare define delete deploy " +
    "describe disable do document double-check downgrade drop edit emit enable encrypt ensure escalate escape " +
    "exclude execute explain export expose extract fail favor favour fetch fill find finish fix flag follow forget " +
    "format generate get give grep guard handle hash hide honor honour ignore implement import include initialise " +
    "initialize insert inspect install invoke isolate keep label leave let limit link lint list load lock log look " +
    "make mark match measure memoize mention merge migrate mind mirror mock modify move name normalise normalize " +
    "notify open organise organize pass paste pick pin place plan prefer prefix prepare present preserve print " +
    "profile protect publish pull push put query raise read rebase rebuild record refactor refer regenerate reject " +
    "release remember remove rename re-read rerun re-run reply report request require reset resolve respect respond " +
    "restart retry return reuse review revert rewrite run sanitise sanitize save scaffold search see seed select " +
    "send separate set ship show sign skip sort specify split squash start stay stick stop store stub submit " +
    "summarise summarize switch take tag tell test think throw trace treat try typecheck unlock update upgrade use " +
    "validate verify wait wrap write"
  ).split(" "),
);

/** Words that make an item or sentence an obligation wherever they appear. */
const OBLIGATION = /\b(must|mustn['’]t|should|shouldn['’]t|shall|never|always|do not|don['’]t|required)\b/;
/** Leading words skipped before looking for the verb. */
const LEAD_INS = new Set(["please", "always", "never", "also", "then", "just", "only"]);
/** A verb followed closely by one of these is a noun phrase ("Test files are in tests/"). */
const DESCRIPTIVE_FOLLOWERS = new Set(["is", "are", "was", "were", "lives", "live"]);

function startsWithVerb(text: string): boolean {
  let s = text;
  // "If the build fails, read the log": the verb follows the conditional clause.
  const conditional = s.match(/^\s*(?:if|when|before|after|once|unless|while)\b[^,]*,\s*(.*)$/);
  if (conditional) s = conditional[1];
  const words = s.replace(/`x*`/g, " codespan ").match(/[a-z][a-z'’-]*/g) ?? [];
  let i = 0;
  while (i < words.length && LEAD_INS.has(words[i])) i++;
  if (words[i] === "do" && words[i + 1] === "not") i += 2;
  const verb = words[i];
  if (!verb || !(IMPERATIVE_VERBS.has(verb) || IMPERATIVE_VERBS.has(verb.split("-")[0]))) return false;
  return !(DESCRIPTIVE_FOLLOWERS.has(words[i + 1]) || DESCRIPTIVE_FOLLOWERS.has(words[i + 2]));
}

function sentenceIsImperative(sentence: string): boolean {
  const masked = maskCode(sentence);
  const plain = (t: string) => t.toLowerCase().replace(/[*_~]/g, "");
  if (OBLIGATION.test(plain(masked))) return true;
  // With and without a leading label: "**Tests:** run ...", "Setup: run ...", "Run tests: `pnpm test`".
  const unlabelled = masked.replace(/^\s*(\*\*|__)[^*_]{1,40}?:?(\*\*|__):?\s+(?=\S)/, "").replace(/^\s*[A-Z][\w /-]{0,30}:\s+(?=\S)/, "");
  return startsWithVerb(plain(masked)) || startsWithVerb(plain(unlabelled));
}

/** True when any sentence of `text` is imperative (see `countInstructions`). */
export function isImperative(text: string): boolean {
  return splitSentences(text).some(sentenceIsImperative);
}

/**
 * Candidate instructions of an agent instruction file: every list item (bullets `-`, `*`,
 * `+` and numbered items, continuation lines included) and every sentence of an ordinary
 * paragraph. Front matter, fenced code, headings, tables, HTML comments and blank lines are
 * not instructions.
 */
export function extractInstructions(markdown: string): Instruction[] {
  const out: Instruction[] = [];
  for (const block of markdownBlocks(markdown)) {
    const parts = block.segments.filter((s) => s.text.length > 0);
    const text = parts.map((s) => s.text).join(" ");
    if (!text.trim()) continue;
    if (block.type === "item") {
      out.push({ text, line: parts[0].line, imperative: isImperative(text) });
      continue;
    }
    // Map offsets in the joined paragraph back to source lines.
    const offsets: number[] = [];
    let at = 0;
    for (const p of parts) {
      offsets.push(at);
      at += p.text.length + 1;
    }
    const starts = sentenceStarts(text);
    for (let i = 0; i < starts.length; i++) {
      const sentence = text.slice(starts[i], starts[i + 1] ?? text.length).trim();
      if (!sentence) continue;
      let k = offsets.length - 1;
      while (k > 0 && offsets[k] > starts[i]) k--;
      out.push({ text: sentence, line: parts[k].line, imperative: sentenceIsImperative(sentence) });
    }
  }
  return out;
}

/**
 * The number of instructions in an agent instruction file. An instruction is a list item or
 * a paragraph sentence (see `extractInstructions`); it counts when it is imperative, that is
 * when one of its sentences
 * 1. contains an obligation word: "must", "mustn't", "should", "shouldn't", "shall",
 *    "never", "always", "do not", "don't" or "required" (outside inline code), or
 * 2. starts with a base-form verb from `IMPERATIVE_VERBS` ("Use", "Run", "Keep", ...), after
 *    an optional label ("**Tests:**", "Setup:"), emphasis, and the lead-ins "Please",
 *    "Always", "Never", "Also", "Then", "Just", "Only", "Do not"/"Don't"; unless the first
 *    or second word after the verb is "is", "are", "was", "were", "live" or "lives"
 *    ("Test files live in tests/" describes, it does not instruct). A sentence that opens with
 *    a conditional clause ("If", "When", "Before", "After", "Once", "Unless", "While") up to
 *    a comma is judged by the words after that comma ("If the build fails, read the log").
 * A list item counts once however many imperative sentences it holds. Headings, code,
 * tables and descriptive sentences ("The API lives in src/api.") do not count.
 */
export function countInstructions(markdown: string): number {
  return extractInstructions(markdown).filter((i) => i.imperative).length;
}

/**
 * Words of an instruction for comparison: Markdown and punctuation removed, lower case,
 * apostrophes dropped ("don't" becomes "dont"), split on anything that is not a letter or digit.
 */
export function normaliseInstruction(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}
