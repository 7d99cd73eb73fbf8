-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "credentialFingerprint" TEXT,
ADD COLUMN     "credentialKeyType" TEXT,
ADD COLUMN     "credentialKind" TEXT,
ADD COLUMN     "credentialSetAt" TIMESTAMP(3),
ADD COLUMN     "credentialSetBy" TEXT,
ADD COLUMN     "credentialUsername" TEXT;


-- Credentials stored before these columns existed were https tokens split off the URL.
UPDATE "Repository" SET "credentialKind" = 'https' WHERE "credential" IS NOT NULL AND "credentialKind" IS NULL;
