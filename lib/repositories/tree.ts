/** A governed file as the repository page lists it. */
export interface GovernedFile {
  id: string;
  path: string;
  kind: string;
  owners: string[];
  review: string;
  openFindings: number;
}

/** A folder of the tree: its subfolders and files, each sorted by name. */
export interface FileTreeFolder {
  name: string;
  path: string;
  folders: FileTreeFolder[];
  files: (GovernedFile & { name: string })[];
  /** Every file under this folder, at any depth. */
  count: number;
}

/**
 * Folds paths into a tree; a chain of folders holding one folder each collapses into one
 * node ("specs/001-checkout") so deep layouts stay short to read.
 */
export function buildFileTree(files: readonly GovernedFile[]): FileTreeFolder {
  const root: FileTreeFolder = { name: "", path: "", folders: [], files: [], count: 0 };
  for (const file of files) {
    const parts = file.path.split("/");
    let folder = root;
    folder.count++;
    for (const part of parts.slice(0, -1)) {
      let next = folder.folders.find((f) => f.name === part);
      if (!next) {
        next = { name: part, path: folder.path ? `${folder.path}/${part}` : part, folders: [], files: [], count: 0 };
        folder.folders.push(next);
      }
      next.count++;
      folder = next;
    }
    folder.files.push({ ...file, name: parts[parts.length - 1] });
  }
  return sortAndCollapse(root);
}

function sortAndCollapse(folder: FileTreeFolder): FileTreeFolder {
  let node = folder;
  while (node.path !== "" && node.files.length === 0 && node.folders.length === 1) {
    const only = node.folders[0];
    node = { ...only, name: `${node.name}/${only.name}` };
  }
  return {
    ...node,
    folders: node.folders.map(sortAndCollapse).sort((a, b) => a.name.localeCompare(b.name)),
    files: [...node.files].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** How long an import took, in words short enough for a table cell; null while it runs. */
export function importDuration(startedAt: Date | null, finishedAt: Date | null): string | null {
  if (!startedAt || !finishedAt) return null;
  const ms = Math.max(0, finishedAt.getTime() - startedAt.getTime());
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${seconds % 60} s`;
}
