import { z } from "zod";
import { getVersionTextOrThrow } from "@/lib/specs/queries";
import { withUser } from "@/lib/http/route";

export const GET = withUser<{ id: string; seq: string }>("specs:read", async ({ user, params }) => {
  const seq = z.coerce.number().int().min(1).parse(params.seq);
  const version = await getVersionTextOrThrow(user, params.id, seq);
  return { ...version, content: undefined, text: version.content.text };
});
