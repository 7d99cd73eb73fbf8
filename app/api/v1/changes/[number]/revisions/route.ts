import { handle } from "@/lib/http/route";
import { reviseChange } from "@/lib/operations/reviews";
import { getChangeOrThrow, MAX_PROPOSAL_BYTES, publicChange } from "@/lib/reviews";

/** Uploads a new revision of a proposal: POST { content }. */
export const POST = handle<{ number: string }>(reviseChange, {
  input: async ({ params, body }) => ({ ...((await body()) as object), number: params.number }),
  status: 201,
  maxBodyBytes: 2 * MAX_PROPOSAL_BYTES + 65_536,
  respond: async (change, { viewer }) => publicChange(await getChangeOrThrow(viewer, change.number)),
});
