-- A change's identity never changes; only its review state, current content (always its
-- latest revision's), landing, title and description do. Changes are never deleted.
CREATE FUNCTION specledger_guard_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.number <> OLD.number OR NEW."specId" <> OLD."specId" OR NEW.origin <> OLD.origin
     OR NEW."baseHash" IS DISTINCT FROM OLD."baseHash" OR NEW."versionId" IS DISTINCT FROM OLD."versionId"
     OR NEW."authorId" IS DISTINCT FROM OLD."authorId" OR NEW."createdAt" <> OLD."createdAt" THEN
    RAISE EXCEPTION 'Change % is immutable except for its state, content, landing, title and description', OLD.number
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD."landedVersionId" IS NOT NULL AND NEW."landedVersionId" IS DISTINCT FROM OLD."landedVersionId" THEN
    RAISE EXCEPTION 'Change % has landed; its landing cannot change', OLD.number USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW."currentHash" IS DISTINCT FROM (
    SELECT "contentHash" FROM "ChangeRevision" WHERE "changeId" = NEW.id ORDER BY number DESC LIMIT 1
  ) THEN
    RAISE EXCEPTION 'Change %: the current content must be its latest revision''s', OLD.number USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Change_guard" BEFORE UPDATE ON "Change"
  FOR EACH ROW EXECUTE FUNCTION specledger_guard_change();
CREATE TRIGGER "Change_no_delete" BEFORE DELETE ON "Change"
  FOR EACH ROW EXECUTE FUNCTION specledger_reject_mutation();
CREATE TRIGGER "Change_no_truncate" BEFORE TRUNCATE ON "Change"
  FOR EACH STATEMENT EXECUTE FUNCTION specledger_reject_mutation();
