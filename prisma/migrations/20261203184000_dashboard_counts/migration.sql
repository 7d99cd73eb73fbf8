-- CreateTable
CREATE TABLE "DashboardCount" (
    "id" BIGSERIAL NOT NULL,
    "metric" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "week" TIMESTAMPTZ(3),
    "n" BIGINT NOT NULL,

    CONSTRAINT "DashboardCount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DashboardApproved" (
    "specId" TEXT NOT NULL,

    CONSTRAINT "DashboardApproved_pkey" PRIMARY KEY ("specId")
);

-- CreateTable
CREATE TABLE "DashboardAgentFile" (
    "specId" TEXT NOT NULL,
    "size" INTEGER NOT NULL,

    CONSTRAINT "DashboardAgentFile_pkey" PRIMARY KEY ("specId")
);

-- CreateIndex
CREATE INDEX "DashboardAgentFile_size_specId_idx" ON "DashboardAgentFile"("size" DESC, "specId");


-- Counts maintained on write (decision 037). Every statement that changes a spec, a first
-- version, a change or a finding appends what it added and took away, summed per (metric, key,
-- week): appends never wait on each other, so concurrent imports and reviews do not contend.
-- The dashboard sums the deltas; compactDashboardCounts() folds them together.

-- What one spec row contributes. Its first version's week (born) moves with its kind.
CREATE FUNCTION specledger_dashboard_spec_rows(r "Spec") RETURNS TABLE (metric text, key text, week timestamptz, n bigint)
LANGUAGE sql STABLE AS $$
  SELECT m.metric, r.kind, m.week, m.n FROM (VALUES
    ('live', NULL::timestamptz, CASE WHEN NOT r.deleted THEN 1 ELSE 0 END::bigint),
    ('owned', NULL, CASE WHEN NOT r.deleted AND cardinality(r.owners) > 0 THEN 1 ELSE 0 END),
    ('versions', NULL, r."versionCount"),
    -- As the trend dates a removal: its deletion time, else the row's last update.
    ('gone', date_trunc('week', coalesce(r."deletedAt", r."updatedAt")::timestamptz), CASE WHEN r.deleted THEN 1 ELSE 0 END)
  ) m(metric, week, n) WHERE m.n <> 0
$$;

-- Specs counted as approved: live, and an approved change names their current content.
-- Recomputed for the specs a statement touched; the marker table makes the delta exact.
CREATE FUNCTION specledger_dashboard_recount_approved(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE delta bigint;
BEGIN
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

-- Live agent instruction files with their current size, for the largest-files list.
CREATE FUNCTION specledger_dashboard_agent_files(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "DashboardAgentFile" a WHERE a."specId" = ANY (ids) AND NOT EXISTS (
    SELECT 1 FROM "Spec" s WHERE s.id = a."specId" AND NOT s.deleted AND s.kind = 'agent');
  INSERT INTO "DashboardAgentFile" ("specId", size)
  SELECT s.id, c.size FROM "Spec" s JOIN "Content" c ON c.hash = s."currentHash" WHERE s.id = ANY (ids) AND NOT s.deleted AND s.kind = 'agent'
  ON CONFLICT ("specId") DO UPDATE SET size = EXCLUDED.size WHERE "DashboardAgentFile".size <> EXCLUDED.size;
END;
$$;

CREATE FUNCTION specledger_dashboard_spec() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "DashboardCount" (metric, key, week, n)
    SELECT c.metric, c.key, c.week, sum(c.n) FROM new_rows r, specledger_dashboard_spec_rows(r) c GROUP BY 1, 2, 3 HAVING sum(c.n) <> 0;
    PERFORM specledger_dashboard_agent_files(ARRAY(SELECT id FROM new_rows WHERE kind = 'agent'));
  ELSE
    INSERT INTO "DashboardCount" (metric, key, week, n)
    SELECT metric, key, week, sum(n) FROM (
      SELECT c.metric, c.key, c.week, c.n FROM new_rows r, specledger_dashboard_spec_rows(r) c
      UNION ALL
      SELECT c.metric, c.key, c.week, -c.n FROM old_rows r, specledger_dashboard_spec_rows(r) c
      UNION ALL
      -- A spec whose kind changed takes its first version's week to the new kind.
      SELECT 'born', k.kind, date_trunc('week', v."committedAt"::timestamptz), k.sign
      FROM (SELECT n.id, n.kind, 1 AS sign FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.kind <> n.kind
            UNION ALL SELECT o.id, o.kind, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.kind <> n.kind) k
      JOIN "SpecVersion" v ON v."specId" = k.id AND v.seq = 1
    ) d GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
    PERFORM specledger_dashboard_recount_approved(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE n.deleted IS DISTINCT FROM o.deleted OR n."currentHash" IS DISTINCT FROM o."currentHash"));
    PERFORM specledger_dashboard_agent_files(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.kind = 'agent' OR o.kind = 'agent')
        AND (n.deleted IS DISTINCT FROM o.deleted OR n."currentHash" IS DISTINCT FROM o."currentHash" OR n.kind <> o.kind)));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "Spec_dashboard_insert" AFTER INSERT ON "Spec"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION specledger_dashboard_spec();
CREATE TRIGGER "Spec_dashboard_update" AFTER UPDATE ON "Spec"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION specledger_dashboard_spec();

-- Versions are immutable and never deleted: a first version adds its spec to its week.
CREATE FUNCTION specledger_dashboard_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "DashboardCount" (metric, key, week, n)
  SELECT 'born', s.kind, date_trunc('week', v."committedAt"::timestamptz), count(*)
  FROM new_rows v JOIN "Spec" s ON s.id = v."specId" WHERE v.seq = 1 GROUP BY 1, 2, 3;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "SpecVersion_dashboard" AFTER INSERT ON "SpecVersion"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION specledger_dashboard_version();

-- Changes are never deleted; a new or decided change may make its spec approved or not.
CREATE FUNCTION specledger_dashboard_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM specledger_dashboard_recount_approved(ARRAY(SELECT DISTINCT "specId" FROM new_rows));
  RETURN NULL;
END;
$$;
CREATE TRIGGER "Change_dashboard_insert" AFTER INSERT ON "Change"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION specledger_dashboard_change();
CREATE TRIGGER "Change_dashboard_update" AFTER UPDATE ON "Change"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION specledger_dashboard_change();

-- What one finding contributes: the week it was opened, the week it was closed, and while
-- unresolved its type and severity.
CREATE FUNCTION specledger_dashboard_finding_rows(r "Finding") RETURNS TABLE (metric text, key text, week timestamptz, n bigint)
LANGUAGE sql STABLE AS $$
  SELECT m.metric, m.key, m.week, 1::bigint FROM (VALUES
    ('opened', '', date_trunc('week', coalesce(r."introducedAt", r."firstSeenAt"))::timestamptz, true),
    ('closed', '', date_trunc('week', coalesce(r."resolvedAt", r."statusChangedAt"))::timestamptz, r.status IN ('resolved', 'dismissed')),
    ('unresolved', r.type || E'\t' || r.severity::text, NULL::timestamptz, r.status IN ('open', 'acknowledged')),
    -- Per repository, for the repositories with the most unresolved findings.
    ('repository', r."repositoryId", NULL, r.status IN ('open', 'acknowledged') AND r."repositoryId" IS NOT NULL),
    ('repository-errors', r."repositoryId", NULL, r.status IN ('open', 'acknowledged') AND r."repositoryId" IS NOT NULL AND r.severity = 'error')
  ) m(metric, key, week, counted) WHERE m.counted
$$;

CREATE FUNCTION specledger_dashboard_finding() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "DashboardCount" (metric, key, week, n)
    SELECT c.metric, c.key, c.week, sum(c.n) FROM new_rows r, specledger_dashboard_finding_rows(r) c GROUP BY 1, 2, 3;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "DashboardCount" (metric, key, week, n)
    SELECT metric, key, week, sum(n) FROM (
      SELECT c.metric, c.key, c.week, c.n FROM new_rows r, specledger_dashboard_finding_rows(r) c
      UNION ALL
      SELECT c.metric, c.key, c.week, -c.n FROM old_rows r, specledger_dashboard_finding_rows(r) c
    ) d GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
  ELSE
    INSERT INTO "DashboardCount" (metric, key, week, n)
    SELECT c.metric, c.key, c.week, -sum(c.n) FROM old_rows r, specledger_dashboard_finding_rows(r) c GROUP BY 1, 2, 3;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "Finding_dashboard_insert" AFTER INSERT ON "Finding"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION specledger_dashboard_finding();
CREATE TRIGGER "Finding_dashboard_update" AFTER UPDATE ON "Finding"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION specledger_dashboard_finding();
CREATE TRIGGER "Finding_dashboard_delete" AFTER DELETE ON "Finding"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION specledger_dashboard_finding();

-- The counts of the data already there.
INSERT INTO "DashboardCount" (metric, key, week, n)
SELECT c.metric, c.key, c.week, sum(c.n) FROM "Spec" r, specledger_dashboard_spec_rows(r) c GROUP BY 1, 2, 3 HAVING sum(c.n) <> 0;
INSERT INTO "DashboardCount" (metric, key, week, n)
SELECT 'born', s.kind, date_trunc('week', v."committedAt"::timestamptz), count(*)
FROM "SpecVersion" v JOIN "Spec" s ON s.id = v."specId" WHERE v.seq = 1 GROUP BY 1, 2, 3;
INSERT INTO "DashboardCount" (metric, key, week, n)
SELECT c.metric, c.key, c.week, sum(c.n) FROM "Finding" r, specledger_dashboard_finding_rows(r) c GROUP BY 1, 2, 3;
INSERT INTO "DashboardApproved" ("specId")
SELECT s.id FROM "Spec" s WHERE NOT s.deleted AND EXISTS (
  SELECT 1 FROM "Change" c WHERE c."specId" = s.id AND c.state = 'approved' AND c."currentHash" = s."currentHash");
INSERT INTO "DashboardCount" (metric, key, week, n) SELECT 'approved', '', NULL, count(*) FROM "DashboardApproved";
INSERT INTO "DashboardAgentFile" ("specId", size)
SELECT s.id, c.size FROM "Spec" s JOIN "Content" c ON c.hash = s."currentHash" WHERE NOT s.deleted AND s.kind = 'agent';

-- The oldest open finding of each type and severity, first: "needs attention" reads one row per type.
CREATE INDEX "Finding_attention_idx" ON "Finding" (type, severity, (coalesce("introducedAt", "firstSeenAt")), id) WHERE status = 'open';
-- The oldest unresolved duplicates first, for the duplicate clusters list.
CREATE INDEX "Finding_duplicates_idx" ON "Finding" (severity, "firstSeenAt") WHERE type = 'duplicate' AND status IN ('open', 'acknowledged');
