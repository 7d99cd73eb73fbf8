// Markdown structure that changes what a tool reads: a code fence left open turns the rest of the file into code.
// Fences as CommonMark defines them (https://spec.commonmark.org/0.31.2/#fenced-code-blocks).
import type { ConfigIssue } from "./types";

const OPEN = /^(\s*)(`{3,}|~{3,})(.*)$/;

/** The fence still open at the end of the text, if any; `firstLine` is the file line of the text's first line. */
export function unclosedFence(text: string, firstLine = 1): ConfigIssue[] {
  const lines = text.split(/\r?\n/);
  let open: { fence: string; indent: number; line: number; info: string } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(OPEN);
    if (!m) continue;
    const [, space, fence, rest] = m;
    const indent = space.replace(/\t/g, "    ").length;
    if (open) {
      // A closing fence uses the same character, at least as many, nothing after it, and at
      // most 3 spaces more indentation than its block's own: deeper, it is a line of the code.
      if (fence[0] === open.fence[0] && fence.length >= open.fence.length && rest.trim() === "" && indent <= open.indent + 3) open = null;
    } else if (!(fence[0] === "`" && rest.includes("`"))) {
      // A backtick fence's info string cannot contain a backtick (that is inline code).
      open = { fence, indent, line: firstLine + i, info: rest.trim() };
    }
  }
  if (!open) return [];
  return [
    {
      rule: "agent-unclosed-fence",
      line: open.line,
      message: `The code block opened with ${open.fence}${open.info ? ` (${open.info})` : ""} on line ${open.line} is never closed: everything after it reads as code.`,
      suggestion: `Close it with ${open.fence} on its own line where the code ends.`,
      evidence: { fence: open.fence },
    },
  ];
}
