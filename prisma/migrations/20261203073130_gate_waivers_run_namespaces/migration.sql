-- DropIndex
DROP INDEX "AgentRun_externalId_key";

-- CreateTable
CREATE TABLE "GateWaiver" (
    "id" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,

    CONSTRAINT "GateWaiver_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GateWaiver_service_version_environment_idx" ON "GateWaiver"("service", "version", "environment");

-- CreateIndex
CREATE INDEX "GateWaiver_environment_createdAt_idx" ON "GateWaiver"("environment", "createdAt");

-- CreateIndex
CREATE INDEX "AgentRun_externalId_idx" ON "AgentRun"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "AgentRun_reportedById_externalId_key" ON "AgentRun"("reportedById", "externalId");

-- Hand-written: who created and revoked a waiver are users (kept without Prisma relations).
ALTER TABLE "GateWaiver" ADD CONSTRAINT "GateWaiver_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "GateWaiver" ADD CONSTRAINT "GateWaiver_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "GateWaiver" ADD CONSTRAINT "GateWaiver_revocation_check" CHECK (("revokedAt" IS NULL) = ("revokedById" IS NULL));

-- A waiver is a record of a decision: it is never deleted, and the only change is its one revocation.
CREATE FUNCTION gate_waiver_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'GateWaiver rows are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD."revokedAt" IS NOT NULL
     OR (NEW.id, NEW.service, NEW.version, NEW.environment, NEW.reason, NEW."expiresAt", NEW."createdById", NEW."createdAt")
        IS DISTINCT FROM (OLD.id, OLD.service, OLD.version, OLD.environment, OLD.reason, OLD."expiresAt", OLD."createdById", OLD."createdAt") THEN
    RAISE EXCEPTION 'A GateWaiver changes only once, when it is revoked' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "GateWaiver_guard" BEFORE UPDATE OR DELETE ON "GateWaiver" FOR EACH ROW EXECUTE FUNCTION gate_waiver_guard();
