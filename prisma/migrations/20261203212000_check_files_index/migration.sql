-- The spec page lists the pull-request checks that judged its path (lib/checks/queries.ts
-- getSpecChecks): a containment query on the checks' files, through this index rather than by
-- reading every check of the repository.
CREATE INDEX "Check_files_idx" ON "Check" USING gin (files jsonb_path_ops);
