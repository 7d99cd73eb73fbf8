-- Decision 043. The approved count (decision 037) is recomputed per statement from what the
-- statement's transaction sees. An import (read committed) moving a spec's content and a review
-- approving a change of that spec at the same instant each missed the other's uncommitted write,
-- so the kept count could end one off. The recount now locks the spec rows first: the second
-- writer waits for the first to commit and then sees its write (a serializable review is retried).
-- Rows this transaction wrote itself are already its own and are not locked again (age(xmin) = 0),
-- so an import's recount of the specs it just wrote costs nothing more.
CREATE OR REPLACE FUNCTION specledger_dashboard_recount_approved(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE delta bigint;
BEGIN
  PERFORM 1 FROM "Spec" s WHERE s.id = ANY (ids) AND age(s.xmin) <> 0 ORDER BY s.id FOR NO KEY UPDATE;
  WITH want AS (
    SELECT s.id FROM "Spec" s WHERE s.id = ANY (ids) AND NOT s.deleted AND EXISTS (
      SELECT 1 FROM "Change" c WHERE c."specId" = s.id AND c.state = 'approved' AND c."currentHash" = s."currentHash")
  ), added AS (
    INSERT INTO "DashboardApproved" ("specId") SELECT id FROM want ON CONFLICT DO NOTHING RETURNING 1
  ), removed AS (
    DELETE FROM "DashboardApproved" a WHERE a."specId" = ANY (ids) AND NOT EXISTS (SELECT 1 FROM want w WHERE w.id = a."specId") RETURNING 1
  )
  SELECT (SELECT count(*) FROM added) - (SELECT count(*) FROM removed) INTO delta;
  IF delta <> 0 THEN
    INSERT INTO "DashboardCount" (metric, key, week, n) VALUES ('approved', '', NULL, delta);
  END IF;
END;
$$;

-- The minute's sweep finds finished imports whose requested follow-up was not queued (lib/repositories queueRequestedResyncs).
CREATE INDEX "Import_resync_owed_idx" ON "Import" ("resyncRequestedAt") WHERE "resyncRequestedAt" IS NOT NULL;
