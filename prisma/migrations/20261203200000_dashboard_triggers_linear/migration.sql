-- The dashboard triggers without joins between transition tables (decision 037, "Transition tables"). PL/pgSQL keeps
-- a statement's plan for the session, planned with the transition tables' sizes at its first
-- firing (often one row): a later UPDATE of 300 specs then ran new_rows JOIN old_rows as a
-- nested loop, rescanned once per first version (300 x 300 x 300 rows, 6-9 s for the import's
-- search-vector UPDATE; minutes on the monorepo). What changed per spec is now found by grouping
-- the old and new rows (+1/-1 cancel out when a column did not change), and each lookup of a
-- real table is driven by the changed rows through an index, whatever the plan's estimates.

CREATE OR REPLACE FUNCTION specledger_dashboard_spec() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved_ids text[];
  moved_kinds text[];
  moved_signs bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "DashboardCount" (metric, key, week, n)
    SELECT c.metric, c.key, c.week, sum(c.n) FROM new_rows r, specledger_dashboard_spec_rows(r) c GROUP BY 1, 2, 3 HAVING sum(c.n) <> 0;
    PERFORM specledger_dashboard_agent_files(ARRAY(SELECT id FROM new_rows WHERE kind = 'agent'));
    RETURN NULL;
  END IF;
  -- A spec whose kind changed: +1 for its new kind, -1 for its old one (an unchanged kind cancels).
  SELECT coalesce(array_agg(id), '{}'), coalesce(array_agg(kind), '{}'), coalesce(array_agg(sign), '{}')
  INTO moved_ids, moved_kinds, moved_signs
  FROM (
    SELECT id, kind, sum(sign)::bigint AS sign FROM (
      SELECT id, kind, 1 AS sign FROM new_rows UNION ALL SELECT id, kind, -1 FROM old_rows
    ) d GROUP BY id, kind HAVING sum(sign) <> 0
  ) k;
  INSERT INTO "DashboardCount" (metric, key, week, n)
  SELECT metric, key, week, sum(n) FROM (
    SELECT c.metric, c.key, c.week, c.n FROM new_rows r, specledger_dashboard_spec_rows(r) c
    UNION ALL
    SELECT c.metric, c.key, c.week, -c.n FROM old_rows r, specledger_dashboard_spec_rows(r) c
    UNION ALL
    -- It takes its first version's week to the new kind; one index lookup per moved spec.
    SELECT 'born', k.kind, date_trunc('week', v."committedAt"::timestamptz), k.sign
    FROM unnest(moved_ids, moved_kinds, moved_signs) AS k(id, kind, sign)
    CROSS JOIN LATERAL (SELECT f."committedAt" FROM "SpecVersion" f WHERE f."specId" = k.id AND f.seq = 1) v
  ) d GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
  -- Specs whose deletion or content changed (NULLs group together, as IS DISTINCT FROM compares).
  PERFORM specledger_dashboard_recount_approved(ARRAY(
    SELECT DISTINCT id FROM (
      SELECT id, deleted, "currentHash", 1 AS sign FROM new_rows UNION ALL SELECT id, deleted, "currentHash", -1 FROM old_rows
    ) d GROUP BY id, deleted, "currentHash" HAVING sum(sign) <> 0));
  -- Agent files (before or after) whose deletion, content or kind changed.
  PERFORM specledger_dashboard_agent_files(ARRAY(
    SELECT DISTINCT id FROM (
      SELECT id, kind, deleted, "currentHash", 1 AS sign FROM new_rows WHERE kind = 'agent'
      UNION ALL SELECT id, kind, deleted, "currentHash", -1 FROM old_rows WHERE kind = 'agent'
    ) d GROUP BY id, kind, deleted, "currentHash" HAVING sum(sign) <> 0));
  RETURN NULL;
END;
$$;
