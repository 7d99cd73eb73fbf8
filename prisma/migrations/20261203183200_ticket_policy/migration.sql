-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "ticketPolicy" JSONB;

