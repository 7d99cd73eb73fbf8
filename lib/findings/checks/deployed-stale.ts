import { db } from "@/lib/db";
import type { FindingDraft } from "./context";

/** deployed stale: a live deployment rests on spec versions older than their spec's latest approved one. */
export async function checkDeployedStale(): Promise<FindingDraft[]> {
  const rows = await db.$queryRaw<
    {
      deploymentId: string;
      service: string;
      version: string;
      environment: string;
      deployedAt: Date;
      specId: string;
      path: string;
      repositoryId: string;
      repository: string;
      deployedSeq: number;
      approvedSeq: number;
      approvedVersionId: string;
    }[]
  >`
    WITH refs AS (
      SELECT DISTINCT ON (d.id, v."specId") d.id AS "deploymentId", d.service, d.version, e.name AS environment, d."deployedAt",
             v."specId", v.seq AS "deployedSeq", v."contentHash"
      FROM "Deployment" d
      JOIN "Environment" e ON e.id = d."environmentId"
      JOIN "DeploymentSpecRef" r ON r."deploymentId" = d.id
      JOIN "SpecVersion" v ON v.id = r."specVersionId"
      WHERE d."undeployedAt" IS NULL
      ORDER BY d.id, v."specId", v.seq DESC
    )
    SELECT refs."deploymentId", refs.service, refs.version, refs.environment, refs."deployedAt", refs."specId", s.path,
           s."repositoryId", repo.name AS repository, refs."deployedSeq", ap.seq AS "approvedSeq", ap.id AS "approvedVersionId"
    FROM refs
    JOIN "Spec" s ON s.id = refs."specId"
    JOIN "Repository" repo ON repo.id = s."repositoryId"
    JOIN LATERAL (
      SELECT v.seq, v.id, v."contentHash" FROM "SpecVersion" v JOIN "Change" ch ON ch."versionId" = v.id AND ch.state = 'approved'
      WHERE v."specId" = refs."specId" ORDER BY v.seq DESC LIMIT 1
    ) ap ON ap.seq > refs."deployedSeq" AND ap."contentHash" <> refs."contentHash"
    ORDER BY refs.service, s.path`;
  return rows.map((r) => ({
    fingerprint: `deployed-stale:${r.deploymentId}:${r.specId}:${r.approvedVersionId}`,
    type: "deployed-stale" as const,
    rule: "deployed-stale",
    severity: "warning" as const,
    repositoryId: r.repositoryId,
    specId: r.specId,
    line: null,
    message: `${r.service} ${r.version} in ${r.environment} was built from version ${r.deployedSeq} of ${r.repository}:${r.path}; version ${r.approvedSeq} is the approved one now.`,
    suggestion: `Ship a build from the approved spec, or check with can-i-deploy before the next deployment to ${r.environment}.`,
    evidence: {
      deploymentId: r.deploymentId,
      service: r.service,
      version: r.version,
      environment: r.environment,
      path: r.path,
      repository: r.repository,
      deployedSeq: r.deployedSeq,
      approvedSeq: r.approvedSeq,
      diffHref: `/specs/${r.specId}?from=${r.deployedSeq}&to=${r.approvedSeq}`,
      deploymentHref: `/deployments/${r.deploymentId}`,
    },
    introducedAt: r.deployedAt,
  }));
}
