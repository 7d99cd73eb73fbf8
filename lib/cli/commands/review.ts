import fs from "node:fs";
import path from "node:path";
import { applyPatch } from "diff";
import { Command } from "commander";
import { AppError } from "@/lib/errors";
import { checkBlob, hashContent } from "@/lib/specs/content";
import { execFileSync } from "node:child_process";
import { gitEnv } from "@/lib/git/git";
import { apiTarget, callApi, hasApiTarget } from "../api";
import { ensureReachable, openDatabase } from "../database";
import { CliExit, EXIT } from "../exit";

const AS_HELP = `
With a server (--server, SPECLEDGER_URL or \`specledger login\`) the proposal goes through the
API with your token (scope specs:propose). Without one, it works on the database directly
(DATABASE_URL, or the embedded development database when it is unset), acting as the user
named by --as or SPECLEDGER_USER: anyone who can reach the database can act as anyone.`;

export function proposeCommand(): Command {
  return new Command("propose")
    .description("propose a new version of a spec from a file in a working tree, for review in Specledger")
    .argument("<file>", "the edited file, inside a clone of an imported repository")
    .requiredOption("--title <title>", "what the change does, in a few words")
    .option("--repo <name>", "the repository as Specledger names it (default: the clone's folder name)")
    .option("--path <path>", "the spec's path in the repository (default: the file's path in its clone)")
    .option("--description <text>", "why, for the reviewers")
    .option("--supersedes <number>", "an open proposal this one replaces")
    .option("--as <email>", "without a server: the Specledger user proposing (default: $SPECLEDGER_USER)")
    .option("--server <url>", "propose through this Specledger server's API")
    .option("--token <token>", "the API token (default: $SPECLEDGER_TOKEN, or the stored one)")
    .option("--json", "print the new change as one JSON object")
    .addHelpText(
      "after",
      `${AS_HELP}\n\nExit codes: 0 proposed, 1 refused (the reason is printed), 2 usage error, 3 database or server unreachable, 4 token refused, 5 server error.`,
    )
    .action((file: string, options: ProposeOptions) => (hasApiTarget(options) ? proposeThroughApi(file, options) : withDatabase(() => propose(file, options))));
}

export function applyCommand(): Command {
  return new Command("apply")
    .description("write an approved change into a working tree, ready to commit")
    .argument("<change>", "the change number, as in #12 or 12")
    .option("--dir <path>", "the working tree (default: the current directory)", ".")
    .option("--json", "print what was done as one JSON object")
    .addHelpText(
      "after",
      `
Writes the approved bytes to the spec's path. If the file has moved on since the proposal
was written, the proposal's patch is applied to it instead, and the command refuses when
the patch does not apply. Once the commit is imported, its version is approved already.

Exit codes: 0 written (or already there), 1 refused, 2 usage error, 3 database unreachable.`,
    )
    .action((change: string, options: { dir: string; json?: boolean }) => withDatabase(() => apply(change, options)));
}

interface ProposeOptions {
  server?: string;
  token?: string;
  title: string;
  repo?: string;
  path?: string;
  description?: string;
  supersedes?: string;
  as?: string;
  json?: boolean;
}

async function withDatabase(fn: () => Promise<void>) {
  const database = await openDatabase();
  const { db } = await import("@/lib/db");
  try {
    await ensureReachable(() => db.$queryRaw`SELECT 1`);
    await fn();
  } catch (error) {
    if (error instanceof AppError) throw new CliExit(EXIT.failed, error.message);
    if (error && typeof error === "object" && "issues" in error) {
      throw new CliExit(EXIT.failed, (error as { issues: { message: string }[] }).issues.map((i) => i.message).join(" "));
    }
    throw error;
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

async function actingUser(email: string | undefined) {
  const wanted = (email ?? process.env.SPECLEDGER_USER ?? "").trim().toLowerCase();
  if (!wanted) throw new CliExit(EXIT.usage, "Say who is proposing: --as <email> or SPECLEDGER_USER.");
  const { db } = await import("@/lib/db");
  const user = await db.user.findUnique({ where: { email: wanted }, select: { id: true, email: true, role: true } });
  if (!user) throw new CliExit(EXIT.failed, `No Specledger user has the email ${wanted}.`);
  return user;
}

function toplevel(dir: string): string {
  try {
    const out = execFileSync("git", ["-C", dir, "rev-parse", "--show-toplevel"], { env: gitEnv(), encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return fs.realpathSync(out.trim());
  } catch {
    throw new CliExit(EXIT.failed, `${dir} is not inside a git working tree.`);
  }
}

/** The file to propose, checked, with the repository and path it belongs to. */
function readProposal(file: string, options: ProposeOptions) {
  const absolute = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(absolute);
  } catch {
    throw new CliExit(EXIT.failed, `${file} does not exist.`);
  }
  if (!stat.isFile()) throw new CliExit(EXIT.failed, `${file} is not a regular file (symbolic links are not proposed).`);
  const bytes = fs.readFileSync(absolute);
  const checked = checkBlob(bytes);
  if (!checked.ok) throw new CliExit(EXIT.failed, `${file} cannot be proposed: ${checked.detail}.`);
  const root = toplevel(path.dirname(absolute));
  const specPath = options.path ?? path.relative(root, fs.realpathSync(absolute)).split(path.sep).join("/");
  const repository = options.repo ?? path.basename(root);
  return { repository, specPath, content: new TextDecoder().decode(checked.body) };
}

async function proposeThroughApi(file: string, options: ProposeOptions) {
  const { repository, specPath, content } = readProposal(file, options);
  const target = apiTarget(options);
  const { body } = await callApi<{ number: number; state: string; currentHash: string }>(target, "POST", "/api/v1/changes", {
    body: {
      repository,
      path: specPath,
      content,
      title: options.title,
      ...(options.description ? { description: options.description } : {}),
      ...(options.supersedes ? { supersedes: Number(options.supersedes.replace(/^#/, "")) } : {}),
    },
  });
  if (options.json) process.stdout.write(`${JSON.stringify({ number: body.number, state: body.state, contentHash: body.currentHash })}\n`);
  else process.stdout.write(`Proposed #${body.number} for ${specPath} in ${repository}: ${target.server}/changes/${body.number}\n`);
}

async function propose(file: string, options: ProposeOptions) {
  const viewer = await actingUser(options.as);
  const { repository, specPath, content } = readProposal(file, options);
  const { proposeChange } = await import("@/lib/operations/reviews");
  const change = await proposeChange(viewer, {
    repository,
    path: specPath,
    content,
    title: options.title,
    description: options.description,
    supersedes: options.supersedes ? Number(options.supersedes.replace(/^#/, "")) : undefined,
  });
  if (options.json) process.stdout.write(`${JSON.stringify({ number: change.number, state: change.state, contentHash: change.currentHash })}\n`);
  else
    process.stdout.write(
      `Proposed #${change.number} for ${specPath} in ${repository} (sha256:${change.currentHash.slice(0, 12)}). It waits for its owners' review.\n`,
    );
}

async function apply(ref: string, options: { dir: string; json?: boolean }) {
  const number = Number(ref.replace(/^#/, ""));
  if (!Number.isSafeInteger(number) || number < 1) throw new CliExit(EXIT.usage, `${ref} is not a change number.`);
  const { getChangeOrThrow } = await import("@/lib/reviews");
  const reader = { id: "cli", email: "cli", role: "viewer" as const };
  const detail = await getChangeOrThrow(reader, number);
  const { change } = detail;
  if (change.origin !== "proposal") throw new CliExit(EXIT.failed, `#${number} is an imported version: it is in git already.`);
  if (change.state !== "approved") throw new CliExit(EXIT.failed, `#${number} is ${change.state}: only approved changes are applied.`);
  const root = toplevel(path.resolve(options.dir));
  const target = path.resolve(root, change.spec.path);
  if (!target.startsWith(root + path.sep)) throw new CliExit(EXIT.failed, `${change.spec.path} points outside the working tree.`);
  let existing: Buffer | null = null;
  try {
    const stat = fs.lstatSync(target);
    if (!stat.isFile()) throw new CliExit(EXIT.failed, `${change.spec.path} is not a regular file in ${root}.`);
    existing = fs.readFileSync(target);
  } catch (error) {
    if (error instanceof CliExit) throw error;
  }
  const approved = Buffer.from(detail.currentText, "utf8");
  const report = (outcome: "written" | "patched" | "already-applied") => {
    if (options.json) process.stdout.write(`${JSON.stringify({ number, path: change.spec.path, outcome, contentHash: change.currentHash })}\n`);
    else if (outcome === "already-applied") process.stdout.write(`${change.spec.path} already holds #${number}'s approved content.\n`);
    else
      process.stdout.write(
        `Wrote #${number} to ${change.spec.path}${outcome === "patched" ? " (patched onto newer content)" : ""}. Commit it; once imported, that version is approved.\n`,
      );
  };
  if (existing && hashContent(existing) === change.currentHash) return report("already-applied");
  let result = approved;
  let outcome: "written" | "patched" = "written";
  const base = change.baseHash;
  if (existing && hashContent(existing) !== base) {
    const { changePatch } = await import("@/lib/reviews");
    const { patch } = await changePatch(reader, number);
    const patched = applyPatch(existing.toString("utf8"), patch);
    if (patched === false) {
      throw new CliExit(
        EXIT.failed,
        `${change.spec.path} has changed since #${number} was written, and its patch does not apply. Propose again on top of the new content.`,
      );
    }
    result = Buffer.from(patched, "utf8");
    outcome = "patched";
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.specledger-${process.pid}`;
  fs.writeFileSync(temporary, result);
  fs.renameSync(temporary, target);
  report(outcome);
}
