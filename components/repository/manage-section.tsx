import { ArchiveRepositoryForm, DeleteRepositoryForm, EditSourceForm } from "@/components/repository/lifecycle-forms";
import { Card, formatDate } from "@/components/ui";

/**
 * Archive, unarchive and delete. A repository whose imports never succeeded (a typo'd path, an
 * unreachable URL) says so and offers removal to admins; one with history can only be archived.
 */
export function ManageRepositorySection(props: {
  repository: { id: string; name: string; source: string; archivedAt: Date | null };
  neverImported: boolean;
  firstImportFailed: boolean;
  mayArchive: boolean;
  mayDelete: boolean;
}) {
  const { repository, neverImported, firstImportFailed, mayArchive, mayDelete } = props;
  if (!mayArchive && !mayDelete && !repository.archivedAt && !firstImportFailed) return null;
  return (
    <Card className={`mb-6 p-4 ${firstImportFailed ? "border-red-300" : ""}`}>
      <h2 className="mb-1 font-medium">{firstImportFailed ? "The first import failed" : "Archive or delete"}</h2>
      {repository.archivedAt ? (
        <p className="mb-2 text-sm text-amber-800" data-testid="archived-notice">
          Archived {formatDate(repository.archivedAt)}: hidden from lists and the dashboard; its history is kept.
        </p>
      ) : null}
      {firstImportFailed ? (
        <p className="mb-2 text-sm text-slate-600">
          Nothing was imported. Check the source above: if it is wrong,{" "}
          {mayDelete ? "remove this repository and add it again with the right one" : "ask an admin to remove it"}; if the server could not reach it, fix that
          and re-scan.
        </p>
      ) : null}
      <div className="space-y-3">
        {mayArchive && firstImportFailed ? <EditSourceForm repositoryId={repository.id} source={repository.source} /> : null}
        {mayArchive && !neverImported ? <ArchiveRepositoryForm repositoryId={repository.id} archived={repository.archivedAt !== null} /> : null}
        {mayDelete && neverImported ? (
          <DeleteRepositoryForm repositoryId={repository.id} name={repository.name} />
        ) : mayDelete ? (
          <p className="text-xs text-slate-500">It has history, so it cannot be deleted; archive it instead.</p>
        ) : null}
      </div>
    </Card>
  );
}
