import { classifyContractChange, type ContractClassification } from "@/lib/contracts";
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

export function policyOf(rule: ReviewPolicy | null): ReviewPolicy {
  return rule
    ? {
        requiredApprovals: rule.requiredApprovals,
        requireOwnerApproval: rule.requireOwnerApproval,
        blockOnChangesRequested: rule.blockOnChangesRequested,
        breakingOwnerApprovals: rule.breakingOwnerApprovals,
      }
    : DEFAULT_POLICY;
}

/**
 * How a contract change breaks its consumers, or null: the current content against the base
 * (the proposal's base, or the version before an imported one). Other files cost one read.
 */
async function breakingChanges(
  tx: Prisma.TransactionClient,
  spec: { id: string; kind: string; path: string },
  change: { id: string; currentHash: string },
): Promise<{ breaking: { count: number; summary: string } | null; contract?: ContractClassification | null }> {
  if (spec.kind !== "contract") return { breaking: null };
  const row = await tx.change.findUniqueOrThrow({ where: { id: change.id }, select: { baseHash: true, origin: true, version: { select: { seq: true } } } });
  const baseHash =
    row.origin === "import" && row.version
      ? ((await tx.specVersion.findFirst({ where: { specId: spec.id, seq: { lt: row.version.seq } }, orderBy: { seq: "desc" }, select: { contentHash: true } }))
          ?.contentHash ?? null)
      : row.baseHash;
  if (!baseHash) return { breaking: null };
  const contents = await tx.content.findMany({ where: { hash: { in: [baseHash, change.currentHash] } }, select: { hash: true, text: true } });
  const text = (hash: string) => contents.find((c) => c.hash === hash)?.text ?? "";
  const classified = classifyContractChange({ kind: spec.kind, path: spec.path, oldText: text(baseHash), newText: text(change.currentHash) });
  return { breaking: classified?.summary ? { count: classified.breaking, summary: classified.summary } : null, contract: classified };
}

/**
 * Reads a change and locks its row until the transaction ends: decisions and revisions on it take
 * turns. Its spec's row is locked first: the dashboard's approved count locks the spec when a
 * change is written (decision 043), and an import locks the spec before the spec's open changes,
 * so taking them in the same order never deadlocks against a running import.
 */
export async function lockChange(tx: Prisma.TransactionClient, number: number): Promise<LockedChange> {
  // A change's spec never changes, so reading it unlocked first is safe.
  const [owner] = await tx.$queryRaw<{ specId: string }[]>`SELECT "specId" FROM "Change" WHERE number = ${number}`;
  if (!owner) throw new AppError("not_found", `Change #${number} not found`);
  await tx.$queryRaw`SELECT id FROM "Spec" WHERE id = ${owner.specId} FOR NO KEY UPDATE`;
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
  // `contract` is the whole classification of base against current, when one was made: the change page shows it.
  const { breaking, contract } = await breakingChanges(tx, spec, change);
  const evaluation = evaluatePolicy({ policy, currentHash: change.currentHash, authorIds, ownerIds, eligibleIds, decisions, breaking });
  return { spec, revision, decisions, policy, evaluation, ownerIds, authorIds, eligibleIds, breaking, contract };
}
