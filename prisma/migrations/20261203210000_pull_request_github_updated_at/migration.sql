-- A pull request's updated_at as GitHub last sent it: an out-of-order delivery about an older
-- state changes nothing (lib/webhooks/github.ts).
ALTER TABLE "PullRequest" ADD COLUMN "githubUpdatedAt" TIMESTAMP(3);
