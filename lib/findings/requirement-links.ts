// How a requirement's test links read in SQL, shared by the dashboard's requirement figures
// (lib/requirements/fleet.ts) and the requirement-oracle check, which sits below lib/requirements.
import { Prisma } from "@/lib/db";

/**
 * When the newest test linked to requirement `r` (of spec `s`) last changed, NULL without one:
 * mentions of its key in the repository's tests, bare or qualified with its spec's feature
 * folder, and its `[@test path]` links that exist.
 */
export const NEWEST_TEST_SQL = Prisma.sql`GREATEST(
  (SELECT max(m."testChangedAt") FROM "TestMention" m
   WHERE m."repositoryId" = s."repositoryId" AND m.key = r.key
     AND (m.feature = '' OR regexp_replace(s.path, '/[^/]*$', '') = m.feature OR right(regexp_replace(s.path, '/[^/]*$', ''), length(m.feature) + 1) = '/' || m.feature)),
  (SELECT max(l."testChangedAt") FROM "RequirementTestLink" l WHERE l."requirementId" = r.id AND NOT l.missing)
)`;
