// Adding a repository and editing its source: checked, normalised, unique, with its first import requested.
import fs from "node:fs";
import { z } from "zod";
import { type RunResult } from "@/lib/audit";
import type { Viewer } from "@/lib/auth/permissions";
import { type Import, type Prisma, type Repository } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseSource, redactUrl, repositoryNameFromSource } from "@/lib/git/source";
import { SourceError } from "@/lib/git/source-error";
import { SSH_NEEDS_DEPLOY_KEY } from "@/lib/git/mirror";
import { NO_CREDENTIAL, credentialInput, credentialTransport, describeCredential, prepareCredential, type CredentialColumns } from "./credentials";
import { assertNeverImported } from "./lifecycle";
import { isUnderRoots, localRootsFromEnv, type RepositoryPolicy } from "./policy";
import { addRepositoryInput, editSourceInput } from "./views";
import { createImport } from "./import-jobs";

/** The real path of a local source, checked against the allowed roots after resolving symbolic links. */
function realLocalPath(source: string, policy: RepositoryPolicy, viewer: Viewer): string {
  const roots = policy.localRoots === "any" ? ["/"] : localRootsFromEnv();
  if (!roots) {
    throw new AppError("unprocessable", "This server does not import local paths: give a git URL, or ask an operator to set SPECLEDGER_LOCAL_ROOTS.");
  }
  let real: string;
  try {
    real = fs.realpathSync(source);
  } catch {
    throw new AppError("unprocessable", `No such directory: ${source}`);
  }
  // Roots resolved too: a root given through a symbolic link still matches its real folders.
  const realRoots = roots.flatMap((root) => {
    try {
      return [fs.realpathSync(root)];
    } catch {
      return [];
    }
  });
  if (!isUnderRoots(real, realRoots)) {
    // The allowed folders are the server's own paths: named to admins only.
    const where = viewer.role === "admin" ? roots.join(" or ") : "the folders the operator allowed (SPECLEDGER_LOCAL_ROOTS)";
    throw new AppError("unprocessable", `Local repositories must be under ${where}.`);
  }
  return real;
}

/** A unique violation (Prisma P2002, PostgreSQL 23505) as a 409 that says what was taken. */
function conflictOnUnique(error: unknown): never {
  const e = error as { code?: string; meta?: { target?: unknown; driverAdapterError?: { cause?: { originalCode?: string } } }; message?: string };
  const unique = e?.code === "P2002" || e?.code === "23505" || e?.meta?.driverAdapterError?.cause?.originalCode === "23505";
  if (!unique) throw error;
  const target = JSON.stringify(e.meta?.target ?? e.message ?? "");
  if (target.includes("sourceKey")) throw new AppError("conflict", "This repository has already been added.");
  if (target.includes("name")) throw new AppError("conflict", "That repository name is taken: choose another.");
  if (target.includes("Import")) throw new AppError("conflict", "An import of this repository is already waiting or running.");
  throw new AppError("conflict", "This conflicts with something that already exists.");
}

/** A source as given, checked and normalised: its stored form, its unique key and its encrypted credential. */
async function resolveNewSource(
  raw: string,
  given: z.output<typeof credentialInput> | undefined,
  policy: RepositoryPolicy,
  viewer: Viewer,
): Promise<{ source: string; key: string; credential: CredentialColumns }> {
  let parsed;
  try {
    parsed = parseSource(raw);
  } catch (error) {
    if (error instanceof SourceError) throw new AppError("unprocessable", error.message);
    throw error;
  }
  let { source, key } = parsed;
  if (parsed.kind === "path") source = key = realLocalPath(parsed.source, policy, viewer);
  // Split off the URL (or given as fields) and kept encrypted: the stored source, the audit log and every page see none of it.
  if (parsed.credential && given) throw new AppError("unprocessable", "Give the credential in the URL or as fields, not both.");
  let credential: CredentialColumns = NO_CREDENTIAL;
  if (parsed.credential) {
    credential = await prepareCredential(source, { kind: "https", username: parsed.credential.username, token: parsed.credential.password }, viewer);
  } else if (given) {
    credential = await prepareCredential(source, given, viewer);
  }
  // Fail closed: without its own deploy key an ssh fetch would use the server's keys and known_hosts.
  if (credentialTransport(source) === "ssh" && !credential.credential) throw new AppError("unprocessable", SSH_NEEDS_DEPLOY_KEY);
  return { source, key, credential };
}

/**
 * Points a repository that never imported anything (a typo'd path, a wrong URL) at another
 * source and queues its import. One with history is refused (409): its versions came from
 * the old source. A source another repository has is a conflict, as when adding.
 */
export async function editRepositorySource(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  input: z.output<typeof editSourceInput>,
  policy: RepositoryPolicy,
): Promise<RunResult<{ repository: Repository; import: Import }>> {
  const rows = await tx.$queryRaw<{ id: string; name: string; source: string }[]>`
    SELECT id, name, source FROM "Repository" WHERE id = ${input.repositoryId} FOR UPDATE`;
  const before = rows[0];
  if (!before) throw new AppError("not_found", "Repository not found");
  await assertNeverImported(tx, before, "pointed at another source", "Add the other source as a new repository.");
  // The new source brings its own credential (in its URL) or none: the old one belonged to the old source.
  const { source, key, credential } = await resolveNewSource(input.source, undefined, policy, viewer);
  let repository: Repository;
  try {
    repository = await tx.repository.update({
      where: { id: before.id },
      data: { source, sourceKey: key, ...credential, status: "queued", lastError: null, syncFailingSince: null, syncFailures: 0 },
    });
  } catch (error) {
    conflictOnUnique(error);
  }
  const requested = await createImport(tx, viewer, repository.id, policy);
  return {
    result: { repository, import: requested.record },
    audit: [
      { action: "repository.source_changed", subject: `repository:${repository.id}`, payload: { from: redactUrl(before.source), to: redactUrl(source) } },
      ...requested.audit,
    ],
  };
}

/**
 * Registers a repository by local path or git URL and requests its first import, in the
 * caller's transaction. Uniqueness is the database's: a second add of the same source (or an
 * alias of it) or a taken name is a conflict, however many requests race.
 */
export async function addRepository(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  input: z.output<typeof addRepositoryInput>,
  policy: RepositoryPolicy,
): Promise<RunResult<{ repository: Repository; import: Import }>> {
  const { source, key, credential } = await resolveNewSource(input.source, input.credential, policy, viewer);
  const base = (input.name || repositoryNameFromSource(source)).slice(0, 100);
  let repository: Repository | null = null;
  try {
    for (let n = 1; n <= 20 && !repository; n++) {
      const name = n === 1 ? base : `${base.slice(0, 96)}-${n}`;
      // ON CONFLICT DO NOTHING: a concurrent add of the same source or name waits for the
      // other transaction and then inserts nothing, instead of aborting this one.
      const { count } = await tx.repository.createMany({ data: [{ name, source, sourceKey: key, ...credential, status: "queued" }], skipDuplicates: true });
      if (count === 1) {
        repository = await tx.repository.findUniqueOrThrow({ where: { sourceKey: key } });
        break;
      }
      const existing = await tx.repository.findUnique({ where: { sourceKey: key }, select: { id: true, name: true } });
      if (existing) throw new AppError("conflict", `${redactUrl(source)} has already been added as ${existing.name}.`, { repositoryId: existing.id });
      if (input.name) throw new AppError("conflict", `The name ${name} is taken: choose another.`);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    conflictOnUnique(error);
  }
  if (!repository) throw new AppError("conflict", `Too many repositories are named ${base}: give this one a name.`);
  const requested = await createImport(tx, viewer, repository.id, policy);
  return {
    result: { repository, import: requested.record },
    audit: [
      {
        action: "repository.added",
        subject: `repository:${repository.id}`,
        payload: { name: repository.name, source: redactUrl(source), credential: credential.credential ? describeCredential(credential) : null },
      },
      ...requested.audit,
    ],
  };
}
