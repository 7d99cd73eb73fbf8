import { NextResponse } from "next/server";
import { requestImport } from "@/lib/repositories";
import { getRepositoryOrThrow } from "@/lib/specs/queries";
import { withUser } from "@/lib/http/route";

export const GET = withUser<{ id: string }>("repositories:read", async ({ user, params }) => ({
  imports: (await getRepositoryOrThrow(user, params.id)).imports,
}));

/** Re-scan: queues an import (or returns the one already waiting). */
export const POST = withUser<{ id: string }>("imports:run", async ({ user, params }) => {
  const record = await requestImport({ repositoryId: params.id, requestedById: user.id });
  return NextResponse.json({ import: record }, { status: 202 });
});
