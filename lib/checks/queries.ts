import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db } from "@/lib/db";

/**
 * What the repository page shows of the pull-request gate: the latest checks, the open pull
 * requests with their last check (joined by PR number) and whether a webhook secret is set.
 * Open PRs whose last check found no governed file are left out: they do not touch specs.
 */
export async function getRepositoryChecks(viewer: Viewer, repositoryId: string) {
  assertCan(viewer, "repositories:read");
  const [checks, pullRequests, repo] = await Promise.all([
    db.check.findMany({
      where: { repositoryId },
      orderBy: { createdAt: "desc" },
      take: 20,
      select: { id: true, pullRequest: true, base: true, head: true, verdict: true, summary: true, createdAt: true },
    }),
    db.pullRequest.findMany({ where: { repositoryId, state: "open" }, orderBy: { number: "desc" }, take: 50 }),
    db.repository.findUnique({ where: { id: repositoryId }, select: { webhookSecret: true } }),
  ]);
  const numbers = pullRequests.map((p) => p.number);
  // The last check of each open PR, in one query.
  const last = numbers.length
    ? await db.check.findMany({
        where: { repositoryId, pullRequest: { in: numbers } },
        orderBy: { createdAt: "desc" },
        distinct: ["pullRequest"],
        select: { id: true, pullRequest: true, verdict: true, head: true, summary: true, createdAt: true },
      })
    : [];
  const lastOf = new Map(last.map((c) => [c.pullRequest, c]));
  const files = (summary: unknown) => (summary as { files?: number } | null)?.files ?? 0;
  return {
    checks: checks.map((c) => ({ ...c, files: files(c.summary), blocking: (c.summary as { blocking?: number } | null)?.blocking ?? 0 })),
    openPullRequests: pullRequests
      .map((p) => ({ ...p, lastCheck: lastOf.get(p.number) ?? null }))
      .filter((p) => p.lastCheck === null || files(p.lastCheck.summary) > 0),
    webhookSecretSet: Boolean(repo?.webhookSecret),
  };
}
