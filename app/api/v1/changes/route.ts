import { handle, PROPOSAL_BODY_BYTES, withUser } from "@/lib/http/route";
import { proposeChange } from "@/lib/operations/reviews";
import { changeFiltersSchema, getChangeOrThrow, listChanges, publicChange } from "@/lib/reviews";

export const GET = withUser("reviews:read", async ({ query, user }) => {
  const filters = changeFiltersSchema.parse(query);
  const { changes, total } = await listChanges(user, filters);
  return {
    total,
    changes: changes.map((c) => ({
      number: c.number,
      title: c.title,
      origin: c.origin,
      state: c.state,
      currentHash: c.currentHash,
      spec: { id: c.spec.id, path: c.spec.path, repository: c.spec.repository, owners: c.spec.owners },
      author: c.revisions[0]?.authorLabel ?? null,
      createdAt: c.createdAt,
    })),
  };
});

/** Opens a proposal: POST { specId | repository + path, content, title, description? }. */
export const POST = handle(proposeChange, {
  status: 201,
  maxBodyBytes: PROPOSAL_BODY_BYTES,
  respond: async (change, { viewer }) => publicChange(await getChangeOrThrow(viewer, change.number)),
});
