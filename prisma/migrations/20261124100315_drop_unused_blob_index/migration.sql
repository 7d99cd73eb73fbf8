-- DropIndex
DROP INDEX "SpecVersion_blobId_idx";

