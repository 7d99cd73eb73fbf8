import { getSpecOrThrow } from "@/lib/specs/queries";
import { withUser } from "@/lib/http/route";

export const GET = withUser<{ id: string }>("specs:read", async ({ user, params }) => {
  const spec = await getSpecOrThrow(user, params.id);
  return {
    id: spec.id,
    path: spec.path,
    kind: spec.kind,
    deleted: spec.deleted,
    deletedInCommit: spec.deletedInCommit,
    repository: spec.repository,
    feature: spec.feature ? { id: spec.feature.id, key: spec.feature.key, name: spec.feature.name } : null,
    currentHash: spec.currentHash,
    versions: spec.versions,
  };
});
