import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { classifySource } from "@/lib/git/source";
import { openDatabase, ensureReachable, isConnectionError, describeError } from "../database";
import { apiTarget, callApi } from "../api";
import { CliExit, EXIT } from "../exit";
import type { ImportPhase } from "@/lib/repositories/import";
import { createProgressReporter, formatImportSummary } from "../progress";
import { credentialFromOptions, type CredentialOptions } from "../credential";
import { plural } from "@/lib/text";

export interface ImportCommandOptions extends CredentialOptions {
  target: string;
  name?: string;
  json?: boolean;
}

export function importCommand(): Command {
  return new Command("import")
    .description("import a git repository's specs and agent instruction files into Specledger")
    .argument("<path-or-url>", "a local repository folder (relative paths are fine) or a git URL")
    .option("--name <name>", "name for a newly added repository (default: from the folder or URL)")
    .option("--json", "print the finished import record as one JSON object instead of a summary")
    .option("--server <url>", "import through this Specledger server's API instead (the path or URL as the server sees it)")
    .option("--token <token>", "with --server: an API token with the admin scope (default: $SPECLEDGER_TOKEN, or the stored one)")
    .option("--token-env <VAR>", "a private https repository: the environment variable holding its access token (never the token itself)")
    .option("--username <name>", "with --token-env: the https user name (default x-access-token)")
    .option("--ssh-key <file>", "a private ssh repository: its deploy key (an unencrypted OpenSSH or PEM private key file)")
    .option("--known-hosts <file>", "with --ssh-key: the server's host key(s) as known_hosts lines (ssh-keyscan <host> > file)")
    .addHelpText(
      "after",
      `
Unlike the other commands, import does not go through the Specledger server: it runs the
import in this process and writes to the database directly, because the repository path
is local to the machine running the CLI. Set DATABASE_URL to the Specledger database;
when it is unset, the embedded development database (the one \`npm start\` uses) is
started for the duration of the command.

Importing a repository that is already registered imports its new commits.

A private repository takes a credential, stored encrypted (SPECLEDGER_SECRET_KEY) and never
shown again: --token-env VAR for https (GIT_TOKEN=… specledger import https://… --token-env
GIT_TOKEN), or --ssh-key and --known-hosts for ssh. Given for a repository already registered,
it replaces the stored one before the import (admin).

With --server, the server imports the repository (a path on the server, or a URL it can
reach) and the CLI follows its progress; this needs a token with the admin scope.

Exit codes: 0 imported, 1 the import failed, 2 usage error, 3 database unreachable,
7 imported, but a step after the import failed (the findings: one line says why).`,
    )
    .action((target: string, options: Omit<ImportCommandOptions, "target"> & { server?: string; token?: string }) =>
      options.server || process.env.SPECLEDGER_URL ? importThroughApi({ target, ...options }) : runImportCommand({ target, ...options }),
    );
}

/** Resolves a relative path against the working directory; URLs pass through unchanged. */
export function normaliseSource(target: string): string {
  const trimmed = target.trim();
  try {
    return classifySource(trimmed) === "url" ? trimmed : path.resolve(trimmed);
  } catch {
    // classifySource rejects relative paths; a string with a scheme is a URL it refuses,
    // left as it is so that addRepository reports why.
    return /^[a-z][a-z0-9+.-]*(:\/\/|::)/i.test(trimmed) ? trimmed : path.resolve(trimmed);
  }
}

export async function runImportCommand(opts: ImportCommandOptions): Promise<void> {
  // Mirror clones of imported URLs go where the server keeps them (lib/paths defaults to
  // the working directory, which for the CLI is wherever the user happens to be).
  process.env.SPECLEDGER_DATA_DIR ??= fileURLToPath(new URL("../../../.data", import.meta.url));
  const database = await openDatabase();
  try {
    await importInProcess(opts);
  } finally {
    await database.stop();
  }
}

async function importInProcess(opts: ImportCommandOptions): Promise<void> {
  // Modules that reach @/lib/db are loaded only now: lib/db reads DATABASE_URL on import.
  const { db } = await import("@/lib/db");
  const { stopQueue } = await import("@/lib/jobs/queue");
  try {
    await ensureReachable(() => db.$queryRaw`SELECT 1`);
    const { runImport, SYSTEM_VIEWER } = await import("@/lib/repositories");
    const { addRepositoryHere, requestImportHere, setRepositoryCredential } = await import("@/lib/operations/repositories");
    const { AppError } = await import("@/lib/errors");
    const source = normaliseSource(opts.target);
    const credential = credentialFromOptions(opts);

    let importId: string;
    try {
      // The CLI runs on the user's machine as the user: any local path, and the import runs
      // here. An already added source (or an alias of it) answers conflict with its id.
      const pending = await addRepositoryHere(SYSTEM_VIEWER, { source, name: opts.name, credential })
        .then((added) => added.import)
        .catch(async (error) => {
          const repositoryId = (error as { details?: { repositoryId?: string } }).details?.repositoryId;
          if (!(error instanceof AppError && error.code === "conflict" && repositoryId)) throw error;
          // Given again for a registered repository, the credential replaces the stored one (audited as a rotation).
          if (credential) await setRepositoryCredential(SYSTEM_VIEWER, { repositoryId, ...credential });
          return requestImportHere(SYSTEM_VIEWER, { repositoryId });
        });
      if (pending.status === "running") {
        throw new CliExit(EXIT.failed, `An import of ${source} is already running (started ${pending.startedAt ?? "just now"}).`);
      }
      importId = pending.id;
    } catch (error) {
      if (error instanceof AppError) throw new CliExit(EXIT.failed, error.message);
      throw error;
    }

    const { recomputeFindings } = await import("@/lib/findings/store");
    const { oneLineCause } = await import("@/lib/git/error-text");
    const { redactText } = await import("@/lib/git/source");
    const reporter = createProgressReporter({ stream: process.stderr, interactive: Boolean(process.stderr.isTTY) && !opts.json });
    let record;
    // The findings run here, after the import; their failure is told in one line below.
    let findingsCause: string | null = null;
    const findings = (repositoryId: string) =>
      recomputeFindings({ repositoryId }).catch((error: unknown) => {
        findingsCause = oneLineCause(redactText(error instanceof Error ? error.message : String(error)));
        throw error;
      });
    try {
      record = await runImport({ importId, onProgress: (progress) => reporter.update(progress), findings, quiet: true });
    } finally {
      reporter.stop();
    }

    if (opts.json) {
      process.stdout.write(`${JSON.stringify(record)}\n`);
    } else if (record.status === "succeeded") {
      const repository = await db.repository.findUniqueOrThrow({ where: { id: record.repositoryId }, select: { name: true } });
      process.stdout.write(`${formatImportSummary(repository.name, record)}\n`);
    }
    if (record.warning) process.stderr.write(`Warning: ${record.warning}\n`);
    if (record.status !== "succeeded") throw new CliExit(EXIT.failed, record.error ?? "The import failed.");
    if (findingsCause !== null) {
      throw new CliExit(EXIT.followUp, `imported ${plural(record.versionsAdded, "version")}; findings for this repository failed: ${findingsCause}`);
    }
    if (record.followUpError) throw new CliExit(EXIT.followUp, `imported, but a follow-up step failed: ${record.followUpError}`);
  } catch (error) {
    if (!(error instanceof CliExit) && isConnectionError(error)) {
      throw new CliExit(EXIT.unreachable, `Lost the connection to the database: ${describeError(error)}`);
    }
    throw error;
  } finally {
    await stopQueue();
    await db.$disconnect();
  }
}

type ApiImport = {
  id: string;
  repositoryId: string;
  status: "queued" | "running" | "succeeded" | "failed";
  phase: string;
  progressDone: number;
  progressTotal: number;
  commitsScanned: number | null;
  commitsWithSpecChanges: number;
  /** Deprecated: the same figure as commitsWithSpecChanges. */
  commitsRead: number;
  versionsAdded: number;
  specsAdded: number;
  filesSkipped: number;
  error: string | null;
  warning: string | null;
};

/** Asks the server to import, then follows the import's progress until it ends. */
async function importThroughApi(opts: ImportCommandOptions & { server?: string; token?: string }) {
  const target = apiTarget(opts);
  const source = normaliseSource(opts.target);
  const credential = credentialFromOptions(opts);
  const added = await callApi<{
    repository?: { id: string; name: string };
    import?: ApiImport;
    error?: { message?: string; details?: { repositoryId?: string } };
  }>(target, "POST", "/api/v1/repositories", {
    body: { source, ...(opts.name ? { name: opts.name } : {}), ...(credential ? { credential } : {}) },
    accept: [409],
  });
  let record: ApiImport;
  if (added.status === 409) {
    const repositoryId = added.body.error?.details?.repositoryId;
    if (!repositoryId) throw new CliExit(EXIT.failed, added.body.error?.message ?? "The server refused the repository.");
    if (credential) await callApi(target, "POST", `/api/v1/repositories/${encodeURIComponent(repositoryId)}/credential`, { body: credential });
    record = (await callApi<{ import: ApiImport }>(target, "POST", `/api/v1/repositories/${encodeURIComponent(repositoryId)}/imports`)).body.import;
  } else {
    record = added.body.import!;
  }
  const reporter = createProgressReporter({ stream: process.stderr, interactive: Boolean(process.stderr.isTTY) && !opts.json });
  try {
    while (record.status === "queued" || record.status === "running") {
      if (record.status === "running" && record.progressTotal > 0) {
        const phase = (["resolving", "scanning", "reading", "writing"].includes(record.phase) ? record.phase : "resolving") as ImportPhase;
        reporter.update({ phase, done: record.progressDone, total: record.progressTotal });
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      record = (await callApi<ApiImport>(target, "GET", `/api/v1/imports/${encodeURIComponent(record.id)}`)).body;
    }
  } finally {
    reporter.stop();
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(record)}\n`);
  else if (record.status === "succeeded") {
    const { repository } = (await callApi<{ repository: { name: string } }>(target, "GET", `/api/v1/repositories/${encodeURIComponent(record.repositoryId)}`))
      .body;
    // A server older than these figures sends only the deprecated one.
    const counts = { ...record, commitsScanned: record.commitsScanned ?? null, commitsWithSpecChanges: record.commitsWithSpecChanges ?? record.commitsRead };
    process.stdout.write(`${formatImportSummary(repository.name, counts)}\n`);
  }
  if (record.warning) process.stderr.write(`Warning: ${record.warning}\n`);
  if (record.status !== "succeeded") throw new CliExit(EXIT.failed, record.error ?? "The import failed.");
}
