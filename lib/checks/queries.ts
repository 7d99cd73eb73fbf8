import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { checkUrl, getCheckOrThrow } from "./run";
import { checkFileResult, type CheckFileResult } from "./schema";

/**
 * What the repository page shows of the pull-request gate: the latest checks, the open pull
 * requests with their last check (joined by PR number) and whether a webhook secret is set.
 * Open PRs whose last check found nothing (no governed file changed, no unchanged one affected)
 * are left out: they do not touch specs.
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
  // A check that found nothing to say: no governed file changed and no unchanged one affected.
  const said = (summary: unknown) => {
    const s = summary as { files?: number; errors?: number; warnings?: number; notes?: number } | null;
    return (s?.files ?? 0) + (s?.errors ?? 0) + (s?.warnings ?? 0) + (s?.notes ?? 0) > 0;
  };
  return {
    checks: checks.map((c) => ({ ...c, files: files(c.summary), blocking: (c.summary as { blocking?: number } | null)?.blocking ?? 0 })),
    openPullRequests: pullRequests
      .map((p) => ({ ...p, lastCheck: lastOf.get(p.number) ?? null }))
      .filter((p) => p.lastCheck === null || said(p.lastCheck.summary)),
    webhookSecretSet: Boolean(repo?.webhookSecret),
  };
}

export interface SpecCheck {
  id: string;
  pullRequest: number | null;
  head: string;
  verdict: "pass" | "fail";
  createdAt: Date;
  /** What the check said about this file. */
  approval: CheckFileResult["approval"]["state"];
  items: number;
  blocking: number;
  url: string;
}

/**
 * The latest pull-request checks that judged this spec's path in its repository, newest first,
 * with what each said about the file (the spec page links them). Found by JSON containment
 * through the GIN index on Check.files, not by reading every check of the repository.
 */
export async function getSpecChecks(viewer: Viewer, spec: { repositoryId: string; path: string }, take = 5): Promise<SpecCheck[]> {
  assertCan(viewer, "repositories:read");
  // The matching checks first (MATERIALIZED: a LIMIT beside them could make the planner walk the
  // repository's checks newest first and test each, for a path rarely checked that is all of them).
  const rows = await db.$queryRaw<{ id: string; pullRequest: number | null; head: string; verdict: "pass" | "fail"; createdAt: Date; file: unknown }[]>`
    WITH hits AS MATERIALIZED (
      SELECT id FROM "Check" WHERE files @> ${JSON.stringify([{ path: spec.path }])}::jsonb AND "repositoryId" = ${spec.repositoryId})
    SELECT c.id, c."pullRequest", c.head, c.verdict, c."createdAt",
      (SELECT x FROM jsonb_array_elements(c.files) x WHERE x->>'path' = ${spec.path} LIMIT 1) AS file
    FROM hits JOIN "Check" c ON c.id = hits.id
    ORDER BY c."createdAt" DESC, c.id
    LIMIT ${take}`;
  return rows.flatMap((r) => {
    const file = checkFileResult.safeParse(r.file);
    if (!file.success) return [];
    return [
      {
        id: r.id,
        pullRequest: r.pullRequest,
        head: r.head,
        verdict: r.verdict,
        createdAt: r.createdAt,
        approval: file.data.approval.state,
        items: file.data.items.length,
        blocking: file.data.items.filter((i) => i.blocking).length,
        url: checkUrl(r.id),
      },
    ];
  });
}

/** A check as its page shows it: the stored answer, and the live spec at each path it names (to link them). */
export async function getCheckPage(viewer: Viewer, id: string) {
  const check = await getCheckOrThrow(viewer, id);
  const specs = await db.spec.findMany({
    where: { repositoryId: check.repository.id, path: { in: check.files.map((f) => f.path) }, deleted: false },
    select: { id: true, path: true },
  });
  return { check, specAt: Object.fromEntries(specs.map((s) => [s.path, s.id])) as Record<string, string> };
}
