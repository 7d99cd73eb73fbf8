-- Last green and budget spend read a spec's runs through RunSpecRef (already covering runId
-- and kind) and then each run's outcome, time and cost: with these columns in the index the
-- join is answered from indexes alone. Prisma's schema cannot express INCLUDE.
CREATE INDEX "AgentRun_id_outcome_cost_idx" ON "AgentRun" (id) INCLUDE (outcome, "createdAt", "costUsd", "inputTokens", "outputTokens");
