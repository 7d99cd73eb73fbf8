import { handle } from "@/lib/http/route";
import { clearRepositoryCredential } from "@/lib/operations/repositories";

/** Admins: remove the repository's credential; later fetches go without one. */
export const POST = handle<{ id: string }>(clearRepositoryCredential, {
  input: async ({ params }) => ({ repositoryId: params.id }),
});
