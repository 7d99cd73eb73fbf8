-- Two changes that make an import's writes cheaper (decision 002).

-- 1. One index on "Content" instead of two. The dashboard reads contents' sizes from an
--    index alone (index-only scans), which a second index on (hash) INCLUDE (size) gave.
--    The primary key now carries the size itself: every stored content then updates one
--    index, not two. Prisma's schema has no INCLUDE; it still sees a primary key on hash.
CREATE UNIQUE INDEX "Content_pkey_with_size" ON "Content" (hash) INCLUDE (size);
ALTER TABLE "ChangeRevision" DROP CONSTRAINT "ChangeRevision_contentHash_fkey";
ALTER TABLE "ContentSignature" DROP CONSTRAINT "ContentSignature_hash_fkey";
ALTER TABLE "Content" DROP CONSTRAINT "Content_pkey";
ALTER TABLE "Content" ADD CONSTRAINT "Content_pkey" PRIMARY KEY USING INDEX "Content_pkey_with_size";
ALTER TABLE "ChangeRevision" ADD CONSTRAINT "ChangeRevision_contentHash_fkey"
  FOREIGN KEY ("contentHash") REFERENCES "Content"(hash) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ContentSignature" ADD CONSTRAINT "ContentSignature_hash_fkey"
  FOREIGN KEY (hash) REFERENCES "Content"(hash) ON DELETE RESTRICT ON UPDATE CASCADE;
-- IF EXISTS: databases made before the findings migration gained this index never had it.
DROP INDEX IF EXISTS "Content_hash_size_idx";

-- 2. A version statement's specs are checked once each: an import's 34,000 versions name
--    a few hundred specs, and probing the spec index for every row was a third of the check.
CREATE OR REPLACE FUNCTION specledger_check_version_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT i."contentHash" INTO missing FROM inserted i
  WHERE NOT EXISTS (SELECT 1 FROM "Content" c WHERE c.hash = i."contentHash") LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'SpecVersion names content % that is not stored', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT i.id INTO missing FROM (SELECT DISTINCT "specId" AS id FROM inserted) i
  WHERE NOT EXISTS (SELECT 1 FROM "Spec" s WHERE s.id = i.id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'SpecVersion names spec % that does not exist', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
