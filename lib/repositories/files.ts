import { assertCan, type Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import type { GovernedFile } from "./tree";

/** At most this many files are listed on a page; the specs list pages through the rest. */
export const FILE_TREE_LIMIT = 2000;

/**
 * A repository's live governed files with kind, owners, the review state of the current
 * content (as provenance answers give it) and open findings, in one query.
 */
export async function listGovernedFiles(viewer: Actor, repositoryId: string): Promise<GovernedFile[]> {
  assertCan(viewer, "specs:read");
  const rows = await db.$queryRaw<GovernedFile[]>`
    SELECT s.id, s.path, s.kind, s.owners,
           coalesce((SELECT c.state::text FROM "SpecVersion" v JOIN "Change" c ON c."versionId" = v.id
                     WHERE v."specId" = s.id AND v."contentHash" = s."currentHash" ORDER BY v.seq DESC LIMIT 1), 'unreviewed') AS review,
           (SELECT count(*)::int FROM "Finding" f WHERE f."specId" = s.id AND f.status IN ('open', 'acknowledged')) AS "openFindings"
    FROM "Spec" s
    WHERE s."repositoryId" = ${repositoryId} AND NOT s.deleted
    ORDER BY s.path
    LIMIT ${FILE_TREE_LIMIT}`;
  return rows;
}

/** Open and acknowledged findings of a repository by severity: what /findings?repository= lists. */
export async function countRepositoryFindings(viewer: Actor, repositoryId: string): Promise<{ total: number; error: number; warning: number; info: number }> {
  assertCan(viewer, "specs:read");
  const groups = await db.finding.groupBy({
    by: ["severity"],
    where: { repositoryId, status: { in: ["open", "acknowledged"] } },
    _count: { _all: true },
  });
  const by = Object.fromEntries(groups.map((g) => [g.severity, g._count._all]));
  const counts = { error: by.error ?? 0, warning: by.warning ?? 0, info: by.info ?? 0 };
  return { total: counts.error + counts.warning + counts.info, ...counts };
}
