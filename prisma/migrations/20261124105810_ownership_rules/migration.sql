-- AlterTable
ALTER TABLE "Spec" ADD COLUMN     "ownerRuleId" TEXT,
ADD COLUMN     "owners" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "OwnershipRule" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT,
    "position" INTEGER NOT NULL,
    "pattern" TEXT NOT NULL,
    "owners" TEXT[],
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OwnershipRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OwnershipRule_repositoryId_position_idx" ON "OwnershipRule"("repositoryId", "position");

-- AddForeignKey
ALTER TABLE "Spec" ADD CONSTRAINT "Spec_ownerRuleId_fkey" FOREIGN KEY ("ownerRuleId") REFERENCES "OwnershipRule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OwnershipRule" ADD CONSTRAINT "OwnershipRule_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE SET NULL ON UPDATE CASCADE;

