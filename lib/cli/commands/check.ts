// `specledger check`: the pull-request gate (docs/decisions/022-pr-check.md). Computes locally
// which governed files changed between base and head, sends their hashes and texts to the
// server, prints the answer and exits 0 (pass), 1 (policy failure), 2 (usage) or 3 (server
// unreachable or an invalid answer; 0 with --allow-unreachable).
import fs from "node:fs";
import { Command, Option } from "commander";
import { ciDefaults, ciPullRequestInfo, clip, withoutCredentials } from "@/lib/checks/ci";
import { formatText, githubAnnotations, markdownSummary, toSarif } from "@/lib/checks/report";
import { collectCheck, gitText } from "@/lib/checks/collect";
import { checkResult, knownContentsResult, type CheckInput, type CheckResult } from "@/lib/checks/schema";
import { AppError } from "@/lib/errors";
import { apiTarget, callApi, type ApiOptions } from "../api";
import { CliExit, EXIT } from "../exit";

import { cliVersion as version } from "../version";

const HELP = `
Run it in a CI job on a checkout with history (GitHub: actions/checkout with fetch-depth: 0).
Base and head default to the CI's variables: GITHUB_BASE_REF and GITHUB_SHA in GitHub Actions,
CI_MERGE_REQUEST_DIFF_BASE_SHA and CI_COMMIT_SHA in GitLab merge request pipelines. The
repository is --repository, or the one whose source matches the checkout's origin URL.
Needs a token with the checks:write scope (SPECLEDGER_TOKEN) and SPECLEDGER_URL.

Inside GitHub Actions it also prints ::error/::warning annotations and appends a Markdown
summary to $GITHUB_STEP_SUMMARY. Ready-made jobs: docs/ci/github-actions.yml, docs/ci/gitlab-ci.yml.

Exit codes: 0 the check passed, 1 the repository's policy failed it, 2 usage (bad refs, not a
git checkout, unknown repository), 3 the server is unreachable or its answer is invalid (0 with
--allow-unreachable), 4 the token was refused.`;

type CheckOptions = ApiOptions & {
  base?: string;
  head?: string;
  repository?: string;
  pullRequest?: string;
  title?: string;
  format: "text" | "json" | "sarif";
  output?: string;
  allowUnreachable?: boolean;
  dir?: string;
};

export function checkCommand(): Command {
  return new Command("check")
    .description("check a pull request's spec changes against Specledger: approvals, new findings, broken references, near-duplicates")
    .option("--base <ref>", "the target branch's commit (default: from the CI's variables)")
    .option("--head <ref>", "the pull request's commit (default: from the CI's variables, else HEAD)")
    .option("--repository <name>", "the repository's name in Specledger (default: matched by the origin remote's URL)")
    .option("--pull-request <number>", "the PR/MR number (default: from the CI's variables)")
    .option("--title <text>", "the PR/MR title, where a ticket policy looks for an issue key (default: from the CI)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif"]).default("text"))
    .option("--output <file>", "write the --format output to this file (and the text report to stdout)")
    .option("--allow-unreachable", "pass (exit 0, with a warning) when the server cannot be reached or answers nonsense")
    .option("--dir <path>", "the git checkout (default: the current directory)")
    .option("--server <url>", "the Specledger server (default: $SPECLEDGER_URL, or the one you logged in to)")
    .option("--token <token>", "an API token with checks:write (default: $SPECLEDGER_TOKEN)")
    .option("--timeout <duration>", "give up on the server after this long, e.g. 10s (default: 30s)")
    .addHelpText("after", HELP)
    .action(check);
}

async function resolveCommit(dir: string, ref: string, ci: string | null): Promise<string> {
  // GitHub gives the target branch's name; a checkout with fetch-depth: 0 has it as origin/<name>.
  const tries = ci === "github" && !/^[0-9a-f]{40}$/.test(ref) ? [`origin/${ref}`, ref] : [ref];
  for (const t of tries) {
    try {
      return (await gitText(dir, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${t}^{commit}`])).trim();
    } catch {
      // try the next spelling
    }
  }
  throw new CliExit(EXIT.usage, `${ref} is not a commit in ${dir} (is the checkout shallow? use fetch-depth: 0).`);
}

async function check(options: CheckOptions) {
  const dir = options.dir ?? process.cwd();
  const defaults = ciDefaults(process.env);
  const baseRef = options.base ?? defaults.base;
  const headRef = options.head ?? defaults.head ?? "HEAD";
  if (!baseRef)
    throw new CliExit(EXIT.usage, "Say what the pull request merges into: --base <ref> (GITHUB_BASE_REF / CI_MERGE_REQUEST_DIFF_BASE_SHA are unset).");
  let pullRequest = defaults.pullRequest;
  if (options.pullRequest !== undefined) {
    if (!/^[1-9][0-9]{0,9}$/.test(options.pullRequest) || Number(options.pullRequest) > 2_147_483_647)
      throw new CliExit(EXIT.usage, `--pull-request ${options.pullRequest} is not a PR number.`);
    pullRequest = Number(options.pullRequest);
  }
  try {
    await gitText(dir, ["rev-parse", "--git-dir"]);
  } catch {
    throw new CliExit(EXIT.usage, `${dir} is not a git checkout.`);
  }
  const target = apiTarget(options);
  const base = await resolveCommit(dir, baseRef, options.base ? null : defaults.ci);
  const head = await resolveCommit(dir, headRef, null);
  let remoteUrl: string | undefined;
  if (!options.repository) {
    remoteUrl = withoutCredentials((await gitText(dir, ["remote", "get-url", "origin"]).catch(() => "")).trim()) || undefined;
    if (!remoteUrl) throw new CliExit(EXIT.usage, "The checkout has no origin remote to match; pass --repository <name>.");
  }
  // Texts the server holds go by hash alone. Any failure here sends every text: an older server
  // without the route, or one that cannot be reached (the check itself then says so).
  const known = async (hashes: string[]) => {
    try {
      const { body: answer } = await callApi<unknown>(target, "POST", "/api/v1/checks/contents", { body: { hashes } });
      const parsed = knownContentsResult.safeParse(answer);
      return new Set(parsed.success ? parsed.data.known : []);
    } catch {
      return new Set<string>();
    }
  };
  const warn = (message: string) => process.stderr.write(`specledger: ${message}\n`);
  const collected = await collectCheck(dir, { base, head, known, warn }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "unprocessable") throw new CliExit(EXIT.usage, error.message);
    throw error;
  });
  // The title and branch, where a ticket policy looks for an issue key besides the commits.
  const info = ciPullRequestInfo(process.env, (file) => fs.readFileSync(file, "utf8"));
  const title = options.title ?? info.title;
  const branch = info.branch ?? (await gitText(dir, ["rev-parse", "--abbrev-ref", "HEAD"]).catch(() => "")).trim();
  const body: CheckInput = {
    ...(options.repository ? { repository: options.repository } : { remoteUrl }),
    base,
    head,
    ...(pullRequest ? { pullRequest } : {}),
    ...(title ? { pullRequestTitle: clip(title, 1000) } : {}),
    ...(branch && branch !== "HEAD" ? { branch: clip(branch, 500) } : {}),
    ...collected,
  };

  let result: CheckResult;
  try {
    const { body: answer } = await callApi<unknown>(target, "POST", "/api/v1/checks", { body });
    const parsed = checkResult.safeParse(answer);
    if (!parsed.success) throw new CliExit(EXIT.server, `${target.server} answered with something that is not a check result.`);
    result = parsed.data;
  } catch (error) {
    if (!(error instanceof CliExit)) throw error;
    // Fails closed: a gate that cannot ask must not pass, unless the team chose so.
    if (error.exitCode === EXIT.unreachable || error.exitCode === EXIT.server) {
      if (options.allowUnreachable) {
        process.stderr.write(`specledger: ${error.message} Passing because of --allow-unreachable; nothing was checked.\n`);
        if (process.env.GITHUB_ACTIONS === "true")
          process.stdout.write(
            `::warning title=Specledger::${error.message.replace(/%/g, "%25").replace(/\r?\n/g, "%0A")} Nothing was checked (--allow-unreachable).\n`,
          );
        return;
      }
      throw new CliExit(EXIT.unreachable, error.message);
    }
    if (error.exitCode === EXIT.unknown) throw new CliExit(EXIT.usage, error.message);
    throw error;
  }

  const formatted =
    options.format === "json"
      ? `${JSON.stringify(result, null, 2)}\n`
      : options.format === "sarif"
        ? `${JSON.stringify(toSarif(result, target.server, version), null, 2)}\n`
        : formatText(result, target.server);
  if (options.output) {
    fs.writeFileSync(options.output, formatted);
    if (options.format !== "text") process.stdout.write(formatText(result, target.server));
  } else {
    process.stdout.write(formatted);
  }
  if (process.env.GITHUB_ACTIONS === "true") {
    // Annotations go to stdout, so not after JSON or SARIF printed there (use --output for those).
    if (options.output || options.format === "text") process.stdout.write(githubAnnotations(result, target.server));
    if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdownSummary(result, target.server));
  }
  if (result.verdict === "fail") throw new CliExit(EXIT.failed);
}
