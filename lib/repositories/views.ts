// What the API and the pages show of repositories and imports, and the inputs they accept.
import { z } from "zod";
import type { Viewer } from "@/lib/auth/permissions";
import { type Import, type Repository } from "@/lib/db";
import { redactUrl } from "@/lib/git/source";
import { idString, text } from "@/lib/schema";
import { credentialInput, credentialView, toCredentialView } from "./credentials";
import { errorForRole } from "./policy";

export const addRepositoryInput = z
  .object({
    source: text()
      .trim()
      .min(1, "Give a local path or a git URL.")
      .max(2000)
      .describe("An https://, ssh://, user@host:path or git:// URL, or an absolute path under SPECLEDGER_LOCAL_ROOTS."),
    name: text().trim().min(1).max(100).optional(),
    credential: credentialInput.optional().describe("A token for an https source, or a deploy key and host keys for an ssh source; never shown again."),
  })
  .strict();

export const requestImportInput = z.object({ repositoryId: idString() }).strict();

export const editSourceInput = z.object({ repositoryId: idString(), source: addRepositoryInput.shape.source }).strict();

export const importView = z.object({
  id: z.string(),
  repositoryId: z.string(),
  status: z.enum(["queued", "running", "succeeded", "failed"]),
  phase: z.string(),
  progressDone: z.number(),
  progressTotal: z.number(),
  fromCommit: z.string().nullable(),
  toCommit: z.string().nullable(),
  commitsRead: z.number(),
  versionsAdded: z.number(),
  specsAdded: z.number(),
  filesSkipped: z.number(),
  error: z.string().nullable(),
  warning: z.string().nullable(),
  followUpError: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export const repositoryView = z.object({
  id: z.string(),
  name: z.string(),
  source: z.string(),
  status: z.string(),
  defaultBranch: z.string().nullable(),
  headCommit: z.string().nullable(),
  lastError: z.string().nullable(),
  lastImportAt: z.string().nullable(),
  createdAt: z.string(),
  credential: credentialView.nullable(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** An import as `viewer` may see it: git's and the file system's words for admins only. */
export function toImportView(record: Import, viewer: Pick<Viewer, "role">): z.infer<typeof importView> {
  return {
    id: record.id,
    repositoryId: record.repositoryId,
    status: record.status,
    phase: record.phase,
    progressDone: record.progressDone,
    progressTotal: record.progressTotal,
    fromCommit: record.fromCommit,
    toCommit: record.toCommit,
    commitsRead: record.commitsRead,
    versionsAdded: record.versionsAdded,
    specsAdded: record.specsAdded,
    filesSkipped: record.filesSkipped,
    error: errorForRole(record.error, viewer.role),
    warning: record.warning,
    followUpError: errorForRole(record.followUpError, viewer.role),
    createdAt: record.createdAt.toISOString(),
    startedAt: iso(record.startedAt),
    finishedAt: iso(record.finishedAt),
  };
}

export function toRepositoryView(repository: Repository, viewer: Pick<Viewer, "role">): z.infer<typeof repositoryView> {
  return {
    id: repository.id,
    name: repository.name,
    source: redactUrl(repository.source),
    status: repository.status,
    defaultBranch: repository.defaultBranch,
    headCommit: repository.headCommit,
    lastError: errorForRole(repository.lastError, viewer.role),
    lastImportAt: iso(repository.lastImportAt),
    createdAt: repository.createdAt.toISOString(),
    credential: toCredentialView(repository),
  };
}
