import { requestImport } from "@/lib/operations/repositories";
import { getRepositoryOrThrow } from "@/lib/specs/queries";
import { handle, withUser } from "@/lib/http/route";

export const GET = withUser<{ id: string }>("repositories:read", async ({ user, params }) => ({
  imports: (await getRepositoryOrThrow(user, params.id)).imports,
}));

/** Re-scan: queues an import (or returns the one already waiting or running). */
export const POST = handle<{ id: string }, typeof requestImport>(requestImport, {
  status: 202,
  input: ({ params }) => ({ repositoryId: params.id }),
  respond: (record) => ({ import: record }),
});
