import { getVersionTextOrThrow } from "@/lib/specs/queries";
import { pathNumber, withUser } from "@/lib/http/route";

export const GET = withUser<{ id: string; seq: string }>("specs:read", async ({ user, params }) => {
  const version = await getVersionTextOrThrow(user, params.id, pathNumber(params.seq));
  return { ...version, content: undefined, spec: undefined, text: version.content.text };
});
