import { handle } from "@/lib/http/route";
import { setSyncPolicy } from "@/lib/operations/repositories";

/** Admins: minutes between scheduled fetches of a URL repository ({ syncIntervalMinutes: null } stops them). */
export const POST = handle<{ id: string }>(setSyncPolicy, {
  input: async ({ params, body }) => {
    const raw = await body();
    return { ...(raw && typeof raw === "object" ? raw : {}), repositoryId: params.id };
  },
});
