import Link from "next/link";
import { buildFileTree, type FileTreeFolder, type GovernedFile } from "@/lib/repositories/tree";
import { plural } from "@/lib/text";
import { KindBadge, ReviewStateBadge } from "@/components/status";
import { Card } from "@/components/ui";

/** The repository's governed files as a folder tree, each with its kind, review state, owners and open findings. */
export function GovernedFilesSection({ files, total, limit, repositoryId }: { files: GovernedFile[]; total: number; limit: number; repositoryId: string }) {
  const tree = buildFileTree(files);
  return (
    <Card className="mt-6 p-4">
      <h2 className="font-medium">Governed files</h2>
      <p className="mb-3 text-sm text-slate-600">
        {plural(total, "file")} Specledger tracks here, with the review state of each file&apos;s current content.{" "}
        <Link href={`/specs?repositoryId=${repositoryId}`} className="text-sky-700 underline">
          As a list
        </Link>
      </p>
      {total > files.length ? <p className="mb-2 text-xs text-amber-700">The first {limit} by path are shown; the list has them all.</p> : null}
      {files.length === 0 ? (
        <p className="text-sm text-slate-500">No governed files yet.</p>
      ) : (
        <div className="overflow-x-auto" data-testid="file-tree">
          <FolderContents folder={tree} />
        </div>
      )}
    </Card>
  );
}

function FolderContents({ folder }: { folder: FileTreeFolder }) {
  return (
    <ul className="space-y-0.5 text-sm">
      {folder.folders.map((child) => (
        <li key={child.path}>
          <details open>
            <summary className="cursor-pointer font-mono text-xs text-slate-700">
              {child.name}/ <span className="font-sans text-slate-500">({child.count})</span>
            </summary>
            <div className="ml-4 border-l border-slate-200 pl-3">
              <FolderContents folder={child} />
            </div>
          </details>
        </li>
      ))}
      {folder.files.map((file) => (
        <li key={file.id} className="flex flex-wrap items-center gap-2 py-0.5" data-path={file.path}>
          <Link href={`/specs/${file.id}`} className="font-mono text-xs text-sky-700 hover:underline">
            {file.name}
          </Link>
          <KindBadge kind={file.kind} />
          <ReviewStateBadge state={file.review} />
          <span className="text-xs text-slate-500">{file.owners.length > 0 ? file.owners.join(", ") : <span className="text-amber-700">unowned</span>}</span>
          {file.openFindings > 0 ? (
            <Link href={`/findings?spec=${file.id}`} className="text-xs text-amber-700 hover:underline">
              {plural(file.openFindings, "finding")}
            </Link>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
