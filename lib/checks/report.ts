// How a check's answer is shown: human text, SARIF 2.1.0 for code scanning, GitHub Actions
// workflow commands and a Markdown job summary. Pure functions over the server's answer;
// the CLI prints them.
import { LINT_RULES } from "@/lib/findings/lint";
import type { CheckItem, CheckResult } from "./schema";

const RULE_HELP: Record<string, string> = {
  "unapproved-owned": "An owned spec's new content is not approved in Specledger.",
  "unapproved-unowned": "A spec's new content is not approved in Specledger.",
  "deleted-owned": "An owned spec is deleted.",
  "broken-reference": "The file names a path that does not exist at the head commit.",
  "near-duplicate": "The new content nearly duplicates a spec elsewhere in the fleet.",
  "breaking-contract": "A contract's unapproved new content breaks its consumers, or could not be classified in full.",
  "spec-drift": "The pull request changes code a spec governs, but not the spec.",
  "ticket-missing": "The repository needs an issue key for every spec change, and the pull request names none.",
  "ticket-policy-unreadable": "The repository's ticket policy cannot be read, so spec changes fail until an admin sets it again.",
  ...Object.fromEntries(LINT_RULES.map((r) => [r.id, r.title])),
};

const ruleText = (id: string) => RULE_HELP[id] ?? id;

/** A link on the server as an absolute URL. */
const absolute = (server: string, link: string) => (/^https?:/.test(link) ? link : `${server}${link}`);

function itemText(item: CheckItem, server: string): string {
  return item.link ? `${item.message} (${absolute(server, item.link)})` : item.message;
}

/**
 * Text for a log line: control characters (a path may hold a newline) are written as escapes, so
 * nothing in a message can start a line GitHub's runner reads as a workflow command.
 */
const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** The answer as a person reads it in a CI log. */
export function formatText(result: CheckResult, server: string): string {
  const unchanged = result.files.filter((f) => f.status === "unchanged").length;
  const lines = [
    `Specledger check of ${result.repository.name} ${result.base.slice(0, 12)}...${result.head.slice(0, 12)}${result.pullRequest ? ` (PR #${result.pullRequest})` : ""}: ${result.verdict === "pass" ? "PASS" : "FAIL"}`,
    `${result.summary.files} governed file(s) changed${unchanged ? `, ${unchanged} unchanged one(s) affected` : ""}; ${result.summary.blocking} blocking, ${result.summary.errors} error(s), ${result.summary.warnings} warning(s), ${result.summary.notes} note(s).`,
    ...(result.ticket
      ? [`Ticket: ${result.ticket.key} (${result.ticket.url}), named in the ${result.ticket.where === "commit" ? "commits" : result.ticket.where}.`]
      : []),
  ];
  for (const file of result.files) {
    const approval =
      file.approval.state === "approved"
        ? `approved${file.approval.change ? ` (change #${file.approval.change}${file.approval.via === "copy" ? ", identical copy" : ""})` : ""}`
        : file.approval.state === "pending"
          ? `awaiting review in ${absolute(server, `/changes/${file.approval.change}`)}`
          : file.approval.state === "unchanged"
            ? "not changed by this pull request"
            : file.approval.state;
    lines.push(`  ${printable(file.path)} [${file.kind}, ${file.status}]: ${approval}`);
    for (const item of file.items) {
      lines.push(
        `    ${item.blocking ? "✗" : item.level === "note" ? "·" : "!"} ${item.line ? `line ${item.line}: ` : ""}${printable(itemText(item, server))} [${item.rule}]`,
      );
    }
  }
  lines.push(`Details: ${absolute(server, result.url)}`);
  return `${lines.join("\n")}\n`;
}

/** A workflow command's data escaped as GitHub's runner expects (%, CR, LF; and , : in properties). */
function escapeData(s: string) {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s: string) {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * GitHub Actions annotations: `::error file=…,line=…::message` (and ::warning, ::notice), per
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands.
 */
export function githubAnnotations(result: CheckResult, server: string): string {
  const out: string[] = [];
  for (const file of result.files) {
    for (const item of file.items) {
      const command = item.level === "error" ? "error" : item.level === "warning" ? "warning" : "notice";
      const props = [`file=${escapeProperty(file.path)}`, ...(item.line ? [`line=${item.line}`] : []), `title=${escapeProperty(`Specledger: ${item.rule}`)}`];
      out.push(`::${command} ${props.join(",")}::${escapeData(itemText(item, server))}`);
    }
  }
  return out.length ? `${out.join("\n")}\n` : "";
}

// Table cells: pipes and brackets escaped (a path or message cannot make a link or a column), line breaks and control characters as spaces.
const cell = (s: string) => s.replace(/[|[\]]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f]+/g, " ");
// A path in a code span: no link can start there, but a pipe still ends the column and a backtick the span.
const codeCell = (s: string) =>
  s
    .replace(/\|/g, "\\|")
    .replace(/`/g, "'")
    .replace(/[\u0000-\u001f\u007f]+/g, " ");

/** The Markdown job summary appended to $GITHUB_STEP_SUMMARY. */
export function markdownSummary(result: CheckResult, server: string): string {
  const affected = result.files.filter((f) => f.status === "unchanged").length;
  const lines = [
    `## Specledger check: ${result.verdict === "pass" ? "✅ pass" : "❌ fail"}`,
    "",
    `${result.repository.name} \`${result.base.slice(0, 12)}...${result.head.slice(0, 12)}\`: ${result.summary.files} governed file(s)${affected ? ` changed, ${affected} unchanged one(s) affected` : ""}, ${result.summary.blocking} blocking, ${result.summary.warnings} warning(s).${result.ticket ? ` Ticket [${result.ticket.key}](${result.ticket.url}).` : ""} [Details](${absolute(server, result.url)})`,
    "",
  ];
  if (result.files.length > 0) {
    lines.push("| File | Approval | Findings |", "| --- | --- | --- |");
    for (const file of result.files) {
      // The link is the server's own (a change number); only text from paths and messages is escaped.
      const approval =
        file.approval.state === "pending"
          ? `[awaiting review #${file.approval.change}](${absolute(server, `/changes/${file.approval.change}`)})`
          : cell(file.approval.state === "unchanged" ? "not changed" : file.approval.state);
      const findings = file.items.map((i) => `${i.blocking ? "❌" : "⚠️"} ${i.line ? `L${i.line} ` : ""}${i.message}`).join("<br>") || "none";
      lines.push(`| \`${codeCell(file.path)}\` | ${approval} | ${cell(findings)} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** One result of a SARIF log: a rule's finding at a file and line. */
export interface SarifResult {
  rule: string;
  level: "error" | "warning" | "note";
  message: string;
  /** Relative to the checkout's root, with forward slashes. */
  path: string;
  line: number | null;
}

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), the subset
 * GitHub code scanning reads: runs[].tool.driver.rules, and results with ruleId, level,
 * message and a physicalLocation (artifactLocation.uri relative to the checkout, region.startLine ≥ 1).
 * Used by `specledger check` and `specledger lint`.
 */
export function sarifLog(opts: { version: string; informationUri?: string; results: readonly SarifResult[] }) {
  const ruleIds = [...new Set(opts.results.map((r) => r.rule))].sort();
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0" as const,
    runs: [
      {
        tool: {
          driver: {
            name: "Specledger",
            version: opts.version,
            ...(opts.informationUri ? { informationUri: opts.informationUri } : {}),
            rules: ruleIds.map((id) => ({ id, name: id, shortDescription: { text: ruleText(id) } })),
          },
        },
        results: opts.results.map((r) => ({
          ruleId: r.rule,
          ruleIndex: ruleIds.indexOf(r.rule),
          level: r.level,
          message: { text: r.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(r.path), uriBaseId: "%SRCROOT%" },
                // Code scanning needs a line; a whole-file finding points at the first.
                region: { startLine: r.line ?? 1 },
              },
            },
          ],
        })),
      },
    ],
  };
}

/** A check's answer as SARIF. */
export function toSarif(result: CheckResult, server: string, version: string) {
  return sarifLog({
    version,
    informationUri: absolute(server, "/"),
    results: result.files.flatMap((file) =>
      file.items.map((item) => ({ rule: item.rule, level: item.level, message: itemText(item, server), path: file.path, line: item.line ?? null })),
    ),
  });
}
