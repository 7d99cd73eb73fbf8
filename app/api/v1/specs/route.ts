import { listSpecs, specQuerySchema } from "@/lib/specs/queries";
import { withUser } from "@/lib/http/route";

export const GET = withUser("specs:read", async ({ query, user }) => {
  const filters = specQuerySchema.parse(query);
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
