import { NextResponse } from "next/server";
import { z } from "zod";
import { readJson, withUser } from "@/lib/http/route";
import { changeFiltersSchema, findLiveSpecOrThrow, getChangeOrThrow, listChanges, proposeChange, publicChange } from "@/lib/reviews";

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

const proposeSchema = z
  .object({
    specId: z.string().min(1).max(100).optional(),
    repository: z.string().min(1).max(200).optional(),
    path: z.string().min(1).max(1000).optional(),
    content: z.string(),
    title: z.string(),
    description: z.string().optional(),
    supersedes: z.number().int().min(1).optional(),
  })
  .refine((b) => b.specId || (b.repository && b.path), { message: "Name the spec: specId, or repository and path." });

/** Opens a proposal: POST { specId | repository + path, content, title, description? }. */
export const POST = withUser("reviews:propose", async ({ request, user }) => {
  const body = proposeSchema.parse(await readJson(request, 2 * 1_048_576));
  const specId = body.specId ?? (await findLiveSpecOrThrow(user, { repository: body.repository!, path: body.path! })).id;
  const change = await proposeChange({ viewer: user, specId, ...body });
  return NextResponse.json(publicChange(await getChangeOrThrow(user, change.number)), { status: 201 });
});
