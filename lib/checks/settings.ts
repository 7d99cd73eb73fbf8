import type { z } from "zod";
import type { RunResult } from "@/lib/audit";
import { Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { checkPolicyInput, DEFAULT_CHECK_POLICY, type CheckPolicy } from "./policy";

/** Sets a repository's check policy (null: back to the default), audited with the old and new values. */
export async function setCheckPolicy(
  tx: Prisma.TransactionClient,
  input: z.output<typeof checkPolicyInput>,
): Promise<RunResult<{ repositoryId: string; policy: CheckPolicy }>> {
  const repo = await tx.repository.findUnique({ where: { id: input.repositoryId }, select: { id: true, checkPolicy: true } });
  if (!repo) throw new AppError("not_found", "Repository not found.");
  await tx.repository.update({ where: { id: repo.id }, data: { checkPolicy: input.policy === null ? Prisma.DbNull : input.policy } });
  return {
    result: { repositoryId: repo.id, policy: input.policy ?? DEFAULT_CHECK_POLICY },
    audit: { action: "repository.check_policy_set", subject: `repository:${repo.id}`, payload: { from: repo.checkPolicy ?? null, to: input.policy } },
  };
}
