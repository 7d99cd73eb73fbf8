import { NextResponse } from "next/server";
import { readJson, withUser } from "@/lib/http/route";
import { changeFiltersSchema, findLiveSpecOrThrow, getChangeOrThrow, listChanges, proposeChange, proposeRequestSchema, publicChange } from "@/lib/reviews";

export const GET = withUser("reviews:read", async ({ request, user }) => {
  const filters = changeFiltersSchema.parse(Object.fromEntries(request.nextUrl.searchParams));
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
export const POST = withUser("reviews:propose", async ({ request, user }) => {
  const body = proposeRequestSchema.parse(await readJson(request, 2 * 1_048_576));
  const specId = body.specId ?? (await findLiveSpecOrThrow(user, { repository: body.repository!, path: body.path! })).id;
  const change = await proposeChange({ viewer: user, specId, ...body });
  return NextResponse.json(publicChange(await getChangeOrThrow(user, change.number)), { status: 201 });
});
