// A parser for acceptance criteria written in EARS (Easy Approach to Requirements Syntax).
// The accepted grammar, and where it is more lenient than EARS, is in
// docs/decisions/010-lint-rules.md.

export type EarsPattern = "ubiquitous" | "event" | "state" | "unwanted" | "optional" | "complex";

export type EarsResult = { ok: true; pattern: EarsPattern; trigger?: string; system: string; response: string } | { ok: false; reason: string };

type Keyword = "WHILE" | "WHEN" | "IF" | "WHERE";

const PATTERN_OF: Record<Keyword, EarsPattern> = {
  WHEN: "event",
  WHILE: "state",
  IF: "unwanted",
  WHERE: "optional",
};

/** List markers, checkboxes and bold or italic markup around the keywords. */
function clean(text: string): string {
  return text
    .replace(/^\s*([-*+]|\d{1,9}[.)])\s+/, "")
    .replace(/^\[[ xX]\]\s+/, "")
    .replace(/\*\*|__/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The text without the given punctuation and whitespace at its end. A loop: a regex like
 * `/[.;\s]+$/` retries from every position of a long run and takes quadratic time.
 */
function trimEndOf(text: string, punctuation: string): string {
  let end = text.length;
  while (end > 0 && (punctuation.includes(text[end - 1]) || /\s/.test(text[end - 1]))) end--;
  return text.slice(0, end);
}

function stripThe(system: string): string {
  return trimEndOf(system.trim().replace(/^the(\s+|$)/i, ""), ",").trim();
}

/**
 * True when the author evidently tried to write EARS: the text starts with an EARS keyword in
 * capitals (WHEN, IF, WHILE, WHERE, THE) or contains SHALL in capitals. Ordinary prose
 * ("When in doubt, ask.") does not look like EARS.
 */
export function looksLikeEars(text: string): boolean {
  const t = clean(text);
  return /^(WHEN|IF|WHILE|WHERE|THE)\b/.test(t) || /\bSHALL\b/.test(t);
}

/** Where the condition ends and the system begins, or null when nothing marks it. */
function splitCondition(pre: string): { condition: string; system: string; then: boolean } | null {
  const thens = [...pre.matchAll(/(?:,\s*|\s+)(?:THEN|Then|then)\s+/g)].filter((m) => m[0].includes(",") || /THEN/.test(m[0]));
  const lastThen = thens.at(-1);
  if (lastThen?.index !== undefined) {
    return { condition: pre.slice(0, lastThen.index), system: pre.slice(lastThen.index + lastThen[0].length), then: true };
  }
  const splitAt = (re: RegExp, skip: number) => {
    const hits = [...pre.matchAll(re)].filter((m) => (m.index ?? 0) > 0);
    const last = hits.at(-1);
    if (!last || last.index === undefined) return null;
    return { condition: pre.slice(0, last.index), system: pre.slice(last.index + skip), then: false };
  };
  // THE in capitals, then a comma, then the last lowercase "the".
  return splitAt(/\bTHE\b/g, 0) ?? splitAt(/,/g, 1) ?? splitAt(/\sthe\s/g, 1);
}

/** The WHILE/WHEN/IF/WHERE clauses of a condition, in order. */
function clauses(condition: string): Array<{ keyword: Keyword; text: string }> {
  // A keyword opens a clause at the start, in capitals anywhere, or in any case after a comma.
  const re = /(^|,\s*|\s)(while|when|if|where)\s+/gi;
  const marks: Array<{ keyword: Keyword; start: number; end: number }> = [];
  for (const m of condition.matchAll(re)) {
    const word = m[2];
    const index = m.index ?? 0;
    if (index === 0 || word === word.toUpperCase() || m[1].startsWith(",")) {
      marks.push({ keyword: word.toUpperCase() as Keyword, start: index, end: index + m[0].length });
    }
  }
  return marks.map((mark, i) => ({
    keyword: mark.keyword,
    text: trimEndOf(condition.slice(mark.end, marks[i + 1]?.start ?? condition.length), ",").trim(),
  }));
}

/**
 * Parses one EARS requirement:
 * - ubiquitous: `[THE] <system> SHALL <response>`
 * - event: `WHEN <trigger>[,] [THEN] [THE] <system> SHALL <response>`
 * - state: `WHILE <state>[,] [THE] <system> SHALL <response>`
 * - unwanted: `IF <condition>[,] THEN [THE] <system> SHALL <response>` (THEN required)
 * - optional: `WHERE <feature>[,] [THE] <system> SHALL <response>`
 * - complex: several of the clauses above, e.g. `WHILE <state>, WHEN <trigger> THE ...`
 * Keywords match in any case; `SHALL NOT` is allowed and kept in the response.
 */
export function parseEars(text: string): EarsResult {
  const t = clean(text);
  const shall = t.match(/\bSHALL\b/i);
  if (!shall || shall.index === undefined) return { ok: false, reason: "no SHALL clause" };
  const pre = t.slice(0, shall.index).trim();
  const response = trimEndOf(t.slice(shall.index + shall[0].length), ".;").trim();
  if (!response || /^not$/i.test(response)) return { ok: false, reason: "no response after SHALL" };

  if (!/^(while|when|if|where)\b/i.test(pre)) {
    const system = stripThe(pre);
    if (!system) return { ok: false, reason: "no system before SHALL" };
    if (/\b(WHEN|WHILE|WHERE|IF|THEN)\b/.test(system)) {
      return { ok: false, reason: "the condition must come first: WHEN/IF/WHILE/WHERE ... THE <system> SHALL ..." };
    }
    return { ok: true, pattern: "ubiquitous", system, response };
  }

  const split = splitCondition(pre);
  if (!split) {
    return {
      ok: false,
      reason: "cannot tell where the condition ends and the system begins: write THE <system>, or a comma before it",
    };
  }
  const system = stripThe(split.system);
  if (!system) return { ok: false, reason: "no system before SHALL" };
  const found = clauses(split.condition);
  const empty = found.find((c) => !c.text);
  if (empty) return { ok: false, reason: `empty ${empty.keyword} clause` };
  if (found.some((c) => c.keyword === "IF") && !split.then) {
    return { ok: false, reason: "IF needs THEN before the system: IF <condition> THEN THE <system> SHALL ..." };
  }
  if (found.length === 1) {
    return { ok: true, pattern: PATTERN_OF[found[0].keyword], trigger: found[0].text, system, response };
  }
  return { ok: true, pattern: "complex", trigger: trimEndOf(split.condition, ",").trim(), system, response };
}
