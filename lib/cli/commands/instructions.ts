import { Command, Option } from "commander";
import { AGENT_IDS } from "@/lib/instructions/agents";
import type { EffectiveInstructions } from "@/lib/instructions/resolve";
import { apiTarget, callApi, type ApiOptions } from "../api";
import { CliExit, EXIT } from "../exit";

type Answer = EffectiveInstructions & { headCommit: string };

const HELP = `
Answers from the repository's imported head (run \`specledger import\` or a sync first for the
newest commit). Each agent's rules and their sources: docs/decisions/035-effective-instructions.md.

Talks to the Specledger server given by --server, SPECLEDGER_URL or \`specledger login\`, with the
token from --token, SPECLEDGER_TOKEN or \`specledger login\` (scope specs:read).

Exit codes: 0 answered, 1 answered but something is cut, dropped, unreadable or does not resolve, 2 usage
(unknown agent, a path outside the repository, an ambiguous repository), 3 server unreachable,
4 token refused, 5 server error, 6 unknown repository or directory.`;

const size = (bytes: number) => (bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`);

/** The answer as a person reads it: the ordered files, each cut, what was passed over, and the problems. */
export function formatEffectiveInstructions(answer: Answer): string {
  const out: string[] = [];
  const dir = answer.directory === "" ? "the repository root" : `${answer.directory}/`;
  out.push(`What ${answer.agent.name} sees in ${dir} (head ${answer.headCommit.slice(0, 12)})`);
  out.push(`  ${answer.agent.precedence}`);
  if (answer.entries.length === 0) out.push("  No instruction file loads here.");
  for (const e of answer.entries) {
    const indent = "  ".repeat(e.depth + 1);
    out.push(`${indent}${String(e.order).padStart(2)}. ${e.path}  ${size(e.bytes)}  [${e.status}]  ${e.reason}`);
    if (e.cut) {
      const at = e.cut.line ? `line ${e.cut.line}, column ${e.cut.column}` : `byte ${e.cut.offset}`;
      out.push(`${indent}    cut at ${at}: ${size(e.cut.lostBytes)} lost${e.cut.lostHeadings.length ? ` (${e.cut.lostHeadings.join(", ")})` : ""}`);
    }
  }
  const t = answer.totals;
  out.push(`  Total: ${t.files} files, ${size(t.bytes)}, ${size(t.loadedBytes)} read, about ${t.tokens.toLocaleString("en")} tokens (estimate)`);
  if (answer.budget) {
    const limit = [
      answer.budget.perFile ? `${answer.budget.perFile} ${answer.budget.unit} a file` : null,
      answer.budget.total ? `${answer.budget.total} ${answer.budget.unit} in total` : null,
    ]
      .filter(Boolean)
      .join(", ");
    out.push(`  Limit: ${limit}${answer.budget.over ? " (over)" : ""}: ${answer.budget.description}`);
  }
  if (answer.skipped.length > 0) {
    out.push("  Not loaded:");
    for (const s of answer.skipped) out.push(`    ${s.path}: ${s.reason}`);
  }
  if (answer.problems.length > 0) {
    out.push("  Problems:");
    for (const p of answer.problems) out.push(`    ${p.code}: ${p.message}`);
  }
  return `${out.join("\n")}\n`;
}

/** The repository id for a name or id; without one, the only repository there is. */
async function repositoryIdFor(target: ReturnType<typeof apiTarget>, wanted: string | undefined): Promise<string> {
  const { body } = await callApi<{ repositories: Array<{ id: string; name: string }> }>(target, "GET", "/api/v1/repositories");
  const repositories = body.repositories;
  if (wanted === undefined) {
    if (repositories.length === 1) return repositories[0].id;
    throw new CliExit(EXIT.usage, `There are ${repositories.length} repositories; pass --repository <name|id>.`);
  }
  const found = repositories.find((r) => r.id === wanted || r.name === wanted);
  if (!found) throw new CliExit(EXIT.unknown, `No repository named or with id ${wanted}.`);
  return found.id;
}

export function instructionsCommand(): Command {
  return new Command("instructions")
    .description("what an agent loads in a directory: the instruction files in order, why, their imports, and where its size limit cuts")
    .addOption(new Option("--agent <agent>", "the agent").choices([...AGENT_IDS]).makeOptionMandatory())
    .option("--path <dir>", "a directory of the repository, e.g. services/billing (default: the root)", "")
    .option("--repository <name|id>", "the repository (default: the only one)")
    .addOption(new Option("--format <format>", "text or json").choices(["text", "json"]).default("text"))
    .option("--server <url>", "the Specledger server (default: $SPECLEDGER_URL, or the one you logged in to)")
    .option("--token <token>", "an API token (default: $SPECLEDGER_TOKEN, or the stored one)")
    .option("--timeout <duration>", "give up after this long, e.g. 10s (default: 30s)")
    .addHelpText("after", HELP)
    .action(async (options: ApiOptions & { agent: string; path: string; repository?: string; format: "text" | "json" }) => {
      const target = apiTarget(options);
      const id = await repositoryIdFor(target, options.repository);
      const query = new URLSearchParams({ agent: options.agent, path: options.path });
      const { body } = await callApi<Answer>(target, "GET", `/api/v1/repositories/${encodeURIComponent(id)}/instructions?${query}`);
      process.stdout.write(options.format === "json" ? `${JSON.stringify(body)}\n` : formatEffectiveInstructions(body));
      // Scripts branch on "everything loads as written": a cut, a dropped file or an unresolved import is a no.
      if (body.problems.length > 0) throw new CliExit(EXIT.failed);
    });
}
