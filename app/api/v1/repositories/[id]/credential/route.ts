import { handle } from "@/lib/http/route";
import { setRepositoryCredential } from "@/lib/operations/repositories";

/** Admins: set or rotate the repository's https token or SSH deploy key; the answer shows its kind and fingerprint, never the secret. */
export const POST = handle<{ id: string }>(setRepositoryCredential, {
  input: async ({ params, body }) => {
    const raw = await body();
    return { ...(raw && typeof raw === "object" ? raw : {}), repositoryId: params.id };
  },
});
