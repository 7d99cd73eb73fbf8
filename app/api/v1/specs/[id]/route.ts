import { getSpecOrThrow } from "@/lib/specs/queries";
import { commitSubjects } from "@/lib/specs/commit-subjects";
import { withUser } from "@/lib/http/route";

export const GET = withUser<{ id: string }>("specs:read", async ({ user, params }) => {
  const spec = await getSpecOrThrow(user, params.id);
  const subjects = await commitSubjects(
    user,
    spec.repository.id,
    spec.versions.map((v) => v.commitSha),
  );
  return {
    id: spec.id,
    path: spec.path,
    kind: spec.kind,
    deleted: spec.deleted,
    deletedInCommit: spec.deletedInCommit,
    repository: spec.repository,
    feature: spec.feature ? { id: spec.feature.id, key: spec.feature.key, name: spec.feature.name } : null,
    currentHash: spec.currentHash,
    // The documented fields only: the signature details stay on the page (the API document has no identity).
    versions: spec.versions.map(({ identity: _identity, ...v }) => ({ ...v, subject: subjects.get(v.commitSha) ?? null })),
  };
});
