-- DropIndex
DROP INDEX "TestMention_repositoryId_path_line_key_key";

-- AlterTable
ALTER TABLE "TestMention" ADD COLUMN     "feature" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "RequirementTestLink" (
    "id" TEXT NOT NULL,
    "requirementId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "missing" BOOLEAN NOT NULL,
    "testCommit" TEXT,
    "testChangedAt" TIMESTAMP(3),

    CONSTRAINT "RequirementTestLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RequirementTestLink_requirementId_path_key" ON "RequirementTestLink"("requirementId", "path");

-- CreateIndex
CREATE UNIQUE INDEX "TestMention_repositoryId_path_line_key_feature_key" ON "TestMention"("repositoryId", "path", "line", "key", "feature");

-- AddForeignKey
ALTER TABLE "RequirementTestLink" ADD CONSTRAINT "RequirementTestLink_requirementId_fkey" FOREIGN KEY ("requirementId") REFERENCES "Requirement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

