-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "kindRulesHash" TEXT;

