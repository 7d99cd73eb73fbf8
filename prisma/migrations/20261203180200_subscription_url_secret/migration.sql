-- AlterTable
ALTER TABLE "NotificationSubscription" ADD COLUMN     "urlSecret" TEXT;

-- Existing slack subscriptions keep their clear URL until the notification worker starts
-- (sealSlackUrls) or first delivers to them: SQL cannot encrypt with SPECLEDGER_SECRET_KEY.
-- Every view and audit payload masks slack URLs meanwhile (docs/decisions/033).
