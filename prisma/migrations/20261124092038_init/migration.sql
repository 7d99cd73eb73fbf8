-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'maintainer', 'reviewer', 'viewer');

-- CreateEnum
CREATE TYPE "RepositoryStatus" AS ENUM ('new', 'queued', 'importing', 'ready', 'failed');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "githubId" TEXT,
    "role" "Role" NOT NULL DEFAULT 'viewer',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSignInAt" TIMESTAMP(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Repository" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "gitDir" TEXT,
    "defaultBranch" TEXT,
    "headCommit" TEXT,
    "status" "RepositoryStatus" NOT NULL DEFAULT 'new',
    "lastError" TEXT,
    "lastImportAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Repository_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Import" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "requestedById" TEXT,
    "status" "ImportStatus" NOT NULL DEFAULT 'queued',
    "phase" TEXT NOT NULL DEFAULT 'queued',
    "progressDone" INTEGER NOT NULL DEFAULT 0,
    "progressTotal" INTEGER NOT NULL DEFAULT 0,
    "fromCommit" TEXT,
    "toCommit" TEXT,
    "commitsRead" INTEGER NOT NULL DEFAULT 0,
    "versionsAdded" INTEGER NOT NULL DEFAULT 0,
    "specsAdded" INTEGER NOT NULL DEFAULT 0,
    "filesSkipped" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "warning" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Import_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Content" (
    "hash" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Content_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "Feature" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Feature_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Spec" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "featureId" TEXT,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "deletedAt" TIMESTAMP(3),
    "deletedInCommit" TEXT,
    "currentHash" TEXT,
    "versionCount" INTEGER NOT NULL DEFAULT 0,
    "search" tsvector,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Spec_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SpecVersion" (
    "id" TEXT NOT NULL,
    "specId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "blobId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "isSymlink" BOOLEAN NOT NULL DEFAULT false,
    "commitSha" TEXT NOT NULL,
    "authorName" TEXT NOT NULL,
    "authorEmail" TEXT NOT NULL,
    "committedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SpecVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SkippedFile" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "blobId" TEXT NOT NULL,
    "commitSha" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SkippedFile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_githubId_key" ON "User"("githubId");

-- CreateIndex
CREATE UNIQUE INDEX "Repository_name_key" ON "Repository"("name");

-- CreateIndex
CREATE INDEX "Import_repositoryId_createdAt_idx" ON "Import"("repositoryId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Feature_repositoryId_key_key" ON "Feature"("repositoryId", "key");

-- CreateIndex
CREATE INDEX "Spec_repositoryId_path_idx" ON "Spec"("repositoryId", "path");

-- CreateIndex
CREATE INDEX "Spec_search_idx" ON "Spec" USING GIN ("search");

-- CreateIndex
CREATE INDEX "Spec_kind_idx" ON "Spec"("kind");

-- CreateIndex
CREATE INDEX "Spec_featureId_idx" ON "Spec"("featureId");

-- CreateIndex
CREATE INDEX "SpecVersion_contentHash_idx" ON "SpecVersion"("contentHash");

-- CreateIndex
CREATE INDEX "SpecVersion_blobId_idx" ON "SpecVersion"("blobId");

-- CreateIndex
CREATE UNIQUE INDEX "SpecVersion_specId_seq_key" ON "SpecVersion"("specId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "SpecVersion_specId_commitSha_key" ON "SpecVersion"("specId", "commitSha");

-- CreateIndex
CREATE UNIQUE INDEX "SkippedFile_repositoryId_path_blobId_key" ON "SkippedFile"("repositoryId", "path", "blobId");

-- AddForeignKey
ALTER TABLE "Import" ADD CONSTRAINT "Import_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Import" ADD CONSTRAINT "Import_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feature" ADD CONSTRAINT "Feature_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Spec" ADD CONSTRAINT "Spec_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Spec" ADD CONSTRAINT "Spec_featureId_fkey" FOREIGN KEY ("featureId") REFERENCES "Feature"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpecVersion" ADD CONSTRAINT "SpecVersion_specId_fkey" FOREIGN KEY ("specId") REFERENCES "Spec"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpecVersion" ADD CONSTRAINT "SpecVersion_contentHash_fkey" FOREIGN KEY ("contentHash") REFERENCES "Content"("hash") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SkippedFile" ADD CONSTRAINT "SkippedFile_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written (Prisma's schema language cannot express these):

-- Only one live spec per path in a repository; deleted specs keep their last path.
CREATE UNIQUE INDEX "Spec_live_path_key" ON "Spec" ("repositoryId", "path") WHERE NOT "deleted";

-- Versions and their content are immutable: the database refuses to change or remove them.
CREATE FUNCTION specledger_reject_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is immutable: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "Content_immutable" BEFORE UPDATE OR DELETE ON "Content"
  FOR EACH ROW EXECUTE FUNCTION specledger_reject_mutation();
CREATE TRIGGER "SpecVersion_immutable" BEFORE UPDATE OR DELETE ON "SpecVersion"
  FOR EACH ROW EXECUTE FUNCTION specledger_reject_mutation();
CREATE TRIGGER "Content_no_truncate" BEFORE TRUNCATE ON "Content"
  FOR EACH STATEMENT EXECUTE FUNCTION specledger_reject_mutation();
CREATE TRIGGER "SpecVersion_no_truncate" BEFORE TRUNCATE ON "SpecVersion"
  FOR EACH STATEMENT EXECUTE FUNCTION specledger_reject_mutation();
