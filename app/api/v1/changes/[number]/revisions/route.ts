import { NextResponse } from "next/server";
import { readJson, withUser } from "@/lib/http/route";
import { getChangeOrThrow, publicChange, reviseChange, revisionSchema } from "@/lib/reviews";

/** Uploads a new revision of a proposal: POST { content }. */
export const POST = withUser<{ number: string }>("reviews:propose", async ({ request, user, params }) => {
  const body = revisionSchema.parse(await readJson(request, 2 * 1_048_576));
  await reviseChange({ viewer: user, number: Number(params.number), content: body.content });
  return NextResponse.json(publicChange(await getChangeOrThrow(user, Number(params.number))), { status: 201 });
});
