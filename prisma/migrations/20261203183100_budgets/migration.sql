-- CreateEnum
CREATE TYPE "BudgetPeriod" AS ENUM ('day', 'week', 'month');

-- CreateEnum
CREATE TYPE "BudgetUnit" AS ENUM ('usd', 'tokens');

-- CreateTable
CREATE TABLE "SpecBudget" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "specId" TEXT,
    "pathGlob" TEXT,
    "target" TEXT NOT NULL,
    "period" "BudgetPeriod" NOT NULL,
    "unit" "BudgetUnit" NOT NULL,
    "amount" DECIMAL(20,6) NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SpecBudget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetWarning" (
    "budgetId" TEXT NOT NULL,
    "specId" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BudgetWarning_pkey" PRIMARY KEY ("budgetId","specId","periodStart")
);

-- CreateIndex
CREATE INDEX "SpecBudget_specId_idx" ON "SpecBudget"("specId");

-- CreateIndex
CREATE UNIQUE INDEX "SpecBudget_repositoryId_target_period_unit_key" ON "SpecBudget"("repositoryId", "target", "period", "unit");

-- AddForeignKey
ALTER TABLE "SpecBudget" ADD CONSTRAINT "SpecBudget_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpecBudget" ADD CONSTRAINT "SpecBudget_specId_fkey" FOREIGN KEY ("specId") REFERENCES "Spec"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetWarning" ADD CONSTRAINT "BudgetWarning_budgetId_fkey" FOREIGN KEY ("budgetId") REFERENCES "SpecBudget"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: a budget names one spec or one glob, never both or neither, and limits something.
ALTER TABLE "SpecBudget" ADD CONSTRAINT "SpecBudget_one_target" CHECK (("specId" IS NULL) <> ("pathGlob" IS NULL));
ALTER TABLE "SpecBudget" ADD CONSTRAINT "SpecBudget_amount_positive" CHECK (amount > 0);
