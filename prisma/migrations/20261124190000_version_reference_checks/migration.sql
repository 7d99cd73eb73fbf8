-- A version's spec and content are checked once per statement instead of row by row.
-- The import writes tens of thousands of versions with one COPY, and PostgreSQL checks a
-- foreign key with a query and a row lock per inserted row: 40% of that COPY. Contents and
-- specs are never deleted and their keys never change ("Content_immutable" and the guard
-- below), so checking the inserted rows as a set when they arrive keeps the same guarantee.
-- Prisma's schema still declares both relations. Decision 002.
ALTER TABLE "SpecVersion" DROP CONSTRAINT "SpecVersion_contentHash_fkey";
ALTER TABLE "SpecVersion" DROP CONSTRAINT "SpecVersion_specId_fkey";

CREATE FUNCTION specledger_check_version_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT i."contentHash" INTO missing FROM inserted i
  WHERE NOT EXISTS (SELECT 1 FROM "Content" c WHERE c.hash = i."contentHash") LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'SpecVersion names content % that is not stored', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT i."specId" INTO missing FROM inserted i
  WHERE NOT EXISTS (SELECT 1 FROM "Spec" s WHERE s.id = i."specId") LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'SpecVersion names spec % that does not exist', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "SpecVersion_references" AFTER INSERT ON "SpecVersion"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION specledger_check_version_references();

-- A spec that leaves the repository is marked deleted; the row itself stays, with its id.
CREATE FUNCTION specledger_keep_spec() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'Specs are kept with their ids: % is not allowed (mark the spec deleted instead)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "Spec_keep" BEFORE UPDATE OF id OR DELETE ON "Spec"
  FOR EACH ROW EXECUTE FUNCTION specledger_keep_spec();
CREATE TRIGGER "Spec_no_truncate" BEFORE TRUNCATE ON "Spec"
  FOR EACH STATEMENT EXECUTE FUNCTION specledger_reject_mutation();
