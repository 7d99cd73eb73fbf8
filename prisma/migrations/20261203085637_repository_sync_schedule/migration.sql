-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "lastSyncAt" TIMESTAMP(3),
ADD COLUMN     "syncFailingSince" TIMESTAMP(3),
ADD COLUMN     "syncFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "syncIntervalMinutes" INTEGER DEFAULT 10;

