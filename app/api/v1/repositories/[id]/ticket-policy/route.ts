import { handle } from "@/lib/http/route";
import { setTicketPolicy } from "@/lib/operations/checks";

/** Maintainers: { policy: { prefixes, urlTemplate } } requires an issue key on every proposed change; { policy: null } turns it off. */
export const POST = handle<{ id: string }>(setTicketPolicy, {
  input: async ({ params, body }) => {
    const raw = await body();
    return { repositoryId: params.id, policy: raw && typeof raw === "object" && "policy" in raw ? (raw as { policy: unknown }).policy : undefined };
  },
});
