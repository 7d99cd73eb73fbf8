import type { Prisma, Role } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { commitIdentityUserIds } from "./identity";
import { resolveOwnerIds } from "./owners";
import { DEFAULT_POLICY, evaluatePolicy, type ReviewPolicy, type ReviewStateName } from "./policy";

export const REVIEWER_ROLES: Role[] = ["admin", "maintainer", "reviewer"];

export type LockedChange = {
  id: string;
  number: number;
  origin: "proposal" | "import";
  state: ReviewStateName;
  currentHash: string;
  specId: string;
  landedVersionId: string | null;
  versionId: string | null;
  authorId: string | null;
};

export function policyOf(rule: { requiredApprovals: number; requireOwnerApproval: boolean; blockOnChangesRequested: boolean } | null): ReviewPolicy {
  return rule
    ? { requiredApprovals: rule.requiredApprovals, requireOwnerApproval: rule.requireOwnerApproval, blockOnChangesRequested: rule.blockOnChangesRequested }
    : DEFAULT_POLICY;
}

/** Reads a change and locks its row until the transaction ends: decisions and revisions on it take turns. */
export async function lockChange(tx: Prisma.TransactionClient, number: number): Promise<LockedChange> {
  const [change] = await tx.$queryRaw<LockedChange[]>`
    SELECT id, number, origin::text AS origin, state::text AS state, "currentHash", "specId", "landedVersionId", "versionId", "authorId"
    FROM "Change" WHERE number = ${number} FOR UPDATE`;
  if (!change) throw new AppError("not_found", `Change #${number} not found`);
  return change;
}

/** Everything the policy needs about one change, read with the client given (a transaction's, or the global one for pages). */
export async function reviewContext(
  tx: Prisma.TransactionClient,
  change: { id: string; specId: string; currentHash: string; authorId: string | null; versionId: string | null },
) {
  const spec = await tx.spec.findUniqueOrThrow({ where: { id: change.specId }, include: { ownerRule: true } });
  const revisions = await tx.changeRevision.findMany({ where: { changeId: change.id }, orderBy: { number: "desc" } });
  const revision = revisions[0];
  // Never an approver: whoever opened the change, whoever uploaded these exact bytes, and
  // for an imported version everyone its commit names as author, committer or signer.
  const authorIds = new Set(
    [
      change.authorId,
      ...revisions.filter((r) => r.contentHash === change.currentHash).map((r) => r.authorId),
      ...(await commitIdentityUserIds(tx, change.versionId)),
    ].filter((id): id is string => !!id),
  );
  const decisions = await tx.reviewDecision.findMany({ where: { changeId: change.id }, orderBy: { seq: "asc" } });
  const voterIds = [...new Set(decisions.map((d) => d.reviewerId).filter((id): id is string => !!id))];
  const eligible = await tx.user.findMany({ where: { id: { in: voterIds }, role: { in: REVIEWER_ROLES } }, select: { id: true } });
  const ownerIds = await resolveOwnerIds(tx, spec.owners);
  const policy = policyOf(spec.ownerRule);
  const eligibleIds = new Set(eligible.map((u) => u.id));
  const evaluation = evaluatePolicy({ policy, currentHash: change.currentHash, authorIds, ownerIds, eligibleIds, decisions });
  return { spec, revision, decisions, policy, evaluation, ownerIds, authorIds, eligibleIds };
}
