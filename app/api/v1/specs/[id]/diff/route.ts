import { diffQuerySchema, diffSpecVersions } from "@/lib/specs/queries";
import { withUser } from "@/lib/http/route";

export const GET = withUser<{ id: string }>("specs:read", async ({ request, user, params }) => {
  const { from, to } = diffQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  const result = await diffSpecVersions(user, { specId: params.id, fromSeq: from, toSeq: to });
  return { from: { seq: result.from.seq, commitSha: result.from.commitSha }, to: { seq: result.to.seq, commitSha: result.to.commitSha }, diff: result.diff };
});
