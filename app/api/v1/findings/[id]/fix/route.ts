import { handle } from "@/lib/http/route";
import { proposeFindingFix } from "@/lib/operations/findings";

/** Proposes the safe fix of a lint finding's file as a change: POST { contentHash?, title?, description? }. */
export const POST = handle<{ id: string }>(proposeFindingFix, {
  input: async ({ params, body }) => ({ ...((await body()) as object), findingId: params.id }),
  status: 201,
});
