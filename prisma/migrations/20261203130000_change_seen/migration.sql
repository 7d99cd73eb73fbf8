-- CreateTable
CREATE TABLE "ChangeSeen" (
    "userId" TEXT NOT NULL,
    "changeId" TEXT NOT NULL,
    "seenSeq" BIGINT NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChangeSeen_pkey" PRIMARY KEY ("userId","changeId")
);

-- AddForeignKey
ALTER TABLE "ChangeSeen" ADD CONSTRAINT "ChangeSeen_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeSeen" ADD CONSTRAINT "ChangeSeen_changeId_fkey" FOREIGN KEY ("changeId") REFERENCES "Change"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

