-- AlterTable
ALTER TABLE "Check" ADD COLUMN     "ticket" JSONB;

