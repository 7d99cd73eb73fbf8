import { Command, Option } from "commander";
import { apiTarget, callApi, type ApiOptions } from "../api";
import { CliExit, EXIT } from "../exit";

const HELP = `
<spec> is a spec id or <repository>:<path>. Talks to the Specledger server given by --server,
SPECLEDGER_URL or \`specledger login\`, with the token from --token, SPECLEDGER_TOKEN or the stored one.

Exit codes: 0 answered, 1 no (can-i-run: over budget or unknown spend; last-green: no version qualifies), 2 usage,
3 server unreachable or no answer within --timeout, 4 token refused, 5 server error, 6 unknown spec.`;

type Options = ApiOptions & { format: "text" | "json" };

const withApi = (command: Command) =>
  command
    .argument("<spec>", "a spec id, or <repository>:<path>")
    .option("--server <url>", "the Specledger server (default: $SPECLEDGER_URL, or the one you logged in to)")
    .option("--token <token>", "an API token (default: $SPECLEDGER_TOKEN, or the stored one)")
    .option("--timeout <duration>", "give up after this long, e.g. 10s (default: 30s)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addHelpText("after", HELP);

type LastGreen = {
  spec: { path: string; repository: { name: string } };
  version: { seq: number; contentHash: string; commitSha: string; path: string; succeeded: number; checkout: { show: string; restore: string } } | null;
  reason: string | null;
  summary: string | null;
};

/** The last green answer as an agent swarm reads it: the hash, then the commands to go back to it. */
export function formatLastGreen(body: LastGreen): string {
  const where = `${body.spec.repository.name}:${body.spec.path}`;
  if (!body.version) return `No green version of ${where}: ${body.reason}\n`;
  const v = body.version;
  return (
    `Last green of ${where}: version ${v.seq} (sha256:${v.contentHash}) at commit ${v.commitSha}, ${v.succeeded} succeeded run(s).\n` +
    (body.summary ? `${body.summary}\n` : "") +
    `Check it out, in a clone of ${body.spec.repository.name}:\n  ${v.checkout.restore}\nor print it:\n  ${v.checkout.show}\n`
  );
}

export function lastGreenCommand(): Command {
  return withApi(new Command("last-green").description("the newest version of a spec whose agent runs succeeded, and how to check it out")).action(
    async (spec: string, options: Options) => {
      const target = apiTarget(options);
      const { body } = await callApi<LastGreen>(target, "GET", `/api/v1/specs/${encodeURIComponent(spec)}/last-green`);
      if (!body || typeof body !== "object" || !("version" in body)) throw new CliExit(EXIT.server, "The server's answer has no version in it.");
      process.stdout.write(options.format === "json" ? `${JSON.stringify(body)}\n` : formatLastGreen(body));
      if (!body.version) throw new CliExit(EXIT.failed);
    },
  );
}

type RunAnswer = { ok: unknown; summary: string; reasons: { message: string }[]; budgets: { message: string; level: string }[] };

/** The can-i-run answer as a scheduler's log shows it: the verdict, then every budget's figures. */
export function formatCanIRun(body: RunAnswer): string {
  const lines = body.budgets.map((b) => `  - ${b.level === "ok" ? "" : `${b.level}: `}${b.message}`);
  return `${body.summary}\n${lines.length ? `${lines.join("\n")}\n` : ""}`;
}

export function canIRunCommand(): Command {
  return withApi(
    new Command("can-i-run").description(
      "ask whether agents may start work on a spec: no when one of its budgets is spent, or its spend is unknown, for the period",
    ),
  )
    .option("--dry-run", "explain the answer but exit 0 even when it is no")
    .action(async (spec: string, options: Options & { dryRun?: boolean }) => {
      const target = apiTarget(options);
      const { body } = await callApi<RunAnswer>(target, "GET", `/api/v1/specs/${encodeURIComponent(spec)}/can-i-run`);
      // Fail closed: an answer without a yes or no is not a yes.
      if (!body || typeof body.ok !== "boolean" || !Array.isArray(body.budgets)) throw new CliExit(EXIT.server, "The server's answer has no yes or no in it.");
      process.stdout.write(options.format === "json" ? `${JSON.stringify(body)}\n` : formatCanIRun(body));
      if (!body.ok && !options.dryRun) throw new CliExit(EXIT.failed);
    });
}
