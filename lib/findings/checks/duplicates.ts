import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { findDuplicateClusters } from "../duplicates";
import type { FindingDraft } from "./context";

/** duplicates: clusters of live files that say the same thing, across repositories (lib/findings/duplicates.ts). */
export async function checkDuplicates(viewer: Actor): Promise<FindingDraft[]> {
  const clusters = await findDuplicateClusters(viewer, { includeDismissed: true });
  if (clusters.length === 0) return [];
  const repositories = new Map(
    (
      await db.repository.findMany({ where: { name: { in: clusters.flatMap((c) => c.members.map((m) => m.repository)) } }, select: { id: true, name: true } })
    ).map((r) => [r.name, r.id]),
  );
  return clusters.map((cluster) => {
    const first = [...cluster.members].sort((a, b) => a.repository.localeCompare(b.repository) || a.path.localeCompare(b.path))[0];
    const repos = new Set(cluster.members.map((m) => m.repository));
    const where = cluster.members.map((m) => `${m.repository}:${m.path}`);
    return {
      fingerprint: `duplicate:${cluster.key}`,
      type: "duplicate" as const,
      rule: cluster.kind === "exact" ? "exact-duplicate" : "near-duplicate",
      // Byte-identical copies are usually deliberate (a shared CLAUDE.md); copies that drifted apart are the problem.
      severity: cluster.kind === "exact" ? ("info" as const) : ("warning" as const),
      repositoryId: repositories.get(first.repository) ?? null,
      specId: first.specId,
      line: null,
      message:
        cluster.kind === "exact"
          ? `${cluster.members.length} files in ${repos.size} repositor${repos.size === 1 ? "y" : "ies"} have the same content: ${where.join(", ")}.`
          : `${cluster.members.length} files describe the same thing (${Math.round(cluster.similarity * 100)}% alike): ${where.join(", ")}.`,
      suggestion: "Mark one as canonical and make the others point to it, or dismiss the cluster if the copies are meant to diverge.",
      evidence: {
        clusterKey: cluster.key,
        kind: cluster.kind,
        similarity: cluster.similarity,
        members: cluster.members.map((m) => ({ specId: m.specId, repository: m.repository, path: m.path, owners: m.owners })),
        canonicalSpecId: cluster.canonicalSpecId,
        compareHref: `/duplicates/compare?a=${cluster.members[0].specId}&b=${cluster.members[1].specId}`,
      },
      introducedAt: null,
      dismissed: cluster.dismissed,
    };
  });
}
