-- CreateTable
CREATE TABLE "Requirement" (
    "id" TEXT NOT NULL,
    "specId" TEXT NOT NULL,
    "key" TEXT,
    "explicit" BOOLEAN NOT NULL,
    "text" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "removed" BOOLEAN NOT NULL DEFAULT false,
    "addedSeq" INTEGER NOT NULL,
    "changedSeq" INTEGER NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL,
    "removedSeq" INTEGER,

    CONSTRAINT "Requirement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequirementOccurrence" (
    "id" TEXT NOT NULL,
    "requirementId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "commitSha" TEXT NOT NULL,
    "committedAt" TIMESTAMP(3) NOT NULL,
    "event" TEXT NOT NULL,
    "key" TEXT,
    "text" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "RequirementOccurrence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TestMention" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "how" TEXT NOT NULL,
    "testCommit" TEXT NOT NULL,
    "testChangedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TestMention_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Requirement_specId_removed_idx" ON "Requirement"("specId", "removed");

-- CreateIndex
CREATE INDEX "Requirement_key_idx" ON "Requirement"("key");

-- CreateIndex
CREATE UNIQUE INDEX "RequirementOccurrence_requirementId_seq_key" ON "RequirementOccurrence"("requirementId", "seq");

-- CreateIndex
CREATE INDEX "TestMention_repositoryId_key_idx" ON "TestMention"("repositoryId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "TestMention_repositoryId_path_line_key_key" ON "TestMention"("repositoryId", "path", "line", "key");

-- AddForeignKey
ALTER TABLE "Requirement" ADD CONSTRAINT "Requirement_specId_fkey" FOREIGN KEY ("specId") REFERENCES "Spec"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequirementOccurrence" ADD CONSTRAINT "RequirementOccurrence_requirementId_fkey" FOREIGN KEY ("requirementId") REFERENCES "Requirement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TestMention" ADD CONSTRAINT "TestMention_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- A requirement's history is written once by the import and never edited (decision 034).
CREATE FUNCTION requirement_occurrence_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'requirement history is immutable' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER requirement_occurrence_no_update BEFORE UPDATE OR DELETE ON "RequirementOccurrence"
  FOR EACH ROW EXECUTE FUNCTION requirement_occurrence_immutable();
