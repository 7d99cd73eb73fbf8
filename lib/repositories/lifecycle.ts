import { z } from "zod";
import type { AuditEntry, RunResult } from "@/lib/audit";
import type { Viewer } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { idString, text } from "@/lib/schema";

export const archiveRepositoryInput = z
  .object({
    repositoryId: idString(),
    archived: z.boolean().describe("true archives (hidden from lists and the dashboard, history kept); false brings it back."),
  })
  .strict();

export const deleteRepositoryInput = z
  .object({
    repositoryId: idString(),
    confirmName: text().min(1, "Type the repository's name to confirm.").max(200).describe("The repository's name, typed to confirm."),
  })
  .strict();

export const repositoryLifecycleView = z.object({
  id: z.string(),
  name: z.string(),
  archived: z.boolean(),
  archivedAt: z.string().nullable(),
});

export const deletedRepositoryView = z.object({ id: z.string(), name: z.string(), deleted: z.literal(true) });

/**
 * Archives or unarchives a repository. Archiving twice (or unarchiving an active one) changes
 * nothing and writes no audit event, so a double-click is one change.
 */
export async function archiveRepository(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  input: z.output<typeof archiveRepositoryInput>,
): Promise<RunResult<z.infer<typeof repositoryLifecycleView>>> {
  // Locks the row so a concurrent archive and delete cannot interleave.
  const rows = await tx.$queryRaw<{ id: string; name: string; archivedAt: Date | null }[]>`
    SELECT id, name, "archivedAt" FROM "Repository" WHERE id = ${input.repositoryId} FOR UPDATE`;
  const before = rows[0];
  if (!before) throw new AppError("not_found", "Repository not found.");
  const view = (archivedAt: Date | null) => ({
    id: before.id,
    name: before.name,
    archived: archivedAt !== null,
    archivedAt: archivedAt?.toISOString() ?? null,
  });
  if ((before.archivedAt !== null) === input.archived) return { result: view(before.archivedAt) };
  const archivedAt = input.archived ? new Date() : null;
  await tx.repository.update({ where: { id: before.id }, data: { archivedAt, archivedById: input.archived ? viewer.id : null } });
  return {
    result: view(archivedAt),
    audit: [{ action: input.archived ? "repository.archived" : "repository.unarchived", subject: `repository:${before.id}`, payload: { name: before.name } }],
  };
}

/** What a repository holds that deleting it would lose; empty when it never imported anything. */
export function deletionBlockers(counts: Record<string, number>): string[] {
  const labels: Record<string, string> = {
    specs: "governed files",
    features: "features",
    skipped: "skipped files",
    runs: "agent runs",
    deployments: "deployments",
    checks: "checks",
    pullRequests: "pull requests",
    findings: "findings",
    ownershipRules: "ownership rules",
    succeededImports: "successful imports",
  };
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => `${n} ${labels[key] ?? key}`);
}

/**
 * Refuses (409) a repository with any history, or with an import waiting or running: only one
 * that never imported anything may be deleted or pointed at another source.
 */
export async function assertNeverImported(tx: Prisma.TransactionClient, repository: { id: string; name: string }, verb: string, instead: string) {
  const where = { repositoryId: repository.id };
  const [specs, features, skipped, runs, deployments, checks, pullRequests, findings, ownershipRules, succeededImports, pending] = await Promise.all([
    tx.spec.count({ where }),
    tx.feature.count({ where }),
    tx.skippedFile.count({ where }),
    tx.agentRun.count({ where }),
    tx.deployment.count({ where }),
    tx.check.count({ where }),
    tx.pullRequest.count({ where }),
    tx.finding.count({ where }),
    tx.ownershipRule.count({ where }),
    tx.import.count({ where: { ...where, status: "succeeded" } }),
    tx.import.count({ where: { ...where, status: { in: ["queued", "running"] } } }),
  ]);
  if (pending > 0) throw new AppError("conflict", `An import of this repository is waiting or running: wait for it to finish.`);
  const blockers = deletionBlockers({ specs, features, skipped, runs, deployments, checks, pullRequests, findings, ownershipRules, succeededImports });
  if (blockers.length > 0) {
    throw new AppError(
      "conflict",
      `${repository.name} has history (${blockers.join(", ")}): only a repository that never imported anything can be ${verb}. ${instead}`,
      { blockers },
    );
  }
}

/**
 * Deletes a repository that never imported anything (a typo'd path, an unreachable URL), with
 * its failed imports. One with any history is refused: archive it instead. The name must be
 * typed exactly, so a wrong tab or a stale form cannot delete another repository.
 */
export async function deleteRepository(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  input: z.output<typeof deleteRepositoryInput>,
): Promise<RunResult<z.infer<typeof deletedRepositoryView>>> {
  const rows = await tx.$queryRaw<{ id: string; name: string; source: string }[]>`
    SELECT id, name, source FROM "Repository" WHERE id = ${input.repositoryId} FOR UPDATE`;
  const repository = rows[0];
  if (!repository) throw new AppError("not_found", "Repository not found.");
  if (input.confirmName !== repository.name) {
    throw new AppError("unprocessable", `The name typed does not match: type ${repository.name} to delete it.`);
  }
  await assertNeverImported(tx, repository, "deleted", "Archive it instead.");
  const where = { repositoryId: repository.id };
  const imports = await tx.import.deleteMany({ where });
  await tx.repository.delete({ where: { id: repository.id } });
  const audit: AuditEntry[] = [
    { action: "repository.deleted", subject: `repository:${repository.id}`, payload: { name: repository.name, failedImports: imports.count } },
  ];
  return { result: { id: repository.id, name: repository.name, deleted: true }, audit };
}
