import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db, type Prisma, type Repository } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { sealCredential, type StoredCredential } from "@/lib/git/credential";
import { classifySource } from "@/lib/git/source";
import { SourceError } from "@/lib/git/source-error";
import { MAX_KNOWN_HOSTS_CHARS, MAX_PRIVATE_KEY_CHARS, inspectDeployKey, sshHostOf } from "@/lib/git/ssh";
import { idString, text } from "@/lib/schema";

// A private repository's credential (docs/decisions/024-private-repositories.md): an https
// token or an SSH deploy key with the server's host keys. It is checked on entry, encrypted
// into Repository.credential, and never shown again: pages, answers and audit events carry
// only its kind, the key's fingerprint and type, the https user name, when and by whom.

export const httpsCredentialInput = z
  .object({
    kind: z.literal("https"),
    username: text().trim().max(200).optional().describe("The https user name; x-access-token when omitted."),
    token: text().min(1, "Give the token.").max(4096).describe("The token or password; never shown again."),
  })
  .strict();

export const sshCredentialInput = z
  .object({
    kind: z.literal("ssh"),
    privateKey: text()
      .min(1, "Paste the deploy key's private key.")
      .max(MAX_PRIVATE_KEY_CHARS)
      .describe("An unencrypted OpenSSH or PEM private key; never shown again."),
    knownHosts: text()
      .min(1, "Give the server's host key (ssh-keyscan <host>).")
      .max(MAX_KNOWN_HOSTS_CHARS)
      .describe("The server's host key(s) as known_hosts lines, as `ssh-keyscan <host>` prints them."),
  })
  .strict();

/** A credential as entered: an https token, or an SSH deploy key and the server's host keys. */
export const credentialInput = z.discriminatedUnion("kind", [httpsCredentialInput, sshCredentialInput]);
export type CredentialInput = z.output<typeof credentialInput>;

export const setCredentialInput = z.discriminatedUnion("kind", [
  httpsCredentialInput.extend({ repositoryId: idString() }),
  sshCredentialInput.extend({ repositoryId: idString() }),
]);

export const clearCredentialInput = z.object({ repositoryId: idString() }).strict();

/** What anyone who may read the repository sees of its credential: never the secret. */
export const credentialView = z.object({
  kind: z.enum(["https", "ssh"]),
  fingerprint: z.string().nullable(),
  keyType: z.string().nullable(),
  username: z.string().nullable(),
  setAt: z.string().nullable(),
  setBy: z.string().nullable(),
});
export type CredentialView = z.infer<typeof credentialView>;

export const repositoryCredentialView = z.object({ repositoryId: z.string(), credential: credentialView.nullable() });

/** The repository's credential columns, as the page and the API show them. */
export function toCredentialView(
  repository: Pick<
    Repository,
    "credential" | "credentialKind" | "credentialFingerprint" | "credentialKeyType" | "credentialUsername" | "credentialSetAt" | "credentialSetBy"
  >,
): CredentialView | null {
  if (!repository.credential) return null;
  return {
    kind: repository.credentialKind === "ssh" ? "ssh" : "https",
    fingerprint: repository.credentialFingerprint,
    keyType: repository.credentialKeyType,
    username: repository.credentialUsername,
    setAt: repository.credentialSetAt ? repository.credentialSetAt.toISOString() : null,
    setBy: repository.credentialSetBy,
  };
}

/** The columns a credential writes: the sealed secret and what may be shown of it. */
export type CredentialColumns = Pick<
  Prisma.RepositoryUncheckedCreateInput,
  "credential" | "credentialKind" | "credentialFingerprint" | "credentialKeyType" | "credentialUsername" | "credentialSetAt" | "credentialSetBy"
>;

export const NO_CREDENTIAL: CredentialColumns = {
  credential: null,
  credentialKind: null,
  credentialFingerprint: null,
  credentialKeyType: null,
  credentialUsername: null,
  credentialSetAt: null,
  credentialSetBy: null,
};

function seal(credential: StoredCredential): string {
  try {
    return sealCredential(credential);
  } catch (error) {
    // Fail closed: without a key the credential is refused, never stored in clear.
    throw new AppError("unavailable", `The server cannot store credentials: ${(error as Error).message}`);
  }
}

/**
 * Checks a credential against the repository's source (a token for https, a deploy key for
 * ssh) and the key itself, and returns the columns to store. Refusals are 422s whose words
 * never quote the secret.
 */
export async function prepareCredential(source: string, input: CredentialInput, viewer: Viewer): Promise<CredentialColumns> {
  const scheme = classifySource(source) === "path" ? "path" : /^https:/i.test(source) ? "https" : /^git:/i.test(source) ? "git" : "ssh";
  const setBy = { credentialSetAt: new Date(), credentialSetBy: viewer.email };
  if (input.kind === "https") {
    if (scheme !== "https") throw new AppError("unprocessable", "A token is for https:// repositories; this one is not fetched over https.");
    if (!input.token) {
      // https://TOKEN@host/… (only a URL can give this): the user name is the secret and is sent as it was given, never shown.
      if (!input.username) throw new AppError("unprocessable", "Give the token.");
      return { ...NO_CREDENTIAL, ...setBy, credential: seal({ kind: "https", username: input.username, password: "" }), credentialKind: "https" };
    }
    const username = input.username || "x-access-token";
    return {
      ...NO_CREDENTIAL,
      ...setBy,
      credential: seal({ kind: "https", username, password: input.token }),
      credentialKind: "https",
      credentialUsername: username,
    };
  }
  if (scheme !== "ssh") throw new AppError("unprocessable", "A deploy key is for ssh:// or user@host:path repositories; this one is not fetched over SSH.");
  let info;
  try {
    sshHostOf(source);
    info = await inspectDeployKey(input);
  } catch (error) {
    if (error instanceof SourceError) throw new AppError("unprocessable", error.message);
    throw error;
  }
  return {
    ...NO_CREDENTIAL,
    ...setBy,
    credential: seal({ kind: "ssh", privateKey: input.privateKey.trim(), knownHosts: input.knownHosts }),
    credentialKind: "ssh",
    credentialFingerprint: info.fingerprint,
    credentialKeyType: info.keyType,
  };
}

/** How an audit event names a credential: its kind and fingerprint or user name, never the secret. */
export function describeCredential(
  columns: Pick<CredentialColumns, "credentialKind" | "credentialFingerprint" | "credentialKeyType" | "credentialUsername">,
): string {
  if (columns.credentialKind === "ssh") return `ssh key ${columns.credentialFingerprint} (${columns.credentialKeyType})`;
  return columns.credentialUsername ? `https token for ${columns.credentialUsername}` : "https token";
}

async function lockRepository(tx: Prisma.TransactionClient, repositoryId: string): Promise<Repository> {
  // The row lock makes two rotations of one repository take turns, so the audit names what each replaced.
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Repository" WHERE id = ${repositoryId} FOR UPDATE`;
  if (locked.length === 0) throw new AppError("not_found", "Repository not found");
  return tx.repository.findUniqueOrThrow({ where: { id: repositoryId } });
}

/** Sets or replaces a repository's credential; the next fetch uses it. Audited without the secret. */
export async function setRepositoryCredential(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  input: z.output<typeof setCredentialInput>,
): Promise<RunResult<{ repositoryId: string; credential: CredentialView | null }>> {
  const { repositoryId, ...credential } = input;
  const repository = await lockRepository(tx, repositoryId);
  const columns = await prepareCredential(repository.source, credential, viewer);
  const updated = await tx.repository.update({ where: { id: repository.id }, data: columns });
  const replaced = repository.credential ? describeCredential(repository) : null;
  const described = describeCredential(columns);
  return {
    result: { repositoryId: updated.id, credential: toCredentialView(updated) },
    audit: {
      action: replaced ? "repository.credential_rotated" : "repository.credential_set",
      subject: `repository:${repository.id}`,
      payload: {
        summary: replaced ? `credential rotated: ${described} (was ${replaced})` : `credential set: ${described}`,
        kind: columns.credentialKind,
        fingerprint: columns.credentialFingerprint ?? null,
        keyType: columns.credentialKeyType ?? null,
        username: columns.credentialUsername ?? null,
        replaced,
      },
    },
  };
}

/** Removes a repository's credential; later fetches go without one. Removing none changes nothing. */
export async function clearRepositoryCredential(
  tx: Prisma.TransactionClient,
  _viewer: Viewer,
  input: z.output<typeof clearCredentialInput>,
): Promise<RunResult<{ repositoryId: string; credential: null }>> {
  const repository = await lockRepository(tx, input.repositoryId);
  if (!repository.credential) return { result: { repositoryId: repository.id, credential: null } };
  await tx.repository.update({ where: { id: repository.id }, data: NO_CREDENTIAL });
  const removed = describeCredential(repository);
  return {
    result: { repositoryId: repository.id, credential: null },
    audit: { action: "repository.credential_cleared", subject: `repository:${repository.id}`, payload: { summary: `credential removed: ${removed}`, removed } },
  };
}

/** The transport a repository's credential must suit: "https", "ssh", or null when it takes none (local paths, git://). */
export function credentialTransport(source: string): "https" | "ssh" | null {
  try {
    if (classifySource(source) === "path" || /^git:/i.test(source)) return null;
  } catch {
    return null;
  }
  return /^https:/i.test(source) ? "https" : "ssh";
}

/**
 * A credential from a form's text fields (kind "", "https" or "ssh"): undefined when none is
 * chosen; the operation's schema judges the rest, so empty fields are passed on as they are.
 */
export function credentialFromFields(fields: { kind: string; username: string; token: string; privateKey: string; knownHosts: string }): unknown {
  if (fields.kind === "https") return { kind: "https", token: fields.token, ...(fields.username.trim() ? { username: fields.username } : {}) };
  if (fields.kind === "ssh") return { kind: "ssh", privateKey: fields.privateKey, knownHosts: fields.knownHosts };
  if (fields.kind === "") return undefined;
  return { kind: fields.kind };
}

/** The repository's credential as its page shows it (anyone who may read the repository): never the secret. */
export async function getRepositoryCredential(
  viewer: Viewer,
  repositoryId: string,
): Promise<{ transport: "https" | "ssh" | null; credential: CredentialView | null }> {
  assertCan(viewer, "repositories:read");
  const repository = await db.repository.findUnique({
    where: { id: repositoryId },
    select: {
      source: true,
      credential: true,
      credentialKind: true,
      credentialFingerprint: true,
      credentialKeyType: true,
      credentialUsername: true,
      credentialSetAt: true,
      credentialSetBy: true,
    },
  });
  if (!repository) throw new AppError("not_found", "Repository not found");
  return { transport: credentialTransport(repository.source), credential: toCredentialView(repository) };
}
