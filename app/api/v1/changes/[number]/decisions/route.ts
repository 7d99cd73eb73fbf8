import { NextResponse } from "next/server";
import { queueFindingsForChange } from "@/lib/findings/jobs";
import { readJson, withUser } from "@/lib/http/route";
import { decideChange, decisionSchema, getChangeOrThrow, publicChange } from "@/lib/reviews";

/**
 * Records a decision: POST { kind, contentHash, body? }. kind is approve, request_changes,
 * reject, comment or override (admins, with a reason); contentHash is the SHA-256 of the
 * content reviewed, and a 409 says it is no longer current.
 */
export const POST = withUser<{ number: string }>("reviews:decide", async ({ request, user, params }) => {
  const body = decisionSchema.parse(await readJson(request));
  const result = await decideChange({ viewer: user, number: Number(params.number), ...body });
  await queueFindingsForChange(Number(params.number));
  return NextResponse.json({ state: result.state, change: publicChange(await getChangeOrThrow(user, Number(params.number))) }, { status: 201 });
});
