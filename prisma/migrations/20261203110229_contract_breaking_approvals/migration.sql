-- AlterTable
ALTER TABLE "OwnershipRule" ADD COLUMN     "breakingOwnerApprovals" INTEGER NOT NULL DEFAULT 1;


-- The same bounds the form and the API enforce (lib/ownership/rules.ts).
ALTER TABLE "OwnershipRule" ADD CONSTRAINT "OwnershipRule_breakingOwnerApprovals_range" CHECK ("breakingOwnerApprovals" BETWEEN 0 AND 10);
