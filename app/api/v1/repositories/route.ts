import { addRepository } from "@/lib/operations/repositories";
import { listRepositories, repositoriesQuerySchema } from "@/lib/specs/queries";
import { handle, withUser } from "@/lib/http/route";

export const GET = withUser("repositories:read", async ({ user, query }) => ({
  repositories: await listRepositories(user, repositoriesQuerySchema.parse(query)),
}));

/** 201 with the repository and its queued import; 409 when the source (or an alias of it) or the name is taken. */
export const POST = handle(addRepository, { status: 201 });
