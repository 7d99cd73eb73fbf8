-- AlterEnum
ALTER TYPE "DeploymentRefSource" ADD VALUE 'run';

-- DropIndex
DROP INDEX "RunSpecRef_specVersionId_idx";

-- DropIndex
DROP INDEX "DeploymentSpecRef_specVersionId_idx";

-- CreateIndex
CREATE INDEX "RunSpecRef_specVersionId_id_idx" ON "RunSpecRef"("specVersionId", "id");

-- CreateIndex
CREATE INDEX "DeploymentSpecRef_specVersionId_id_idx" ON "DeploymentSpecRef"("specVersionId", "id");

