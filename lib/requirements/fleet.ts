// Fleet-wide requirement figures for the dashboard, in one query of their own (decision 034).
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { NEWEST_TEST_SQL } from "@/lib/findings/requirement-links";
import type { RequirementSummary } from "./queries";

export interface FleetRequirementFigures extends RequirementSummary {
  specs: number;
}

/**
 * Live requirements of live specs across every repository: how many, how many have a test,
 * how many are suspect (changed after every linked test last changed).
 */
export async function fleetRequirementFigures(viewer: Actor): Promise<FleetRequirementFigures> {
  assertCan(viewer, "specs:read");
  const [row] = await db.$queryRaw<Array<{ count: number; withTest: number; suspect: number; specs: number }>>`
    WITH r AS (
      SELECT r."specId", r."changedAt",
             ${NEWEST_TEST_SQL} AS tested
      FROM "Requirement" r JOIN "Spec" s ON s.id = r."specId"
      WHERE NOT r.removed AND NOT s.deleted
    )
    SELECT count(*)::int AS count, count(tested)::int AS "withTest", count(*) FILTER (WHERE tested < "changedAt")::int AS suspect,
           count(DISTINCT "specId")::int AS specs
    FROM r`;
  const share = (n: number) => (row.count === 0 ? 0 : Math.round((n / row.count) * 1000) / 1000);
  return { ...row, shareWithTest: share(row.withTest), shareSuspect: share(row.suspect) };
}
