-- Covering indexes for "which runs and deployments did this spec version shape": the newest
-- references, and the counts, come from the index alone (no heap visits). Prisma's schema
-- cannot express INCLUDE; these replace the plain (specVersionId, id) indexes.
DROP INDEX "RunSpecRef_specVersionId_id_idx";
CREATE INDEX "RunSpecRef_specVersionId_id_idx" ON "RunSpecRef" ("specVersionId", id) INCLUDE ("runId", kind);
DROP INDEX "DeploymentSpecRef_specVersionId_id_idx";
CREATE INDEX "DeploymentSpecRef_specVersionId_id_idx" ON "DeploymentSpecRef" ("specVersionId", id) INCLUDE ("deploymentId", source);
