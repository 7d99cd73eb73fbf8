import { pathNumber, withUser } from "@/lib/http/route";
import { getChangeOrThrow, publicChange } from "@/lib/reviews";

export const GET = withUser<{ number: string }>("reviews:read", async ({ user, params }) =>
  publicChange(await getChangeOrThrow(user, pathNumber(params.number))),
);
