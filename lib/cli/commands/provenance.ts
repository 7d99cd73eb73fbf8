import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { Command, Option } from "commander";
import { apiTarget, callApi, normaliseServer, saveCredentials, credentialsFile, type ApiOptions } from "../api";
import { CliExit, EXIT } from "../exit";
import { createBatchProgress } from "../progress";

const API_HELP = `
Talks to the Specledger server given by --server, SPECLEDGER_URL or \`specledger login\`,
with the token from --token, SPECLEDGER_TOKEN or \`specledger login\`.

Exit codes: 0 done, 1 the answer is no (or a conflict), 2 usage or refused input, 3 server
unreachable, connection dropped, or no complete answer within --timeout (one deadline for
connecting, reading the answer and retries), 4 token refused, 5 server error, an answer that
is not JSON, or one larger than 10 MB, 6 unknown (404).`;

const withApi = (command: Command) =>
  command
    .option("--server <url>", "the Specledger server (default: $SPECLEDGER_URL, or the one you logged in to)")
    .option("--token <token>", "an API token (default: $SPECLEDGER_TOKEN, or the stored one)")
    .option("--timeout <duration>", "give up after this long, e.g. 10s (default: 30s)")
    .option("--json", "print the server's answer as JSON");

export function loginCommand(): Command {
  return new Command("login")
    .description("store an API token for a Specledger server (create one under API tokens in the app)")
    .requiredOption("--server <url>", "the Specledger server, e.g. https://specledger.example.com")
    .option("--token <token>", "the token (default: read from stdin, so it stays out of shell history)")
    .addHelpText("after", `\nThe token is checked with the server, then stored in ${credentialsFile()} (mode 600).`)
    .action(async (options: { server: string; token?: string }) => {
      const server = normaliseServer(options.server);
      const token = (options.token ?? fs.readFileSync(0, "utf8")).trim();
      const target = apiTarget({ server, token });
      const { body } = await callApi<{ email: string; role: string; scopes: string[] }>(target, "GET", "/api/v1/me");
      saveCredentials(server, token);
      process.stdout.write(`Logged in to ${server} as ${body.email} (${body.role}); token scopes: ${body.scopes.join(", ")}.\n`);
    });
}

/** "sha256:<hex>" or a bare hash, or "<repository>:<path>@<commit>". */
export function parseRef(text: string) {
  const hash = /^(?:sha256:)?([0-9a-f]{64})$/.exec(text);
  if (hash) return { contentHash: hash[1] };
  const at = /^([^:]+):(.+)@([0-9a-f]{7,64})$/.exec(text);
  if (at) return { repository: at[1], path: at[2], commit: at[3] };
  throw new CliExit(EXIT.usage, `${text} is not a spec reference: use sha256:<hash> or <repository>:<path>@<commit>.`);
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function runCommand(): Command {
  const run = new Command("run").description("agent runs");
  withApi(
    run
      .command("report")
      .description("report an agent run, or many from a JSON file, with the spec versions and instruction files they used")
      .option("--file <path>", "a JSON file: one run, an array of runs, or { runs: [...] } (batches of 1,000 are sent in turn)")
      .option("--external-id <id>", "your id for the run (default: a new UUID); a retry with the same id records nothing new")
      .option("--agent <name>", "codex, claude-code, kiro, copilot, …")
      .option("--model <name>")
      .option("--repository <name>", "the repository's name in Specledger")
      .option("--commit <sha>")
      .option("--branch <name>")
      .addOption(new Option("--outcome <outcome>").choices(["succeeded", "failed", "cancelled", "unknown"]))
      .option("--spec <ref>", "a spec version used: sha256:<hash> or <repository>:<path>@<commit> (repeatable)", collect)
      .option("--instruction <ref>", "an instruction file loaded, same forms (repeatable)", collect)
      .option("--link <label=url>", "a link, e.g. CI=https://ci.example/jobs/1 (repeatable)", collect),
  )
    .addHelpText("after", API_HELP)
    .action(reportRuns);
  return run;
}

type ReportOptions = ApiOptions & {
  file?: string;
  externalId?: string;
  agent?: string;
  model?: string;
  repository?: string;
  commit?: string;
  branch?: string;
  outcome?: string;
  spec?: string[];
  instruction?: string[];
  link?: string[];
  json?: boolean;
};

async function reportRuns(options: ReportOptions) {
  const target = apiTarget(options);
  let runs: unknown[];
  if (options.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(options.file, "utf8"));
    } catch (error) {
      throw new CliExit(EXIT.usage, `${options.file}: ${(error as Error).message}`);
    }
    runs = Array.isArray(parsed)
      ? parsed
      : parsed && typeof parsed === "object" && Array.isArray((parsed as { runs?: unknown }).runs)
        ? (parsed as { runs: unknown[] }).runs
        : [parsed];
  } else {
    if (!options.agent) throw new CliExit(EXIT.usage, "Say which agent ran: --agent (or give --file).");
    runs = [
      {
        externalId: options.externalId ?? randomUUID(),
        agent: options.agent,
        ...(options.model ? { model: options.model } : {}),
        ...(options.repository ? { repository: options.repository } : {}),
        ...(options.commit ? { commit: options.commit } : {}),
        ...(options.branch ? { branch: options.branch } : {}),
        ...(options.outcome ? { outcome: options.outcome } : {}),
        specs: (options.spec ?? []).map(parseRef),
        instructions: (options.instruction ?? []).map(parseRef),
        links: (options.link ?? []).map((l) => {
          const eq = l.indexOf("=");
          if (eq < 1) throw new CliExit(EXIT.usage, `${l}: a link is label=url.`);
          return { label: l.slice(0, eq), url: l.slice(eq + 1) };
        }),
      },
    ];
  }
  if (runs.length === 1) {
    // The key makes a retried request (after a timeout, say) safe: the server answers it once.
    const { body } = await callApi<{ id: string; externalId: string; created: boolean; unresolved: number }>(target, "POST", "/api/v1/runs", {
      body: runs[0],
      idempotencyKey: randomUUID(),
    });
    if (options.json) process.stdout.write(`${JSON.stringify(body)}\n`);
    else
      process.stdout.write(
        `${body.created ? "Recorded" : "Already recorded:"} run ${body.externalId} (${body.id})${body.unresolved ? `; ${body.unresolved} reference(s) did not resolve` : ""}.\n`,
      );
    return;
  }
  const progress = createBatchProgress(runs.length, "Reporting runs");
  const totals = { created: 0, existing: 0, unresolvedRefs: 0 };
  try {
    for (let i = 0; i < runs.length; i += 1000) {
      const chunk = runs.slice(i, i + 1000);
      const { body } = await callApi<typeof totals>(target, "POST", "/api/v1/runs/batch", { body: { runs: chunk }, idempotencyKey: randomUUID() });
      totals.created += body.created;
      totals.existing += body.existing;
      totals.unresolvedRefs += body.unresolvedRefs;
      progress.update(i + chunk.length);
    }
  } finally {
    progress.stop();
  }
  if (options.json) process.stdout.write(`${JSON.stringify(totals)}\n`);
  else
    process.stdout.write(`Recorded ${totals.created} runs (${totals.existing} were known already); ${totals.unresolvedRefs} reference(s) did not resolve.\n`);
}

export function deployCommand(): Command {
  const deploy = new Command("deploy").description("deployments");
  withApi(
    deploy
      .command("record")
      .description("record that a version of a service is now deployed to an environment")
      .requiredOption("--service <name>")
      .requiredOption("--version <version>")
      .requiredOption("--to <environment>", "the environment, e.g. production")
      .option("--commit <sha>", "the deployed commit; with --repository, its specs become the deployment's baseline")
      .option("--repository <name>", "the imported repository the commit belongs to")
      .option("--run <id>", "a run behind this version, by id or external id (repeatable)", collect)
      .option("--spec <ref>", "a spec version named directly (repeatable)", collect)
      .option("--alongside", "stay live next to what is deployed there instead of replacing it"),
  )
    .addHelpText("after", API_HELP)
    .action(
      async (
        options: ApiOptions & {
          service: string;
          version: string;
          to: string;
          commit?: string;
          repository?: string;
          run?: string[];
          spec?: string[];
          alongside?: boolean;
          json?: boolean;
        },
      ) => {
        const target = apiTarget(options);
        const { body } = await callApi<{
          id: string;
          replaced: { version: string }[];
          specs: { direct: number; baseline: number; unresolved: number };
          warning?: string;
        }>(target, "POST", "/api/v1/deployments", {
          idempotencyKey: randomUUID(),
          body: {
            service: options.service,
            environment: options.to,
            version: options.version,
            ...(options.commit ? { commit: options.commit } : {}),
            ...(options.repository ? { repository: options.repository } : {}),
            runs: options.run ?? [],
            specs: (options.spec ?? []).map(parseRef),
            alongside: Boolean(options.alongside),
          },
        });
        if (options.json) return void process.stdout.write(`${JSON.stringify(body)}\n`);
        process.stdout.write(
          `Recorded ${options.service} ${options.version} in ${options.to} (${body.id})` +
            `${body.replaced.length ? `, replacing ${body.replaced.map((r) => r.version).join(", ")}` : ""}; ` +
            `${body.specs.direct} spec version(s) named, ${body.specs.baseline} in the commit's baseline.\n` +
            (body.warning ? `warning: ${body.warning}\n` : ""),
        );
      },
    );
  return deploy;
}

export function canIDeployCommand(): Command {
  return withApi(
    new Command("can-i-deploy")
      .description("ask whether every spec version behind a version of a service passes review, before deploying it")
      .requiredOption("--service <name>")
      .requiredOption("--version <version>")
      .requiredOption("--to <environment>", "the environment to deploy to")
      .option("--allow-unreviewed", "let unreviewed spec versions through (default: the environment's setting)")
      .option("--dry-run", "explain the answer but exit 0 even when it is no"),
  )
    .addHelpText("after", API_HELP.replace("0 done, 1 the answer is no", "0 yes (or --dry-run), 1 no"))
    .action(async (options: ApiOptions & { service: string; version: string; to: string; allowUnreviewed?: boolean; dryRun?: boolean; json?: boolean }) => {
      const target = apiTarget(options);
      const query = new URLSearchParams({ service: options.service, version: options.version, environment: options.to });
      if (options.allowUnreviewed) query.set("allowUnreviewed", "true");
      const { body } = await callApi<GateAnswer>(target, "GET", `/api/v1/can-i-deploy?${query}`);
      if (typeof body.ok !== "boolean" || !Array.isArray(body.reasons)) throw new CliExit(EXIT.server, "The server's answer has no yes or no in it.");
      if (options.json) process.stdout.write(`${JSON.stringify(body)}\n`);
      else process.stdout.write(formatGateAnswer(body, options));
      if (!body.ok && !options.dryRun) throw new CliExit(EXIT.failed);
    });
}

type GateAnswer = { ok: unknown; summary?: string; reasons: { message: string }[]; checked: number; waivedBy?: { id: string } | null };

/** The gate's answer as a release manager reads it: the verdict, then each reason on its own line. */
export function formatGateAnswer(body: GateAnswer, subject: { service: string; version: string; to: string }): string {
  const reasons = body.reasons.map((r) => `  - ${String(r.message)}`).join("\n");
  if (body.ok && body.waivedBy) return `${body.summary}\nWaived:\n${reasons}\n`;
  if (body.ok) return `Yes: ${subject.service} ${subject.version} may go to ${subject.to} (${body.checked} spec versions checked).\n`;
  const verdict = body.summary ?? `No: ${subject.service} ${subject.version} may not go to ${subject.to}.`;
  return `${verdict}\n${reasons}\nIf it must ship anyway, an admin can record a waiver: specledger waiver create.\n`;
}

type Waiver = { id: string; service: string; version: string; environment: string; reason: string; expiresAt: string; createdBy: string; state: string };

const describeWaiver = (w: Waiver) => `${w.id}  ${w.service} ${w.version} to ${w.environment}, ${w.state}, by ${w.createdBy} until ${w.expiresAt}: ${w.reason}`;

/** Turns "4h", "3d", "30m" into milliseconds (a waiver lasts at most 30 days; the server checks). */
function parseExpiry(text: string): number {
  const match = /^(\d+)(m|h|d)$/.exec(text.trim());
  if (!match) throw new CliExit(EXIT.usage, `${text} is not a duration: use minutes, hours or days, e.g. 90m, 4h, 3d.`);
  return Number(match[1]) * (match[2] === "m" ? 60_000 : match[2] === "h" ? 3_600_000 : 86_400_000);
}

export function waiverCommand(): Command {
  const waiver = new Command("waiver").description("break-glass waivers of can-i-deploy (admins)");
  withApi(
    waiver
      .command("create")
      .description("let one version of a service through can-i-deploy for one environment, for a while, with a reason")
      .requiredOption("--service <name>")
      .requiredOption("--version <version>")
      .requiredOption("--to <environment>", "the one environment it applies to")
      .requiredOption("--reason <text>", "why it must ship anyway (at least 10 characters; shown on every answer it changes)")
      .requiredOption("--expires-in <duration>", "how long it lasts, e.g. 4h or 3d (at most 30 days)"),
  )
    .addHelpText("after", API_HELP)
    .action(async (options: ApiOptions & { service: string; version: string; to: string; reason: string; expiresIn: string; json?: boolean }) => {
      const target = apiTarget(options);
      const expiresAt = new Date(Date.now() + parseExpiry(options.expiresIn)).toISOString();
      const { body } = await callApi<Waiver>(target, "POST", "/api/v1/waivers", {
        body: { service: options.service, version: options.version, environment: options.to, reason: options.reason, expiresAt },
      });
      process.stdout.write(options.json ? `${JSON.stringify(body)}\n` : `Recorded waiver ${describeWaiver(body)}\n`);
    });
  withApi(waiver.command("revoke").description("revoke an active waiver").argument("<id>", "the waiver's id"))
    .addHelpText("after", API_HELP)
    .action(async (id: string, options: ApiOptions & { json?: boolean }) => {
      const target = apiTarget(options);
      const { body } = await callApi<Waiver>(target, "POST", `/api/v1/waivers/${encodeURIComponent(id)}/revoke`);
      process.stdout.write(options.json ? `${JSON.stringify(body)}\n` : `Revoked waiver ${describeWaiver(body)}\n`);
    });
  withApi(
    waiver
      .command("list")
      .description("the active waivers (or all with --all)")
      .option("--service <name>")
      .option("--to <environment>")
      .option("--all", "revoked and expired ones too"),
  )
    .addHelpText("after", API_HELP)
    .action(async (options: ApiOptions & { service?: string; to?: string; all?: boolean; json?: boolean }) => {
      const target = apiTarget(options);
      const query = new URLSearchParams({
        ...(options.service ? { service: options.service } : {}),
        ...(options.to ? { environment: options.to } : {}),
        ...(options.all ? { state: "all" } : {}),
      });
      const { body } = await callApi<{ waivers: Waiver[] }>(target, "GET", `/api/v1/waivers?${query}`);
      if (!Array.isArray(body.waivers)) throw new CliExit(EXIT.server, "The server's answer has no list of waivers.");
      if (options.json) process.stdout.write(`${JSON.stringify(body)}\n`);
      else process.stdout.write(body.waivers.length ? `${body.waivers.map(describeWaiver).join("\n")}\n` : "No waivers.\n");
    });
  return waiver;
}
