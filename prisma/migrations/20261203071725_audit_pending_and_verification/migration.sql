-- CreateTable
CREATE TABLE "AuditPendingEvent" (
    "id" BIGSERIAL NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" JSONB NOT NULL,

    CONSTRAINT "AuditPendingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditVerification" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "length" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "head" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "fullCheckAt" TIMESTAMP(3),

    CONSTRAINT "AuditVerification_pkey" PRIMARY KEY ("id")
);


-- One row: the cache of the last verified point of the chain.
ALTER TABLE "AuditVerification" ADD CONSTRAINT "AuditVerification_singleton" CHECK (id = 1);
