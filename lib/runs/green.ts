import type { RunResult } from "@/lib/audit";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { checkoutCommands, lastGreenPolicySchema, liveVersusGreen, pickLastGreen, type LastGreenPolicy, type VersionRuns } from "./last-green";

export const LAST_GREEN_SETTING = "last-green";

/** The workspace's last-green policy; the default (1 succeeded run) when unset or no longer valid. */
export async function getLastGreenPolicy(client: Pick<Prisma.TransactionClient, "workspaceSetting"> = db): Promise<LastGreenPolicy> {
  const row = await client.workspaceSetting.findUnique({ where: { key: LAST_GREEN_SETTING } });
  const parsed = lastGreenPolicySchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : lastGreenPolicySchema.parse({});
}

/** Saves the workspace's last-green policy (admins), audited with the old and new values. Run by the runs.set-last-green-policy operation. */
export async function setLastGreenPolicy(tx: Prisma.TransactionClient, viewer: Viewer, policy: LastGreenPolicy): Promise<RunResult<LastGreenPolicy>> {
  const before = await tx.workspaceSetting.findUnique({ where: { key: LAST_GREEN_SETTING } });
  await tx.workspaceSetting.upsert({
    where: { key: LAST_GREEN_SETTING },
    create: { key: LAST_GREEN_SETTING, value: policy, updatedById: viewer.id },
    update: { value: policy, updatedById: viewer.id },
  });
  return {
    result: policy,
    audit: { action: "runs.last_green_policy_set", subject: "workspace:last-green", payload: { before: before?.value ?? null, after: policy } },
  };
}

const SPEC_SELECT = {
  id: true,
  path: true,
  deleted: true,
  repository: { select: { id: true, name: true } },
  versions: { orderBy: { seq: "desc" }, take: 1, select: { seq: true, contentHash: true, commitSha: true } },
} as const;

/**
 * A spec by id, or by "<repository>:<path>" (the live spec at that path, else the newest deleted one).
 * Unknown is not_found; callers checked the viewer may read specs.
 */
export async function resolveSpecRef(client: Pick<Prisma.TransactionClient, "spec">, ref: string) {
  const colon = ref.indexOf(":");
  const spec =
    colon > 0
      ? await client.spec.findFirst({
          where: { repository: { name: ref.slice(0, colon) }, path: ref.slice(colon + 1) },
          orderBy: [{ deleted: "asc" }, { updatedAt: "desc" }],
          select: SPEC_SELECT,
        })
      : await client.spec.findUnique({ where: { id: ref }, select: SPEC_SELECT });
  if (!spec) throw new AppError("not_found", "Spec not found.");
  return spec;
}

type VersionRow = VersionRuns & { contentHash: string; commitSha: string; path: string };

/**
 * Per version of the spec that runs used: succeeded count and the last success and failure, in
 * one query over RunSpecRef's covering index and AgentRun's (migration 20261203183000). A run
 * naming one version twice counts once.
 */
async function versionRuns(specId: string): Promise<VersionRow[]> {
  return db.$queryRaw<VersionRow[]>`
    SELECT v.seq, v."contentHash", v."commitSha", v.path,
           count(DISTINCT r.id) FILTER (WHERE r.outcome = 'succeeded')::int AS succeeded,
           max(r."createdAt") FILTER (WHERE r.outcome = 'succeeded') AS "lastSucceededAt",
           max(r."createdAt") FILTER (WHERE r.outcome = 'failed') AS "lastFailedAt"
    FROM "SpecVersion" v
    JOIN "RunSpecRef" x ON x."specVersionId" = v.id AND x.kind = 'spec'
    JOIN "AgentRun" r ON r.id = x."runId"
    WHERE v."specId" = ${specId}
    GROUP BY v.id
    ORDER BY v.seq DESC`;
}

/** The newest green version of a spec, against its live one, with the commands to check it out. */
export async function getLastGreen(viewer: Viewer, ref: string) {
  assertCan(viewer, "runs:read");
  const spec = await resolveSpecRef(db, ref);
  const [policy, versions] = await Promise.all([getLastGreenPolicy(), versionRuns(spec.id)]);
  const { version, reason } = pickLastGreen(versions, policy);
  const live = spec.deleted ? null : (spec.versions[0] ?? null);
  return {
    spec: { id: spec.id, path: spec.path, deleted: spec.deleted, repository: spec.repository },
    policy,
    live,
    version: version && {
      seq: version.seq,
      contentHash: version.contentHash,
      commitSha: version.commitSha,
      path: version.path,
      succeeded: version.succeeded,
      lastSucceededAt: version.lastSucceededAt!.toISOString(),
      checkout: checkoutCommands(version.commitSha, version.path),
    },
    versionsBehind: live && version ? live.seq - version.seq : null,
    reason,
    summary: liveVersusGreen(live?.seq ?? null, version?.seq ?? null),
  };
}
