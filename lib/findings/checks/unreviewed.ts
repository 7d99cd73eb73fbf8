import { base, type FindingDraft, type LiveFile, type RepoContext } from "./context";

type Approved = LiveFile & { approvedSeq: number; approvedVersionId: string; approvedHash: string };

/** unreviewed: the file as it is now differs from its latest approved version. */
export function checkUnreviewed(ctx: RepoContext): FindingDraft[] {
  return ctx.files
    .filter((f): f is Approved => f.approvedSeq !== null && f.approvedVersionId !== null && f.approvedHash !== null && f.approvedHash !== f.currentHash)
    .map((f) => ({
      ...base(ctx, f),
      fingerprint: `unreviewed:${f.id}:${f.approvedVersionId}`,
      type: "unreviewed",
      rule: "unreviewed",
      severity: "warning",
      line: null,
      message: `${f.path} has changed since its approved version ${f.approvedSeq}: version ${f.currentSeq} is not approved.`,
      suggestion: "Review the change from the approved version, or propose reverting it.",
      evidence: {
        path: f.path,
        approvedSeq: f.approvedSeq,
        approvedVersionId: f.approvedVersionId,
        currentSeq: f.currentSeq,
        currentVersionId: f.currentVersionId,
        diffHref: `/specs/${f.id}?from=${f.approvedSeq}&to=${f.currentSeq}`,
      },
      introducedAt: f.committedAt,
    }));
}
