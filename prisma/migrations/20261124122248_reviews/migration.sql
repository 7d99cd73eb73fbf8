-- CreateEnum
CREATE TYPE "ReviewState" AS ENUM ('proposed', 'approved', 'rejected', 'unreviewed', 'superseded');

-- CreateEnum
CREATE TYPE "ChangeOrigin" AS ENUM ('proposal', 'import');

-- CreateEnum
CREATE TYPE "DecisionKind" AS ENUM ('approve', 'request_changes', 'comment', 'reject', 'accept', 'override', 'carry', 'supersede');

-- One order for revisions and decisions together, so "what was current when this was
-- decided" is a question the data can answer.
CREATE SEQUENCE "review_seq";

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "handle" TEXT;

-- AlterTable
ALTER TABLE "OwnershipRule" ADD COLUMN     "blockOnChangesRequested" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "requireOwnerApproval" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "requiredApprovals" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "Change" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "specId" TEXT NOT NULL,
    "origin" "ChangeOrigin" NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "baseHash" TEXT,
    "currentHash" TEXT NOT NULL,
    "versionId" TEXT,
    "landedVersionId" TEXT,
    "authorId" TEXT,
    "state" "ReviewState" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeRevision" (
    "id" TEXT NOT NULL,
    "changeId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "authorId" TEXT,
    "authorLabel" TEXT NOT NULL,
    "versionId" TEXT,
    "seq" BIGINT NOT NULL DEFAULT nextval('review_seq'),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChangeRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewDecision" (
    "id" TEXT NOT NULL,
    "changeId" TEXT NOT NULL,
    "kind" "DecisionKind" NOT NULL,
    "contentHash" TEXT,
    "revisionNumber" INTEGER,
    "reviewerId" TEXT,
    "reviewerLabel" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "carriedFromId" TEXT,
    "seq" BIGINT NOT NULL DEFAULT nextval('review_seq'),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Change_number_key" ON "Change"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Change_versionId_key" ON "Change"("versionId");

-- CreateIndex
CREATE INDEX "Change_state_idx" ON "Change"("state");

-- CreateIndex
CREATE INDEX "Change_specId_state_idx" ON "Change"("specId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "ChangeRevision_seq_key" ON "ChangeRevision"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "ChangeRevision_changeId_number_key" ON "ChangeRevision"("changeId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewDecision_seq_key" ON "ReviewDecision"("seq");

-- CreateIndex
CREATE INDEX "ReviewDecision_changeId_seq_idx" ON "ReviewDecision"("changeId", "seq");

-- CreateIndex
CREATE INDEX "ReviewDecision_reviewerId_idx" ON "ReviewDecision"("reviewerId");

-- CreateIndex
CREATE UNIQUE INDEX "User_handle_key" ON "User"("handle");

-- AddForeignKey
ALTER TABLE "Change" ADD CONSTRAINT "Change_specId_fkey" FOREIGN KEY ("specId") REFERENCES "Spec"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Change" ADD CONSTRAINT "Change_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "SpecVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Change" ADD CONSTRAINT "Change_landedVersionId_fkey" FOREIGN KEY ("landedVersionId") REFERENCES "SpecVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Change" ADD CONSTRAINT "Change_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeRevision" ADD CONSTRAINT "ChangeRevision_changeId_fkey" FOREIGN KEY ("changeId") REFERENCES "Change"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeRevision" ADD CONSTRAINT "ChangeRevision_contentHash_fkey" FOREIGN KEY ("contentHash") REFERENCES "Content"("hash") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeRevision" ADD CONSTRAINT "ChangeRevision_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeRevision" ADD CONSTRAINT "ChangeRevision_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "SpecVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewDecision" ADD CONSTRAINT "ReviewDecision_changeId_fkey" FOREIGN KEY ("changeId") REFERENCES "Change"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewDecision" ADD CONSTRAINT "ReviewDecision_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Revisions and decisions are immutable (function from the init migration); a change's
-- state is a cache that rebuildReviewState() recomputes from them.
CREATE TRIGGER "ChangeRevision_immutable" BEFORE UPDATE OR DELETE ON "ChangeRevision"
  FOR EACH ROW EXECUTE FUNCTION specledger_reject_mutation();
CREATE TRIGGER "ChangeRevision_no_truncate" BEFORE TRUNCATE ON "ChangeRevision"
  FOR EACH STATEMENT EXECUTE FUNCTION specledger_reject_mutation();
CREATE TRIGGER "ReviewDecision_immutable" BEFORE UPDATE OR DELETE ON "ReviewDecision"
  FOR EACH ROW EXECUTE FUNCTION specledger_reject_mutation();
CREATE TRIGGER "ReviewDecision_no_truncate" BEFORE TRUNCATE ON "ReviewDecision"
  FOR EACH STATEMENT EXECUTE FUNCTION specledger_reject_mutation();

-- Specs imported before reviews existed: each live spec's current version waits for an
-- after-the-fact review, as an import would have queued it.
INSERT INTO "Change" (id, "specId", origin, title, "currentHash", "versionId", state)
SELECT gen_random_uuid()::text, v."specId", 'import', v.path || ' at ' || left(v."commitSha", 7), v."contentHash", v.id, 'unreviewed'
FROM (
  SELECT DISTINCT ON (v."specId") v.* FROM "SpecVersion" v JOIN "Spec" s ON s.id = v."specId"
  WHERE NOT s.deleted ORDER BY v."specId", v.seq DESC
) v
ORDER BY v."committedAt";
INSERT INTO "ChangeRevision" (id, "changeId", number, "contentHash", "authorId", "authorLabel", "versionId")
SELECT gen_random_uuid()::text, c.id, 1, c."currentHash", u.id, v."authorEmail", v.id
FROM "Change" c JOIN "SpecVersion" v ON v.id = c."versionId" LEFT JOIN "User" u ON lower(u.email) = lower(v."authorEmail")
ORDER BY c.number;
