-- The session is named by the JWT's `sid` claim, not its jti (decision 013). A rename
-- (Prisma would drop and re-add the column) keeps any rows already written.
ALTER TABLE "RevokedSession" RENAME COLUMN "jti" TO "sessionId";
