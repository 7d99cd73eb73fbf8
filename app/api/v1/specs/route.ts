import { z } from "zod";
import { listSpecs } from "@/lib/specs/queries";
import { SPEC_KINDS } from "@/lib/specs/kinds";
import { withUser } from "@/lib/http/route";

const querySchema = z.object({
  q: z.string().max(200).optional(),
  repositoryId: z.string().max(100).optional(),
  kind: z.enum(SPEC_KINDS as [string, ...string[]]).optional(),
  featureId: z.string().max(100).optional(),
  deleted: z.enum(["live", "deleted", "all"]).optional(),
  owner: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000).optional(),
});

export const GET = withUser("specs:read", async ({ request, user }) => {
  const filters = querySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  const result = await listSpecs(user, filters as Parameters<typeof listSpecs>[1]);
  return {
    specs: result.rows.map((s) => ({
      id: s.id,
      path: s.path,
      kind: s.kind,
      deleted: s.deleted,
      repository: s.repository,
      feature: s.feature,
      currentHash: s.currentHash,
      versionCount: s.versionCount,
      owners: s.owners,
    })),
    total: result.total,
    page: result.page,
    pageSize: result.pageSize,
  };
});
