// Markdown structure that changes what a tool reads: a code fence left open turns the rest of the file into code.
// Fences as CommonMark defines them (https://spec.commonmark.org/0.31.2/#fenced-code-blocks), read by micromark,
// a CommonMark parser: a fence opened inside a list item or block quote ends with its container, so only a fence
// that runs to the end of the file swallows what follows it.
import { fromMarkdown } from "mdast-util-from-markdown";
import type { ConfigIssue } from "./types";

interface Node {
  type: string;
  position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } };
  children?: Node[];
}

const FENCE = /^\s*(`{3,}|~{3,})(.*)$/;

/** The fence still open at the end of the text, if any; `firstLine` is the file line of the text's first line. */
export function unclosedFence(text: string, firstLine = 1): ConfigIssue[] {
  // Parsing costs milliseconds per file; a line count that pairs every fence finds nothing to confirm.
  // It reported every fence CommonMark finds open on the 1,510 governed files of the corpus repositories.
  if (!lineCountLeavesOpen(text)) return [];
  const end = text.trimEnd().length;
  let open: { fence: string; info: string; line: number } | null = null;
  const visit = (node: Node) => {
    if (open) return;
    if (node.type === "code" && node.position?.start.offset !== undefined && node.position.end.offset !== undefined) {
      const source = text.slice(node.position.start.offset, node.position.end.offset);
      const lines = source.split(/\r?\n/);
      const m = lines[0].match(FENCE);
      if (m) {
        const last = lines.at(-1)!.trim();
        const closed = lines.length > 1 && /^(`{3,}|~{3,})$/.test(last) && last[0] === m[1][0] && last.length >= m[1].length;
        // Unclosed, running to the end of the file, and with text after the opening line: that text reads as code.
        // A fence opened on the last line swallows nothing, so it changes nothing a tool reads.
        if (!closed && node.position.end.offset >= end && lines.slice(1).some((l) => l.trim() !== "")) {
          open = { fence: m[1], info: m[2].trim(), line: firstLine + node.position.start.line - 1 };
        }
      }
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(fromMarkdown(text) as Node);
  if (!open) return [];
  const { fence, info, line } = open as { fence: string; info: string; line: number };
  return [
    {
      rule: "agent-unclosed-fence",
      line,
      message: `The code block opened with ${fence}${info ? ` (${info})` : ""} on line ${line} is never closed: everything after it reads as code.`,
      suggestion: `Close it with ${fence} on its own line where the code ends.`,
      evidence: { fence },
    },
  ];
}

const FENCE_LINE = /^(\s*)(`{3,}|~{3,})(.*)$/;

/** The cheap pairing of fence lines decision 029 used: true when a fence is left open at the end. */
function lineCountLeavesOpen(text: string): boolean {
  let open: { fence: string; indent: number } | null = null;
  for (const line of text.split(/\r?\n/)) {
    const m = line.match(FENCE_LINE);
    if (!m) continue;
    const indent = m[1].replace(/\t/g, "    ").length;
    if (open) {
      if (m[2][0] === open.fence[0] && m[2].length >= open.fence.length && m[3].trim() === "" && indent <= open.indent + 3) open = null;
    } else if (!(m[2][0] === "`" && m[3].includes("`"))) open = { fence: m[2], indent };
  }
  return open !== null;
}
