import { handle } from "@/lib/http/route";
import { editRepositorySource } from "@/lib/operations/repositories";

/** { source }: points a repository that never imported anything at another source; 202 with its queued import. */
export const POST = handle<{ id: string }>(editRepositorySource, {
  status: 202,
  input: async ({ params, body }) => {
    const raw = await body();
    return { ...(raw && typeof raw === "object" ? raw : {}), repositoryId: params.id };
  },
});
