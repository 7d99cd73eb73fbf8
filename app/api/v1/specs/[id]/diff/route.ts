import { diffQuerySchema, diffSpecVersions } from "@/lib/specs/queries";
import { withUser } from "@/lib/http/route";

export const GET = withUser<{ id: string }>("specs:read", async ({ query, user, params }) => {
  const { from, to } = diffQuerySchema.parse(query);
  const result = await diffSpecVersions(user, { specId: params.id, fromSeq: from, toSeq: to });
  return {
    from: { seq: result.from.seq, commitSha: result.from.commitSha },
    to: { seq: result.to.seq, commitSha: result.to.commitSha },
    diff: result.diff,
    contract: result.contract,
  };
});
