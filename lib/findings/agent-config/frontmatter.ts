// YAML front matter of agent files (SKILL.md, subagents, prompts, .mdc and .instructions.md rules),
// read the way the tools read it: a strict YAML 1.2 mapping between `---` lines at the top of the file.
import { parseDocument } from "yaml";

/** Front matter bigger than this is not what any tool expects; parsing it could only cost time. */
export const MAX_FRONTMATTER_CHARS = 64 * 1024;

export type Frontmatter =
  | { kind: "none" }
  | { kind: "ok"; data: Record<string, unknown>; startLine: number; endLine: number; lines: string[] }
  | {
      kind: "invalid";
      line: number;
      reason: string;
      unquotedGlob: string | null;
      /** Not closed or too big: no reader, however forgiving, gets the fields. */
      structural?: boolean;
      startLine: number;
      endLine: number;
      lines: string[];
    };

/** The text after the front matter, and the 1-based line it starts on. */
export interface Split {
  frontmatter: Frontmatter;
  body: string;
  bodyLine: number;
}

const FENCE = /^---\s*$/;
const END = /^(?:---|\.\.\.)\s*$/;
// A value or list item that starts with `*` is a YAML alias, so `globs: **/*.ts` does not parse.
const UNQUOTED_GLOB = /^\s*(?:-\s+|[\w.-]+\s*:\s+(?:-\s+)?)(\*\S*)/;

export function splitFrontmatter(text: string): Split {
  const all = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (!FENCE.test(all[0] ?? "")) return { frontmatter: { kind: "none" }, body: all.join("\n"), bodyLine: 1 };
  const close = all.findIndex((l, i) => i > 0 && END.test(l));
  if (close < 0) {
    return {
      frontmatter: {
        kind: "invalid",
        line: 1,
        reason: "the front matter opened on line 1 is never closed with ---",
        unquotedGlob: null,
        structural: true,
        startLine: 1,
        endLine: all.length,
        lines: [],
      },
      body: "",
      bodyLine: all.length + 1,
    };
  }
  const lines = all.slice(1, close);
  const body = all.slice(close + 1).join("\n");
  const where = { startLine: 2, endLine: close, lines };
  const raw = lines.join("\n");
  if (raw.length > MAX_FRONTMATTER_CHARS) {
    return {
      frontmatter: {
        kind: "invalid",
        line: 1,
        reason: `the front matter is over ${MAX_FRONTMATTER_CHARS} characters`,
        unquotedGlob: null,
        structural: true,
        ...where,
      },
      body,
      bodyLine: close + 2,
    };
  }
  const invalid = (reason: string, line: number | null): Split => {
    const globLine = lines.findIndex((l) => UNQUOTED_GLOB.test(l));
    const unquotedGlob = globLine >= 0 ? lines[globLine].match(UNQUOTED_GLOB)![1] : null;
    const at = globLine >= 0 ? globLine + 2 : (line ?? 1);
    return { frontmatter: { kind: "invalid", line: at, reason, unquotedGlob, ...where }, body, bodyLine: close + 2 };
  };
  const simple = simpleMapping(lines);
  if (simple) return { frontmatter: { kind: "ok", data: simple, ...where }, body, bodyLine: close + 2 };
  // Aliases are what YAML bombs are made of; front matter never needs many.
  const doc = parseDocument(raw, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    return invalid(error.message.split("\n")[0], error.linePos ? error.linePos[0].line + 1 : null);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    return invalid((error as Error).message.split("\n")[0], null);
  }
  if (data === null || data === undefined) return { frontmatter: { kind: "ok", data: {}, ...where }, body, bodyLine: close + 2 };
  if (typeof data !== "object" || Array.isArray(data)) return invalid("the front matter is not a mapping of fields", 2);
  return { frontmatter: { kind: "ok", data: data as Record<string, unknown>, ...where }, body, bodyLine: close + 2 };
}

// One `key: value` line whose value YAML can only read as that exact string: a plain scalar that starts with a
// letter and holds no `:`, `#`, backslash or control character (so no comment, nested mapping, number, date or
// indicator), or a quoted one with no quote, backslash or control character inside. Anything else goes to the YAML parser.
const SIMPLE_FIELD =
  /^([A-Za-z_][\w-]*):[ ]+(?:([A-Za-z][^:#\t\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]*?)|"([^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]*)"|'([^'\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]*)')[ ]*$/;
const NOT_A_STRING = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;

/**
 * The fields of front matter made only of simple one-line string fields (most agent files: name,
 * description, model, quoted globs), read without the YAML parser, which costs about a millisecond
 * per file and dominated lint time (decision 042); null when any line is not that simple, so that
 * YAML decides. Exported for the test that compares it with the YAML parser.
 */
export function simpleMapping(lines: readonly string[]): Record<string, string> | null {
  const data: Record<string, string> = {};
  for (const line of lines) {
    if (/^[ ]*$/.test(line)) continue;
    const m = SIMPLE_FIELD.exec(line);
    // A repeated key is YAML's error to report; `__proto__` would set the object's prototype here.
    if (!m || Object.hasOwn(data, m[1]) || m[1] === "__proto__") return null;
    const plain = m[2]?.trimEnd();
    if (plain !== undefined && NOT_A_STRING.test(plain)) return null;
    data[m[1]] = plain ?? m[3] ?? m[4];
  }
  return Object.keys(data).length > 0 ? data : null;
}

/** The 1-based file line of a top-level field, or the front matter's first line. */
export function fieldLine(frontmatter: Frontmatter, field: string): number {
  if (frontmatter.kind === "none") return 1;
  const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const index = frontmatter.lines.findIndex((l) => new RegExp(`^["']?${escaped}["']?\\s*:`).test(l));
  return index >= 0 ? frontmatter.startLine + index : 1;
}

// `lineFields` (how Cursor reads front matter YAML refuses) lives with the effective-instructions resolver, which reads
// rule files the same way: lib/instructions/resolve.ts.
export { lineFields } from "@/lib/instructions/resolve";
