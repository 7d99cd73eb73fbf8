import { handle } from "@/lib/http/route";
import { decideChange } from "@/lib/operations/reviews";
import { getChangeOrThrow, publicChange } from "@/lib/reviews";

/**
 * Records a decision: POST { kind, contentHash, body? }. kind is approve, request_changes,
 * reject, comment or override (admins, with a reason); contentHash is the SHA-256 of the
 * content reviewed, and a 409 says it is no longer current.
 */
export const POST = handle<{ number: string }>(decideChange, {
  input: async ({ params, body }) => ({ ...((await body()) as object), number: params.number }),
  status: 201,
  respond: async (result, { viewer }) => ({ state: result.state, change: publicChange(await getChangeOrThrow(viewer, result.number)) }),
});
