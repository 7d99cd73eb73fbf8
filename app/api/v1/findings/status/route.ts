import { readJson, withUser } from "@/lib/http/route";
import { findingStatusSchema, setFindingStatus } from "@/lib/findings/store";

/** Acknowledges, dismisses or reopens findings; answers how many changed (others were not in a state the action applies to). */
export const POST = withUser("reviews:decide", async ({ request, user }) => {
  const body = findingStatusSchema.parse(await readJson(request));
  return { changed: await setFindingStatus({ viewer: user, ...body }) };
});
