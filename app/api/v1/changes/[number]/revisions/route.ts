import { handle, PROPOSAL_BODY_BYTES } from "@/lib/http/route";
import { reviseChange } from "@/lib/operations/reviews";
import { getChangeOrThrow, publicChange } from "@/lib/reviews";

/** Uploads a new revision of a proposal: POST { content }. */
export const POST = handle<{ number: string }>(reviseChange, {
  input: async ({ params, body }) => ({ ...((await body()) as object), number: params.number }),
  status: 201,
  maxBodyBytes: PROPOSAL_BODY_BYTES,
  respond: async (change, { viewer }) => publicChange(await getChangeOrThrow(viewer, change.number)),
});
