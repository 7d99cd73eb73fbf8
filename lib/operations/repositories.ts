import { z } from "zod";
import {
  addRepository as add,
  addRepositoryInput,
  editRepositorySource as editSource,
  editSourceInput,
  importView,
  repositoryView,
  requestImport as request,
  requestImportInput,
  toImportView,
  toRepositoryView,
  type RepositoryPolicy,
  wakeImportWorker,
} from "@/lib/repositories";
import {
  clearCredentialInput,
  clearRepositoryCredential as clearCredential,
  repositoryCredentialView,
  setCredentialInput,
  setRepositoryCredential as setCredential,
} from "@/lib/repositories/credentials";
import { setSyncPolicy as setSync, syncPolicyInput, syncPolicyView } from "@/lib/repositories/sync";
import {
  archiveRepository as archive,
  archiveRepositoryInput,
  deletedRepositoryView,
  deleteRepository as remove,
  deleteRepositoryInput,
  repositoryLifecycleView,
} from "@/lib/repositories/lifecycle";
import { removeStoredGit } from "@/lib/git/mirror";
import { operation } from "./operation";

// Unique sources, names and pending imports are enforced by the database, so these run at
// read committed: a concurrent request waits for the other's row and answers 409 or returns
// it, instead of failing serialization (docs/decisions/020-import-sources.md).

function addRepositoryWith(policy: RepositoryPolicy, name: string) {
  return operation({
    name,
    summary: "Add a repository and queue its import (409 if its source or name is taken)",
    input: addRepositoryInput,
    output: z.object({ repository: repositoryView, import: importView }),
    permission: "repositories:write",
    isolation: "read-committed",
    run: async ({ tx, viewer, input }) => {
      const { result, audit } = await add(tx, viewer, input, policy);
      return { result: { repository: toRepositoryView(result.repository, viewer), import: toImportView(result.import, viewer) }, audit };
    },
    after: () => {
      if (policy.enqueue) wakeImportWorker();
    },
  });
}

function requestImportWith(policy: RepositoryPolicy, name: string) {
  return operation({
    name,
    summary: "Re-scan a repository: queue an import, or return the one waiting or running",
    input: requestImportInput,
    output: importView,
    permission: "imports:run",
    isolation: "read-committed",
    run: async ({ tx, viewer, input }) => {
      const { result, audit } = await request(tx, viewer, input, policy);
      return { result: toImportView(result, viewer), audit };
    },
    // The job is committed now: an idle worker in this process starts it instead of waiting for its next poll.
    after: ({ result }) => {
      if (policy.enqueue && result.status === "queued") wakeImportWorker();
    },
  });
}

/** A repository that never imported anything gets another source and a new import (409 once it has history). */
export const editRepositorySource = operation({
  name: "repositories.edit-source",
  summary: "Point a repository that never imported anything at another source, and queue its import",
  input: editSourceInput,
  output: z.object({ repository: repositoryView, import: importView }),
  permission: "repositories:write",
  isolation: "read-committed",
  run: async ({ tx, viewer, input }) => {
    const { result, audit } = await editSource(tx, viewer, input, { localRoots: "env", enqueue: true });
    return { result: { repository: toRepositoryView(result.repository, viewer), import: toImportView(result.import, viewer) }, audit };
  },
});

/** The server's: local paths only under SPECLEDGER_LOCAL_ROOTS; the import's job is queued with its row. */
export const addRepository = addRepositoryWith({ localRoots: "env", enqueue: true }, "repositories.add");
export const requestImport = requestImportWith({ localRoots: "env", enqueue: true }, "repositories.import");

/**
 * The CLI's in-process import and the demo seed: they run on the user's own machine as that
 * user, so any local path may be read, and the caller runs the import at once (runImport).
 */
export const addRepositoryHere = addRepositoryWith({ localRoots: "any", enqueue: false }, "repositories.add-here");
export const requestImportHere = requestImportWith({ localRoots: "any", enqueue: false }, "repositories.import-here");

/** Admins: how often a URL repository is fetched on the schedule (5..1440 minutes, or null for never). */
export const setSyncPolicy = operation({
  name: "repositories.set-sync-policy",
  summary: "Set how often a repository is fetched on the schedule (null: never)",
  input: syncPolicyInput,
  output: syncPolicyView,
  permission: "policies:manage",
  run: ({ tx, input }) => setSync(tx, input),
});

/** Admins: set or replace a repository's https token or SSH deploy key; the next fetch uses it. */
export const setRepositoryCredential = operation({
  name: "repositories.set-credential",
  summary: "Set or rotate a repository's credential (an https token, or an SSH deploy key with the server's host keys); never shown again",
  input: setCredentialInput,
  output: repositoryCredentialView,
  permission: "credentials:manage",
  run: ({ tx, viewer, input }) => setCredential(tx, viewer, input),
});

/** Admins: remove a repository's credential; later fetches go without one. */
export const clearRepositoryCredential = operation({
  name: "repositories.clear-credential",
  summary: "Remove a repository's credential",
  input: clearCredentialInput,
  output: repositoryCredentialView,
  permission: "credentials:manage",
  run: ({ tx, viewer, input }) => clearCredential(tx, viewer, input),
});

/** Archive (hide, keep history) or bring back a repository; repeating either changes nothing. */
export const archiveRepository = operation({
  name: "repositories.archive",
  summary: "Archive a repository (hidden from lists and the dashboard, history kept) or unarchive it",
  input: archiveRepositoryInput,
  output: repositoryLifecycleView,
  permission: "repositories:write",
  run: ({ tx, viewer, input }) => archive(tx, viewer, input),
});

/** Admins: delete a repository that never imported anything, its name typed to confirm (409 when it has history). */
export const deleteRepository = operation({
  name: "repositories.delete",
  summary: "Delete a repository that never imported anything (admin; confirmName must equal its name)",
  input: deleteRepositoryInput,
  output: deletedRepositoryView,
  permission: "repositories:delete",
  run: ({ tx, viewer, input }) => remove(tx, viewer, input),
  // A failed import may have left a mirror or a partial clone's store (decision 038): gone with the repository, after the commit.
  after: ({ result }) => [removeStoredGit(result.id)],
});
