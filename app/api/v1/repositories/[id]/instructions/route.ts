import { effectiveInstructionsQuerySchema, getEffectiveInstructions } from "@/lib/instructions/queries";
import { withUser } from "@/lib/http/route";

export const GET = withUser<{ id: string }>("repositories:read", async ({ query, user, params }) => {
  const { agent, path } = effectiveInstructionsQuerySchema.parse(query);
  return getEffectiveInstructions(user, { repositoryId: params.id, agent, path });
});
