import { handle } from "@/lib/http/route";
import { deleteRepository } from "@/lib/operations/repositories";

/** Admins: deletes a repository that never imported anything; { confirmName } must be its name. */
export const POST = handle<{ id: string }>(deleteRepository, {
  input: async ({ params, body }) => {
    const raw = await body();
    return { ...(raw && typeof raw === "object" ? raw : {}), repositoryId: params.id };
  },
});
