-- Repositories are keyed by their normalised source, mirrors by repository id (decisions 020, 021).

-- Mirrors now live under SPECLEDGER_GIT_DIR by repository id; no row names a host's path.
ALTER TABLE "Repository" DROP COLUMN "gitDir",
ADD COLUMN     "credential" TEXT,
ADD COLUMN     "sourceKey" TEXT;

-- Existing rows keep their source as the key; an alias of an earlier row (the same folder
-- added twice) keeps its own key, suffixed by its id, so the unique index can be built.
UPDATE "Repository" r SET "sourceKey" = CASE
  WHEN r.id = (SELECT min(o.id) FROM "Repository" o WHERE o.source = r.source) THEN r.source
  ELSE r.source || '#' || r.id END;
ALTER TABLE "Repository" ALTER COLUMN "sourceKey" SET NOT NULL;

-- AlterTable
ALTER TABLE "Import" ADD COLUMN     "followUpError" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Repository_sourceKey_key" ON "Repository"("sourceKey");

-- At most one import waits or runs per repository: a concurrent re-scan finds that one
-- instead of queuing another (ON CONFLICT in lib/repositories). Older duplicates are retired first.
UPDATE "Import" i SET status = 'failed', phase = 'failed', "finishedAt" = now(),
  error = 'Superseded: another import of this repository was already waiting.'
WHERE i.status IN ('queued', 'running') AND EXISTS (
  SELECT 1 FROM "Import" n WHERE n."repositoryId" = i."repositoryId" AND n.status IN ('queued', 'running')
    AND (n."createdAt", n.id) > (i."createdAt", i.id));
CREATE UNIQUE INDEX "Import_one_pending_per_repository" ON "Import"("repositoryId") WHERE status IN ('queued', 'running');

-- Rows inserted without a key (tests and tools that create repositories directly, bypassing
-- the app's checks) get one of their own; the app always gives the normalised source
-- (lib/repositories), which is what makes one repository one row.
CREATE FUNCTION repository_source_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."sourceKey" IS NULL THEN NEW."sourceKey" := NEW.source || '#' || NEW.id; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Repository_source_key" BEFORE INSERT ON "Repository"
  FOR EACH ROW EXECUTE FUNCTION repository_source_key();
