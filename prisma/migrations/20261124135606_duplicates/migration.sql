-- CreateTable
CREATE TABLE "ContentSignature" (
    "hash" TEXT NOT NULL,
    "signature" BYTEA NOT NULL,
    "shingles" INTEGER NOT NULL,

    CONSTRAINT "ContentSignature_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "DuplicateDecision" (
    "key" TEXT NOT NULL,
    "dismissed" BOOLEAN NOT NULL DEFAULT false,
    "canonicalSpecId" TEXT,
    "decidedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DuplicateDecision_pkey" PRIMARY KEY ("key")
);

-- AddForeignKey
ALTER TABLE "ContentSignature" ADD CONSTRAINT "ContentSignature_hash_fkey" FOREIGN KEY ("hash") REFERENCES "Content"("hash") ON DELETE RESTRICT ON UPDATE CASCADE;

