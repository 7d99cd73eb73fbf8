import type { CommitRecord } from "@/lib/git/log";
import type { SpecKind } from "./kinds";

/** A spec as the planner tracks it: `id` is a database id or a new one it made up. */
export interface TrackedSpec {
  id: string;
  path: string;
  kind: SpecKind;
  isNew: boolean;
}

export interface PlannedVersion {
  specId: string;
  path: string;
  blobId: string;
  isSymlink: boolean;
  commit: CommitRecord;
}

export interface PlannedDeletion {
  specId: string;
  commit: CommitRecord;
}

export interface HistoryPlan {
  versions: PlannedVersion[];
  deletions: PlannedDeletion[];
  /** Every spec touched, with its final path and kind (live ones are in `live`). */
  touched: Map<string, TrackedSpec>;
  /** Live specs by path after the last commit. */
  live: Map<string, TrackedSpec>;
}

const SYMLINK_MODE = "120000";
const GITLINK_MODE = "160000";

/**
 * Replays commits (oldest first) over the live specs and says which versions and deletions
 * they make. Renames keep a spec's identity; a file moved out of the recognised paths ends
 * its spec, one moved in starts a new one. Pure: no I/O, deterministic given `newId`.
 */
export function planHistory(opts: {
  commits: Iterable<CommitRecord>;
  live: Map<string, TrackedSpec>;
  classify: (path: string) => SpecKind | null;
  newId: () => string;
}): HistoryPlan {
  const live = new Map(opts.live);
  const touched = new Map<string, TrackedSpec>();
  const versions: PlannedVersion[] = [];
  const deletions: PlannedDeletion[] = [];

  const end = (spec: TrackedSpec, commit: CommitRecord) => {
    live.delete(spec.path);
    touched.set(spec.id, spec);
    deletions.push({ specId: spec.id, commit });
  };

  for (const commit of opts.commits) {
    for (const change of commit.changes) {
      if (change.newMode === GITLINK_MODE || (change.status === "D" && change.oldMode === GITLINK_MODE)) continue;
      const record = (spec: TrackedSpec) => {
        touched.set(spec.id, spec);
        versions.push({ specId: spec.id, path: spec.path, blobId: change.newBlob, isSymlink: change.newMode === SYMLINK_MODE, commit });
      };
      const start = (path: string) => {
        const kind = opts.classify(path);
        if (!kind) return;
        const existing = live.get(path);
        const spec = existing ?? { id: opts.newId(), path, kind, isNew: true };
        live.set(path, spec);
        record(spec);
      };

      if (change.status === "D") {
        const spec = live.get(change.path);
        if (spec) end(spec, commit);
      } else if (change.status === "R") {
        const spec = live.get(change.oldPath);
        const kind = opts.classify(change.path);
        if (spec && kind) {
          live.delete(change.oldPath);
          const moved = { ...spec, path: change.path, kind };
          live.set(change.path, moved);
          record(moved);
        } else {
          if (spec) end(spec, commit);
          start(change.path);
        }
      } else {
        // A, M and T (type change, e.g. file to symlink) all bring new content at a path.
        start(change.path);
      }
    }
  }
  return { versions, deletions, touched, live };
}
