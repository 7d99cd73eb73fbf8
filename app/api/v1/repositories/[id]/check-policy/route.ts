import { handle } from "@/lib/http/route";
import { setCheckPolicy } from "@/lib/operations/checks";

/** Admins: which findings fail this repository's pull-request checks ({ policy: null } restores the default). */
export const POST = handle<{ id: string }>(setCheckPolicy, {
  input: async ({ params, body }) => {
    const raw = await body();
    return { repositoryId: params.id, policy: raw && typeof raw === "object" && "policy" in raw ? (raw as { policy: unknown }).policy : undefined };
  },
});
