import { pathNumber, withUser } from "@/lib/http/route";
import { changePatch } from "@/lib/reviews";

/** The change as a unified diff against the content it was written on, for `git apply`. */
export const GET = withUser<{ number: string }>("reviews:read", async ({ user, params }) => {
  const { filename, patch } = await changePatch(user, pathNumber(params.number));
  return new Response(patch, {
    headers: { "content-type": "text/x-diff; charset=utf-8", "content-disposition": `attachment; filename="${filename}"` },
  });
});
