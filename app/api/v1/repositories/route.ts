import { NextResponse } from "next/server";
import { addRepository, addRepositorySchema, localRootsFromEnv } from "@/lib/repositories";
import { listRepositories, publicRepository } from "@/lib/specs/queries";
import { readJson, withUser } from "@/lib/http/route";

export const GET = withUser("repositories:read", async ({ user }) => ({ repositories: await listRepositories(user) }));

export const POST = withUser("repositories:write", async ({ request, user }) => {
  const input = addRepositorySchema.parse(await readJson(request));
  const { repository, import: record } = await addRepository({
    source: input.source,
    name: input.name,
    requestedById: user.id,
    localRoots: localRootsFromEnv(),
  });
  return NextResponse.json({ repository: publicRepository(repository), import: record }, { status: 201 });
});
