-- CreateEnum
CREATE TYPE "CheckVerdict" AS ENUM ('pass', 'fail');

-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "checkPolicy" JSONB,
ADD COLUMN     "webhookSecret" TEXT;

-- CreateTable
CREATE TABLE "Check" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "pullRequest" INTEGER,
    "base" TEXT NOT NULL,
    "head" TEXT NOT NULL,
    "verdict" "CheckVerdict" NOT NULL,
    "files" JSONB NOT NULL,
    "summary" JSONB NOT NULL,
    "requestedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Check_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PullRequest" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "headSha" TEXT NOT NULL,
    "baseRef" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PullRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "repositoryId" TEXT,
    "outcome" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Check_repositoryId_createdAt_idx" ON "Check"("repositoryId", "createdAt");

-- CreateIndex
CREATE INDEX "Check_repositoryId_pullRequest_createdAt_idx" ON "Check"("repositoryId", "pullRequest", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PullRequest_repositoryId_number_key" ON "PullRequest"("repositoryId", "number");

-- AddForeignKey
ALTER TABLE "Check" ADD CONSTRAINT "Check_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequest" ADD CONSTRAINT "PullRequest_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: a check's record is what the server answered; it is never rewritten (function
-- from the init migration). Deleting a repository still removes its checks.
CREATE TRIGGER "Check_immutable" BEFORE UPDATE ON "Check"
  FOR EACH ROW EXECUTE FUNCTION specledger_reject_mutation();
