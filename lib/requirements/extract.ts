// Requirements read out of a spec's Markdown, as pure functions. The layouts, the identity each
// requirement gets and the limits are in docs/decisions/034-requirements.md.
import { createHash } from "node:crypto";
import { parseEars } from "@/lib/findings/ears";

export type RequirementKind = "functional" | "non-functional" | "success-criterion" | "requirement" | "criterion" | "ears";

export interface ExtractedRequirement {
  /** FR-001, SC-002, NFR-3, REQ-12, R1 (Kiro "Requirement 1"), FR-001.2 / R1.2 (a criterion); null for a lone EARS sentence. */
  key: string | null;
  /** True when the author wrote the key; false when it was derived from a position (criteria). */
  explicit: boolean;
  kind: RequirementKind;
  /** The requirement's text on one line, markup removed (at most MAX_TEXT characters). */
  text: string;
  /** SHA-256 of the text, hex (what "changed" compares). */
  hash: string;
  /** 1-based line of the requirement's first line. */
  line: number;
  /** The key of the requirement a criterion belongs to. */
  parent: string | null;
  /** Test paths written next to it as `[@test path]` (explicit oracles), in order; absent when there is none. */
  tests?: string[];
}

/** `[@test path]` beside a requirement; the path ends at whitespace or the bracket. */
const TEST_REF = /\[@test\s+([^\]\s]{1,500})\s*\]/g;
/** Explicit test links kept per requirement at most. */
export const MAX_TEST_REFS = 20;

/** Only the first MAX_SCAN characters of a spec are read: a 10 MB file costs no more than a 1 MB one. */
export const MAX_SCAN = 1_000_000;
/** A spec yields at most this many requirements; the rest are not extracted. */
export const MAX_REQUIREMENTS = 2_000;
export const MAX_TEXT = 2_000;
const MAX_LINE = 8_000;

/** Ids a spec defines: Spec Kit FR/SC/NFR and explicit REQ ids, with optional dotted parts. */
const ID = String.raw`(?:FR|NFR|SC|REQ)-\d{1,6}(?:\.\d{1,4})*`;
const ID_RE = new RegExp(`\\b${ID}\\b`, "g");
// A definition starts its line (after a heading, list marker or bold); a mention inside prose is a reference.
const DEFINITION = new RegExp(String.raw`^(#{1,6}\s+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d{1,4}[.)]\s+)?(?:\*\*|__)?(${ID})(?:\*\*|__)?(?=[\s:.,;)\]—–-]|$)`);
const KIRO_REQUIREMENT = /^#{2,6}\s+(?:\*\*)?Requirement\s+(\d{1,4}(?:\.\d{1,4})*)\b/i;
const ACCEPTANCE = /^#{2,6}\s+(?:\*\*)?Acceptance\s+criteria\b/i;
const HEADING = /^(#{1,6})\s+/;
const LIST_ITEM = /^(\s*)([-*+]|(\d{1,4})[.)])\s+/;
const FENCE = /^\s*(```|~~~)/;

/** Lines are cut, markup removed and whitespace collapsed: what a reader compares. */
export function normaliseText(text: string): string {
  return text
    .replace(/^#{1,6}\s+/, "")
    .replace(/^\s*([-*+]|\d{1,4}[.)])\s+/, "")
    .replace(/^\[[ xX]\]\s+/, "")
    .replace(/\*\*|__|`/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_TEXT);
}

export function textHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Normalised text and hash of a requirement's raw text, remembered: consecutive versions of a
 * spec repeat nearly all their requirements, and hashing them again was most of an import's
 * extraction time. The memo forgets everything past MEMO_SIZE entries, so it stays bounded.
 */
const MEMO_SIZE = 50_000;
const memo = new Map<string, { text: string; hash: string; tests?: string[] }>();
/** A `[@test path]` link is not part of the text: writing one does not change the requirement (nor make its tests suspect). */
function normalised(raw: string): { text: string; hash: string; tests?: string[] } {
  let hit = memo.get(raw);
  if (!hit) {
    const tests = raw.includes("[@test") ? [...new Set([...raw.matchAll(TEST_REF)].map((m) => m[1].replace(/^\.\//, "")))].slice(0, MAX_TEST_REFS) : [];
    const text = normaliseText(tests.length > 0 ? raw.replace(TEST_REF, " ") : raw);
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(raw, (hit = { text, hash: text ? textHash(text) : "", ...(tests.length > 0 ? { tests } : {}) }));
  }
  return hit;
}

function kindOf(key: string): RequirementKind {
  if (key.startsWith("FR-")) return "functional";
  if (key.startsWith("NFR-")) return "non-functional";
  if (key.startsWith("SC-")) return "success-criterion";
  return "requirement";
}

/** An EARS sentence: SHALL in capitals and a parse that succeeds. Ordinary "shall" prose is not one. */
export function isEarsSentence(text: string): boolean {
  return (
    /\bSHALL\b/.test(text) && /^(?:[-*+]\s+|\d{1,4}[.)]\s+)?(?:\*\*)?(WHEN|WHILE|IF|WHERE|THE)\b/i.test(text.trim()) && parseEars(text.slice(0, MAX_TEXT)).ok
  );
}

/** True when the text is evidently not text: a NUL byte in its first 8 KB. */
function isBinary(text: string): boolean {
  return text.slice(0, 8192).includes("\u0000");
}

interface Block {
  key: string;
  kind: RequirementKind;
  line: number;
  level: number;
  parts: string[];
  /** Characters in parts, kept as they are added (joining them per line was quadratic). */
  length: number;
  criteria: number;
  /** Kiro: inside "Acceptance Criteria", where numbered items keep the author's number. */
  inAcceptance: boolean;
}

/**
 * The requirements a spec defines, in document order. A heading that defines an id (`### FR-001: …`,
 * `### Requirement 2`) opens a block: its prose is the requirement's text, and each EARS sentence
 * in it is a criterion keyed `<id>.<n>`. A list item that defines an id is a requirement on its
 * own. EARS sentences outside any block are requirements without a key. Never throws.
 */
export function extractRequirements(source: string): ExtractedRequirement[] {
  if (typeof source !== "string" || source.length === 0 || isBinary(source)) return [];
  const lines = source.slice(0, MAX_SCAN).split(/\r?\n/);
  const out: ExtractedRequirement[] = [];
  let block: Block | null = null;
  let fenced = false;
  // A list item being read: its continuation lines join it.
  let item: { key: string | null; explicit: boolean; kind: RequirementKind; parent: string | null; line: number; parts: string[] } | null = null;
  let frontMatter = lines[0]?.replace(/^\uFEFF/, "") === "---";

  // Rows are built field by field: spreading (`{ ...r, ...(tests ? { tests } : {}) }`) was the extraction's
  // largest cost in a profile of the import benchmark's 1,159 spec texts (decision 034).
  const push = (r: Omit<ExtractedRequirement, "hash" | "text" | "tests"> & { text: string }) => {
    if (out.length >= MAX_REQUIREMENTS) return;
    const { text, hash, tests } = normalised(r.text);
    if (!text) return;
    const row: ExtractedRequirement = { key: r.key, explicit: r.explicit, kind: r.kind, parent: r.parent, line: r.line, text, hash };
    if (tests) row.tests = tests;
    out.push(row);
  };
  const flushItem = () => {
    if (item) push({ key: item.key, explicit: item.explicit, kind: item.kind, parent: item.parent, line: item.line, text: item.parts.join(" ") });
    item = null;
  };
  const flushBlock = () => {
    flushItem();
    if (block) {
      const b: Block = block;
      // The block's own text goes before its criteria, so that document order holds for readers.
      const at = out.findIndex((r) => r.parent === b.key && r.line > b.line);
      const { text, hash, tests } = normalised(b.parts.join(" "));
      if (text && out.length < MAX_REQUIREMENTS) {
        const row: ExtractedRequirement = { key: b.key, explicit: true, kind: b.kind, parent: null, line: b.line, text, hash };
        if (tests) row.tests = tests;
        if (at >= 0) out.splice(at, 0, row);
        else out.push(row);
      }
    }
    block = null;
  };

  for (let i = 0; i < lines.length && out.length < MAX_REQUIREMENTS; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    if (frontMatter) {
      if (i > 0 && /^(---|\.\.\.)\s*$/.test(raw)) frontMatter = false;
      continue;
    }
    if (FENCE.test(raw)) {
      flushItem();
      fenced = !fenced;
      continue;
    }
    if (fenced || raw.length > MAX_LINE) continue;
    const trimmed = raw.trim();
    const heading = HEADING.exec(trimmed);

    if (heading) {
      flushItem();
      const level = heading[1].length;
      const kiro = KIRO_REQUIREMENT.exec(trimmed);
      const defined = kiro ? null : DEFINITION.exec(trimmed);
      if (kiro || defined) {
        flushBlock();
        const key = kiro ? `R${kiro[1]}` : defined![2];
        block = {
          key,
          kind: kiro ? "requirement" : kindOf(key),
          line: lineNo,
          level,
          parts: [trimmed.replace(HEADING, "")],
          length: trimmed.length,
          criteria: 0,
          inAcceptance: false,
        };
        continue;
      }
      if (block && level <= block.level) flushBlock();
      else if (block) block.inAcceptance = ACCEPTANCE.test(trimmed);
      continue;
    }

    const listItem = LIST_ITEM.exec(raw);
    if (!trimmed) {
      flushItem();
      continue;
    }
    if (!listItem && item && /^\s+\S/.test(raw)) {
      // An indented line continues the list item above.
      item.parts.push(trimmed);
      continue;
    }
    flushItem();
    const defined = DEFINITION.exec(trimmed);
    if (defined && (listItem || /^(\*\*|__)?[A-Z]/.test(trimmed))) {
      const key = defined[2];
      item = { key, explicit: true, kind: kindOf(key), parent: null, line: lineNo, parts: [trimmed] };
      continue;
    }
    if (isEarsSentence(trimmed)) {
      if (block) {
        const b: Block = block;
        b.criteria++;
        // Kiro numbers its criteria: the author's number is the criterion's; bullets count in order.
        const n = b.inAcceptance && listItem?.[3] ? Number(listItem[3]) : b.criteria;
        item = { key: `${b.key}.${n}`, explicit: false, kind: "criterion", parent: b.key, line: lineNo, parts: [trimmed] };
      } else {
        item = { key: null, explicit: false, kind: "ears", parent: null, line: lineNo, parts: [trimmed] };
      }
      continue;
    }
    if (block && !block.inAcceptance && block.length < MAX_TEXT) {
      const b: Block = block;
      b.parts.push(trimmed);
      b.length += trimmed.length + 1;
    }
  }
  flushBlock();
  return out;
}

/** Ids that a spec defines more than once (each once, in order of their second definition). */
export function duplicateKeys(requirements: readonly ExtractedRequirement[]): Array<{ key: string; lines: number[] }> {
  const lines = new Map<string, number[]>();
  for (const r of requirements) {
    if (!r.key || !r.explicit) continue;
    const seen = lines.get(r.key);
    if (seen) seen.push(r.line);
    else lines.set(r.key, [r.line]);
  }
  return [...lines].filter(([, at]) => at.length > 1).map(([key, at]) => ({ key, lines: at }));
}

/** Every requirement id mentioned in a text (references and definitions), deduplicated. */
export function mentionedKeys(text: string): string[] {
  return [...new Set(text.match(ID_RE) ?? [])];
}
