-- CreateEnum
CREATE TYPE "RunOutcome" AS ENUM ('succeeded', 'failed', 'cancelled', 'unknown');

-- CreateEnum
CREATE TYPE "SpecRefKind" AS ENUM ('spec', 'instruction');

-- CreateEnum
CREATE TYPE "DeploymentRefSource" AS ENUM ('direct', 'baseline');

-- AlterTable
ALTER TABLE "ReviewDecision" ADD COLUMN     "breaking" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "AgentRun" (
    "id" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "model" TEXT,
    "repositoryId" TEXT,
    "repositoryName" TEXT,
    "commitSha" TEXT,
    "branch" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "inputTokens" BIGINT,
    "outputTokens" BIGINT,
    "costUsd" DECIMAL(14,6),
    "outcome" "RunOutcome" NOT NULL,
    "links" JSONB NOT NULL DEFAULT '[]',
    "reportedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunSpecRef" (
    "id" BIGSERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "kind" "SpecRefKind" NOT NULL,
    "contentHash" TEXT,
    "repositoryName" TEXT,
    "path" TEXT,
    "commitSha" TEXT,
    "specVersionId" TEXT,

    CONSTRAINT "RunSpecRef_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyKey" (
    "userId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "statusCode" INTEGER NOT NULL,
    "response" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyKey_pkey" PRIMARY KEY ("userId","key")
);

-- CreateTable
CREATE TABLE "Environment" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "allowUnreviewed" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Environment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deployment" (
    "id" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "commitSha" TEXT,
    "repositoryId" TEXT,
    "deployedAt" TIMESTAMP(3) NOT NULL,
    "undeployedAt" TIMESTAMP(3),
    "alongside" BOOLEAN NOT NULL DEFAULT false,
    "recordedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Deployment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeploymentRun" (
    "deploymentId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,

    CONSTRAINT "DeploymentRun_pkey" PRIMARY KEY ("deploymentId","runId")
);

-- CreateTable
CREATE TABLE "DeploymentSpecRef" (
    "id" BIGSERIAL NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "source" "DeploymentRefSource" NOT NULL,
    "contentHash" TEXT,
    "repositoryName" TEXT,
    "path" TEXT,
    "commitSha" TEXT,
    "specVersionId" TEXT,

    CONSTRAINT "DeploymentSpecRef_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AgentRun_externalId_key" ON "AgentRun"("externalId");

-- CreateIndex
CREATE INDEX "AgentRun_repositoryId_createdAt_idx" ON "AgentRun"("repositoryId", "createdAt");

-- CreateIndex
CREATE INDEX "AgentRun_createdAt_idx" ON "AgentRun"("createdAt");

-- CreateIndex
CREATE INDEX "RunSpecRef_runId_idx" ON "RunSpecRef"("runId");

-- CreateIndex
CREATE INDEX "RunSpecRef_specVersionId_idx" ON "RunSpecRef"("specVersionId");

-- CreateIndex
CREATE UNIQUE INDEX "Environment_name_key" ON "Environment"("name");

-- CreateIndex
CREATE INDEX "Deployment_service_environmentId_deployedAt_idx" ON "Deployment"("service", "environmentId", "deployedAt");

-- CreateIndex
CREATE INDEX "Deployment_service_version_idx" ON "Deployment"("service", "version");

-- CreateIndex
CREATE INDEX "DeploymentRun_runId_idx" ON "DeploymentRun"("runId");

-- CreateIndex
CREATE INDEX "DeploymentSpecRef_deploymentId_idx" ON "DeploymentSpecRef"("deploymentId");

-- CreateIndex
CREATE INDEX "DeploymentSpecRef_specVersionId_idx" ON "DeploymentSpecRef"("specVersionId");

-- AddForeignKey
ALTER TABLE "AgentRun" ADD CONSTRAINT "AgentRun_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentRun" ADD CONSTRAINT "AgentRun_reportedById_fkey" FOREIGN KEY ("reportedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunSpecRef" ADD CONSTRAINT "RunSpecRef_runId_fkey" FOREIGN KEY ("runId") REFERENCES "AgentRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunSpecRef" ADD CONSTRAINT "RunSpecRef_specVersionId_fkey" FOREIGN KEY ("specVersionId") REFERENCES "SpecVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentRun" ADD CONSTRAINT "DeploymentRun_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentRun" ADD CONSTRAINT "DeploymentRun_runId_fkey" FOREIGN KEY ("runId") REFERENCES "AgentRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentSpecRef" ADD CONSTRAINT "DeploymentSpecRef_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentSpecRef" ADD CONSTRAINT "DeploymentSpecRef_specVersionId_fkey" FOREIGN KEY ("specVersionId") REFERENCES "SpecVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Runs and what they used are facts as reported: immutable.
CREATE TRIGGER "AgentRun_immutable" BEFORE UPDATE OR DELETE ON "AgentRun"
  FOR EACH ROW EXECUTE FUNCTION specledger_reject_mutation();
CREATE TRIGGER "RunSpecRef_immutable" BEFORE UPDATE OR DELETE ON "RunSpecRef"
  FOR EACH ROW EXECUTE FUNCTION specledger_reject_mutation();
CREATE TRIGGER "DeploymentRun_immutable" BEFORE UPDATE OR DELETE ON "DeploymentRun"
  FOR EACH ROW EXECUTE FUNCTION specledger_reject_mutation();
CREATE TRIGGER "DeploymentSpecRef_immutable" BEFORE UPDATE OR DELETE ON "DeploymentSpecRef"
  FOR EACH ROW EXECUTE FUNCTION specledger_reject_mutation();
-- Only one live (not side-by-side) deployment of a service per environment.
CREATE UNIQUE INDEX "Deployment_live_key" ON "Deployment" (service, "environmentId") WHERE "undeployedAt" IS NULL AND NOT alongside;
