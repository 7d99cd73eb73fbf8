import { handle } from "@/lib/http/route";
import { archiveRepository } from "@/lib/operations/repositories";

/** { archived: true } archives the repository (hidden from lists, history kept); { archived: false } brings it back. */
export const POST = handle<{ id: string }>(archiveRepository, {
  input: async ({ params, body }) => {
    const raw = await body();
    return { ...(raw && typeof raw === "object" ? raw : {}), repositoryId: params.id };
  },
});
