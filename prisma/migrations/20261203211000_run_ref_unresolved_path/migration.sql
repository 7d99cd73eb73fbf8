-- Budgets count a run that named a spec by repository and path at a commit not imported
-- (lib/runs/budgets.ts): those references are found by repository name and path. Partial:
-- resolved references, nearly all of them, are reached through their version.
CREATE INDEX "RunSpecRef_unresolved_path_idx" ON "RunSpecRef" ("repositoryName", path) WHERE "specVersionId" IS NULL;
