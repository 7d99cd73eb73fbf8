-- AlterTable
ALTER TABLE "Import" ADD COLUMN     "resyncRequestedAt" TIMESTAMP(3);
