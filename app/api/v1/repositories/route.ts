import { z } from "zod";
import { NextResponse } from "next/server";
import { addRepository, localRootsFromEnv } from "@/lib/repositories";
import { listRepositories, publicRepository } from "@/lib/specs/queries";
import { readJson, withUser } from "@/lib/http/route";

export const GET = withUser("repositories:read", async ({ user }) => ({ repositories: await listRepositories(user) }));

const addSchema = z.object({
  source: z.string().trim().min(1).max(2000),
  name: z.string().trim().min(1).max(100).optional(),
});

export const POST = withUser("repositories:write", async ({ request, user }) => {
  const input = addSchema.parse(await readJson(request));
  const { repository, import: record } = await addRepository({
    source: input.source,
    name: input.name,
    requestedById: user.id,
    localRoots: localRootsFromEnv(),
  });
  return NextResponse.json({ repository: publicRepository(repository), import: record }, { status: 201 });
});
