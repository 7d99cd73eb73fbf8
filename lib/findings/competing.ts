// Competing instructions: two agent instruction files for the same folder (AGENTS.md and
// CLAUDE.md, say) that tell agents different things. Pure and deterministic; the method and
// its limits are in docs/decisions/010-lint-rules.md and 049-competing-instructions-precision.md.
import { withoutCodeSpans } from "@/lib/instructions/imports";
import { extractInstructions, normaliseInstruction, type Instruction } from "./instructions";

/** Instructions whose content words have at least this Jaccard similarity say the same thing. */
export const MATCH_THRESHOLD = 0.5;

export interface InstructionConflict {
  a: Instruction;
  b: Instruction;
  /** A short label: the shared words, and the contrasting terms in brackets. */
  topic: string;
}

export interface InstructionComparison {
  /** Imperative instructions of A with no counterpart in B. */
  onlyInA: Instruction[];
  /** Imperative instructions of B with no counterpart in A. */
  onlyInB: Instruction[];
  conflicts: InstructionConflict[];
  /** At least one conflict, or each file has imperative instructions the other lacks. */
  disagree: boolean;
}

export interface InstructionFile {
  path: string;
  text: string;
}

const STOP_WORDS = new Set(
  (
    "a an the to of in on for with and or is are be been being it its this that these those as by at from into " +
    "when while your you we our us i me my all any each every some so than then there their them they was were " +
    "will would can could may might also just only via per eg e g ie i e etc use using"
  ).split(" "),
);
/** Words that set an instruction's direction; kept out of the similarity so "Always X" matches "Never X". */
const POLARITY = new Set(["never", "always", "not", "dont", "do", "no", "must", "should", "shall", "please", "avoid", "cannot"]);
const NEGATIVE = new Set(["never", "not", "dont", "no", "avoid", "cannot"]);

/**
 * Mutually exclusive choices that two files can make differently without sharing enough
 * words to be matched: the package manager in one file's setup section, another in the other's.
 * Each option lists the word sequences (normalised, stemmed) that name it. A `tool` choice's
 * options are programs whose names also appear where nothing is chosen ("published on npm",
 * "`npm install -g some-cli`", "`import ... from "mocha"`"): a tool counts as chosen only where
 * an instruction runs it or names it after a choice verb (see `usesTool`). A term counts
 * wherever it is named.
 */
const CHOICES: Array<{ topic: string; tool?: boolean; options: Record<string, string[][]> }> = [
  { topic: "package manager", tool: true, options: { npm: [["npm"]], pnpm: [["pnpm"]], yarn: [["yarn"]], bun: [["bun"]] } },
  {
    topic: "Python package manager",
    tool: true,
    options: { pip: [["pip"]], poetry: [["poetry"]], uv: [["uv"]], pipenv: [["pipenv"]] },
  },
  {
    topic: "test runner",
    tool: true,
    options: { Vitest: [["vitest"]], Jest: [["jest"]], Mocha: [["mocha"]], Jasmine: [["jasmine"]], pytest: [["pytest"]] },
  },
  { topic: "money amounts", options: { "minor units": [["minor", "unit"]], "major units": [["major", "unit"]] } },
  { topic: "quotes", options: { "single quotes": [["single", "quote"]], "double quotes": [["double", "quote"]] } },
  {
    topic: "merge strategy",
    options: {
      squash: [["squash"]],
      "merge commits": [["merge", "commit"]],
      rebase: [
        ["rebase", "merge"],
        ["rebase", "and", "merge"],
      ],
    },
  },
  {
    topic: "Next.js router",
    options: {
      "App Router": [["app", "router"]],
      "Pages Router": [["page", "router"]],
    },
  },
];

/** Words after which a named tool or value is the one chosen: "use pnpm", "write tests with Vitest". */
const CHOICE_VERBS = new Set(["use", "uses", "using", "used", "prefer", "prefers", "preferred", "choose", "with", "via", "run", "runs"]);
/** Commands that install a tool for the user or run one once; they do not choose the project's package manager. */
const ONE_OFF = /(?:^|\s)(?:-g|--global)(?:\s|$)|^\S+\s+(?:global|dlx|x)(?:\s|$)/;

/**
 * Whether an instruction uses a tool: a code span runs it (`` `pnpm install` ``, `` `npx vitest` ``,
 * not a global or one-off install such as `` `npm install -g x` ``), or the prose names it right
 * after a choice verb that is not negated ("Use pnpm", "with Vitest"; not "do not use npm").
 */
function usesTool(text: string, tool: string): boolean {
  for (const span of text.matchAll(/(`+)([^`]+?)\1/g)) {
    for (const command of span[2].split(/&&|\|\||[;|]/)) {
      const words = command.trim().toLowerCase().split(/\s+/);
      const runs = words[0] === tool || ((words[0] === "npx" || words[0] === "bunx") && words[1] === tool);
      if (runs && !ONE_OFF.test(command.trim().toLowerCase())) return true;
    }
  }
  const words = normaliseInstruction(withoutCodeSpans(text));
  return words.some((w, k) => w === tool && CHOICE_VERBS.has(words[k - 1] ?? "") && !NEGATIVE.has(words[k - 2] ?? "") && !NEGATIVE.has(words[k - 3] ?? ""));
}

/**
 * A crude suffix stripper, enough for "tests"/"test", "merged"/"merge", "pushing"/"push"
 * to compare equal. Both sides go through it, so consistency matters more than correctness.
 */
function stem(word: string): string {
  if (STOP_WORDS.has(word) || POLARITY.has(word) || /\d/.test(word)) return word;
  let w = word;
  if (w.length > 3 && w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  const suffix = w.match(/(ing|ed)$/)?.[0];
  if (suffix && w.length - suffix.length >= 3) {
    w = w.slice(0, -suffix.length);
    if (/([^aeiouslz])\1$/.test(w)) w = w.slice(0, -1);
  }
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

interface Prepared {
  instruction: Instruction;
  /** Normalised words, as written (for labels). */
  words: string[];
  /** The same words stemmed (for comparing). */
  tokens: string[];
  content: Set<string>;
}

function prepare(text: string): Prepared[] {
  return extractInstructions(text).map((instruction) => {
    const words = normaliseInstruction(instruction.text);
    const tokens = words.map(stem);
    // Numbers are values in a slot ("Node 20" against "Node 18"), so they do not count
    // towards similarity; the diff still sees them.
    const content = new Set(tokens.filter((t) => !STOP_WORDS.has(t) && !POLARITY.has(t) && !/^\d+$/.test(t)));
    return { instruction, words, tokens, content };
  });
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * The differing runs of a word-level LCS diff of two instructions, in order, compared by
 * stem; `removed`/`added` hold stems and `removedWords`/`addedWords` the words as written.
 */
function diffHunks(a: Prepared, b: Prepared) {
  const x = a.tokens;
  const y = b.tokens;
  const dp = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      dp[i][j] = x[i] === y[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    }
  }
  /** `at`: the index in A's words where the hunk starts. */
  type Hunk = { at: number; removed: string[]; added: string[]; removedWords: string[]; addedWords: string[] };
  const hunks: Hunk[] = [];
  let current: Hunk | null = null;
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      if (current) hunks.push(current);
      current = null;
      i++;
      j++;
      continue;
    }
    current ??= { at: i, removed: [], added: [], removedWords: [], addedWords: [] };
    if (j >= y.length || (i < x.length && dp[i + 1][j] >= dp[i][j + 1])) {
      current.removed.push(x[i]);
      current.removedWords.push(a.words[i++]);
    } else {
      current.added.push(y[j]);
      current.addedWords.push(b.words[j++]);
    }
  }
  if (current) hunks.push(current);
  return hunks;
}

const substantive = (words: string[]) => words.some((w) => !STOP_WORDS.has(w) && !POLARITY.has(w));
const negative = (tokens: string[]) => tokens.filter((t) => NEGATIVE.has(t)).length % 2 === 1;

/**
 * The contrasting terms of two matched instructions, or null when they agree. Matched
 * instructions share most of their content words, so most differences between them are
 * rewording ("has its own" / "should have its own", "the style guide" / "the full guide") or
 * a different subject under the same template ("client" / "hosting" READMEs, "components" /
 * "layouts"); neither is a contradiction. A pair conflicts only when
 * 1. the two name different options of a known choice (`CHOICES`), or, between two
 *    imperative instructions,
 * 2. a short run of words is swapped that is a value: numbers ("50" / "80", "Node 20" / "18")
 *    or the object of a choice verb ("use Zod" / "use Yup"), or
 * 3. only direction words differ and one side is negated ("never" against "always", "do not"
 *    dropped).
 */
function contrast(a: Prepared, b: Prepared): string | null {
  if (a.tokens.join(" ") === b.tokens.join(" ")) return null;
  const hunks = diffHunks(a, b);
  for (const choice of CHOICES) {
    const chosen = differentChoices([a], [b], choice);
    if (!chosen) continue;
    const [optionA, optionB] = chosen;
    const named = (words: string[], option: string) => choice.options[option].some((phrase) => phrase.map(stem).some((w) => words.includes(w)));
    const hunk = hunks.find((h) => named(h.removed, optionA) && named(h.added, optionB));
    return hunk ? `${hunk.removedWords.join(" ")} vs ${hunk.addedWords.join(" ")}` : `${optionA} vs ${optionB}`;
  }
  if (!a.instruction.imperative || !b.instruction.imperative) return null;
  // Words only reordered ("lint and test" / "test and lint") are no swap: each side of a real
  // one has a word the other instruction never uses ("Zod" / "Yup").
  const only = (words: string[], other: Prepared) => words.some((w) => !STOP_WORDS.has(w) && !other.tokens.includes(w));
  const numbers = (words: string[]) => words.filter((w) => !STOP_WORDS.has(w) && !POLARITY.has(w)).every((w) => /\d/.test(w));
  const swap = hunks.find(
    (h) =>
      h.removed.length > 0 &&
      h.added.length > 0 &&
      h.removed.length <= 3 &&
      h.added.length <= 3 &&
      substantive(h.removed) &&
      substantive(h.added) &&
      only(h.removed, b) &&
      only(h.added, a) &&
      ((numbers(h.removed) && numbers(h.added)) || CHOICE_VERBS.has(a.words[h.at - 1] ?? "")),
  );
  if (swap) return `${swap.removedWords.join(" ")} vs ${swap.addedWords.join(" ")}`;
  // A flip changes only the direction words ("never" for "always", "do not" dropped), not
  // what the instruction is about: "never use any" added to a sentence is not a flip.
  const flip = hunks.find((h) => [...h.removed, ...h.added].every((w) => POLARITY.has(w)));
  if (flip && negative(a.tokens) !== negative(b.tokens)) {
    return `${flip.removedWords.join(" ") || "—"} vs ${flip.addedWords.join(" ") || "—"}`;
  }
  return null;
}

/** Up to four content words both instructions use, as A writes them. */
function sharedWords(a: Prepared, b: Prepared): string {
  const shared: string[] = [];
  a.tokens.forEach((t, i) => {
    if (b.content.has(t) && a.content.has(t) && !shared.includes(a.words[i])) shared.push(a.words[i]);
  });
  return shared.slice(0, 4).join(" ");
}

function mentions(tokens: string[], phrase: string[]): boolean {
  for (let i = 0; i + phrase.length <= tokens.length; i++) {
    if (phrase.every((w, k) => tokens[i + k] === w)) return true;
  }
  return false;
}

/** The options of a choice that a file makes (see `CHOICES`), each with the first instruction making it. */
function choicesMade(file: Prepared[], choice: (typeof CHOICES)[number]): Map<string, Prepared> {
  const made = new Map<string, Prepared>();
  for (const p of file) {
    for (const [option, phrases] of Object.entries(choice.options)) {
      if (made.has(option)) continue;
      const makes = choice.tool
        ? phrases.some((phrase) => usesTool(p.instruction.text, phrase.join(" ")))
        : phrases.some((phrase) => mentions(p.tokens, phrase.map(stem)));
      if (makes) made.set(option, p);
    }
  }
  return made;
}

/**
 * The first options A and B make of a choice, with the instructions making them, when they
 * differ: each makes one, and neither names (even without choosing it) an option the other
 * makes ("Use pnpm, not npm" is not judged against "Use npm").
 */
function differentChoices(fileA: Prepared[], fileB: Prepared[], choice: (typeof CHOICES)[number]): [string, string, Prepared, Prepared] | null {
  const inA = choicesMade(fileA, choice);
  const inB = choicesMade(fileB, choice);
  if (inA.size === 0 || inB.size === 0) return null;
  const names = (file: Prepared[], option: string) => file.some((p) => choice.options[option].some((phrase) => mentions(p.tokens, phrase.map(stem))));
  if ([...inA.keys()].some((o) => names(fileB, o)) || [...inB.keys()].some((o) => names(fileA, o))) return null;
  const [optionA, x] = [...inA][0];
  const [optionB, y] = [...inB][0];
  return [optionA, optionB, x, y];
}

/**
 * Compares two agent instruction files. Each instruction of A is matched to its most similar
 * instruction of B (Jaccard similarity of content words, at least `MATCH_THRESHOLD`; ties go
 * to the earlier one), and each instruction of B to its most similar in A. A matched pair
 * conflicts when the two make different options of a known choice, or, both being
 * instructions, when a value is swapped ("20" for "18", "use Yup" for "use Zod") or only the
 * direction differs ("never" against "always"); see `contrast`. Files that make different
 * options of a known choice (package manager, test runner, money in minor or major units,
 * quote style, merge strategy, Next.js router) and never name the other's option conflict
 * too, even when the sentences share few words. Imperative instructions without a match are
 * listed as only in one file.
 */
export function compareInstructionFiles(a: InstructionFile, b: InstructionFile): InstructionComparison {
  const pa = prepare(a.text).filter((p) => p.content.size > 0);
  const pb = prepare(b.text).filter((p) => p.content.size > 0);

  const best = (p: Prepared, others: Prepared[]) => {
    let found: Prepared | null = null;
    let score = MATCH_THRESHOLD;
    for (const o of others) {
      const s = jaccard(p.content, o.content);
      if (s > score || (s === score && !found)) {
        found = o;
        score = s;
      }
    }
    return found;
  };

  const conflicts: InstructionConflict[] = [];
  const inConflict = new Set<Prepared>();
  const addConflict = (x: Prepared, y: Prepared, topic: string) => {
    if (conflicts.some((c) => c.a === x.instruction && c.b === y.instruction)) return;
    conflicts.push({ a: x.instruction, b: y.instruction, topic });
    inConflict.add(x);
    inConflict.add(y);
  };

  const matchedA = new Set<Prepared>();
  const matchedB = new Set<Prepared>();
  const pairs: Array<[Prepared, Prepared]> = [];
  for (const x of pa) {
    const y = best(x, pb);
    if (y) pairs.push([x, y]);
  }
  for (const y of pb) {
    const x = best(y, pa);
    if (x) pairs.push([x, y]);
  }
  for (const [x, y] of pairs) {
    matchedA.add(x);
    matchedB.add(y);
    const terms = contrast(x, y);
    if (terms) addConflict(x, y, `${sharedWords(x, y)} (${terms})`.trim());
  }

  for (const choice of CHOICES) {
    const chosen = differentChoices(pa, pb, choice);
    if (!chosen) continue;
    const [optionA, optionB, x, y] = chosen;
    if (inConflict.has(x) && inConflict.has(y)) continue;
    addConflict(x, y, `${choice.topic} (${optionA} vs ${optionB})`);
  }

  const only = (file: Prepared[], matched: Set<Prepared>) =>
    file.filter((p) => p.instruction.imperative && !matched.has(p) && !inConflict.has(p)).map((p) => p.instruction);
  const onlyInA = only(pa, matchedA);
  const onlyInB = only(pb, matchedB);
  conflicts.sort((x, y) => x.a.line - y.a.line || x.b.line - y.b.line);
  return { onlyInA, onlyInB, conflicts, disagree: conflicts.length > 0 || (onlyInA.length > 0 && onlyInB.length > 0) };
}
