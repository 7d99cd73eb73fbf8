import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { loadOr404, pageNumber } from "@/lib/http/page";
import { getChangeOrThrow } from "@/lib/reviews";
import { ProposalEditor } from "@/components/proposal-editor";
import { PageHeader } from "@/components/ui";

export default async function RevisePage({ params }: { params: Promise<{ number: string }> }) {
  const user = await requireUser("reviews:propose");
  const { number } = await params;
  const detail = await loadOr404(getChangeOrThrow(user, pageNumber(number)));
  if (!detail.can.revise) notFound();
  return (
    <>
      <PageHeader
        title={`Revise #${detail.change.number} ${detail.change.title}`}
        description="A new revision dismisses approvals of the current one, unless its bytes are identical."
      />
      <ProposalEditor mode="revise" number={detail.change.number} path={detail.change.spec.path} baseText={detail.baseText} initialText={detail.currentText} />
    </>
  );
}
