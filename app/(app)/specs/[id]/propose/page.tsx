import { requireUser } from "@/lib/auth/session";
import { loadOr404 } from "@/lib/http/page";
import { getSpecOrThrow, getVersionTextOrThrow } from "@/lib/specs/queries";
import { ProposalEditor } from "@/components/proposal-editor";
import { EmptyState, PageHeader } from "@/components/ui";

export default async function ProposePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("reviews:propose");
  const { id } = await params;
  const spec = await loadOr404(getSpecOrThrow(user, id));
  const latest = spec.versions[0];
  if (spec.deleted || !latest) {
    return <EmptyState title="This spec was deleted.">Proposals change live specs only.</EmptyState>;
  }
  const current = await loadOr404(getVersionTextOrThrow(user, spec.id, latest.seq));
  return (
    <>
      <PageHeader
        title={
          <span>
            Propose a change to <span className="font-mono text-xl">{spec.path}</span>
          </span>
        }
        description={`In ${spec.repository.name}, against version ${latest.seq} (${latest.commitSha.slice(0, 7)}). Owners review it; once approved, apply the patch to the repository.`}
      />
      <ProposalEditor mode="propose" specId={spec.id} path={spec.path} baseText={current.content.text} initialText={current.content.text} />
    </>
  );
}
