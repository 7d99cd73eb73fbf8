import { getCheckOrThrow } from "@/lib/checks/run";
import { withUser } from "@/lib/http/route";

export const GET = withUser<{ id: string }>("repositories:read", ({ user, params }) => getCheckOrThrow(user, params.id));
