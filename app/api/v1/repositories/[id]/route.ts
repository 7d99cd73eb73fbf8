import { getRepositoryOrThrow } from "@/lib/specs/queries";
import { withUser } from "@/lib/http/route";

export const GET = withUser<{ id: string }>("repositories:read", async ({ user, params }) => ({
  repository: await getRepositoryOrThrow(user, params.id),
}));
