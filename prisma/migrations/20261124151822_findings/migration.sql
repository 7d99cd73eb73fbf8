-- CreateEnum
CREATE TYPE "FindingStatus" AS ENUM ('open', 'acknowledged', 'resolved', 'dismissed');

-- CreateEnum
CREATE TYPE "FindingSeverity" AS ENUM ('error', 'warning', 'info');

-- CreateTable
CREATE TABLE "Finding" (
    "id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "severity" "FindingSeverity" NOT NULL,
    "status" "FindingStatus" NOT NULL DEFAULT 'open',
    "repositoryId" TEXT,
    "specId" TEXT,
    "line" INTEGER,
    "message" TEXT NOT NULL,
    "suggestion" TEXT NOT NULL DEFAULT '',
    "evidence" JSONB NOT NULL,
    "introducedAt" TIMESTAMP(3),
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "statusChangedAt" TIMESTAMP(3),
    "statusChangedById" TEXT,

    CONSTRAINT "Finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkspaceSetting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkspaceSetting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "DriftBaseline" (
    "specId" TEXT NOT NULL,
    "commitSha" TEXT NOT NULL,
    "acceptedById" TEXT NOT NULL,
    "acceptedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DriftBaseline_pkey" PRIMARY KEY ("specId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Finding_fingerprint_key" ON "Finding"("fingerprint");

-- CreateIndex
CREATE INDEX "Finding_status_type_severity_idx" ON "Finding"("status", "type", "severity");

-- CreateIndex
CREATE INDEX "Finding_repositoryId_status_idx" ON "Finding"("repositoryId", "status");

-- CreateIndex
CREATE INDEX "Finding_specId_status_idx" ON "Finding"("specId", "status");

-- AddForeignKey
ALTER TABLE "Finding" ADD CONSTRAINT "Finding_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Finding" ADD CONSTRAINT "Finding_specId_fkey" FOREIGN KEY ("specId") REFERENCES "Spec"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DriftBaseline" ADD CONSTRAINT "DriftBaseline_specId_fkey" FOREIGN KEY ("specId") REFERENCES "Spec"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Signatures are now one-permutation MinHash (decision 009): stored ones were computed the
-- old way and would not compare. Duplicate detection recomputes missing ones on first use.
DELETE FROM "ContentSignature";

-- The dashboard's spec-count trend reads each spec's first version by commit time.
CREATE INDEX "SpecVersion_first_committedAt_idx" ON "SpecVersion" ("committedAt") WHERE seq = 1;

-- The dashboard's totals, coverage and largest files, read from indexes alone (index-only
-- scans) so the page stays fast with 100,000 specs.
CREATE INDEX "Spec_dashboard_idx" ON "Spec" (deleted, kind) INCLUDE (id, "versionCount", owners, "currentHash");
CREATE INDEX "Content_hash_size_idx" ON "Content" (hash) INCLUDE (size);
CREATE INDEX "Change_approved_idx" ON "Change" ("specId", "currentHash") WHERE state = 'approved';
