import type { CommitRecord, FileChange } from "@/lib/git/log";
import { bundledBySkill, type SpecKind } from "./kinds";

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
  /**
   * When history was rewritten and is replayed from the start: the stored spec that a file
   * first seen at (path, commit) continues, if any, so identities survive a force push.
   */
  identify?: (path: string, commitSha: string) => string | undefined;
}): HistoryPlan {
  const claimed = new Set<string>();
  const live = new Map(opts.live);
  const touched = new Map<string, TrackedSpec>();
  const versions: PlannedVersion[] = [];
  const deletions: PlannedDeletion[] = [];

  const end = (spec: TrackedSpec, commit: CommitRecord) => {
    live.delete(spec.path);
    touched.set(spec.id, spec);
    deletions.push({ specId: spec.id, commit });
  };
  // Helpers take the change and commit as arguments rather than closing over them: the
  // loop runs once per changed file (tens of thousands), so no function is made in it.
  const record = (spec: TrackedSpec, change: FileChange, commit: CommitRecord) => {
    touched.set(spec.id, spec);
    versions.push({ specId: spec.id, path: spec.path, blobId: change.newBlob, isSymlink: change.newMode === SYMLINK_MODE, commit });
  };
  // SKILL.md files added or changed by the commit being replayed: git lists a skill's README.md or
  // assets/ beside its SKILL.md in path order, so a bundled file may come before the SKILL.md it belongs to.
  let skillsInCommit = new Set<string>();
  const isSkill = (skillPath: string) => live.get(skillPath)?.kind === "skill" || skillsInCommit.has(skillPath);
  // A bundled file counts only inside a skill folder (lib/specs/kinds.ts, bundledBySkill).
  const kindOf = (path: string): SpecKind | null => {
    const kind = opts.classify(path);
    return kind === "skill-file" && !bundledBySkill(path, isSkill) ? null : kind;
  };
  const start = (path: string, change: FileChange, commit: CommitRecord) => {
    const kind = kindOf(path);
    if (!kind) return;
    const existing = live.get(path);
    const storedId = existing ? undefined : opts.identify?.(path, commit.sha);
    const reuse = storedId !== undefined && !claimed.has(storedId);
    if (reuse) claimed.add(storedId);
    const spec = existing ?? (reuse ? { id: storedId, path, kind, isNew: false } : { id: opts.newId(), path, kind, isNew: true });
    live.set(path, spec);
    record(spec, change, commit);
  };

  for (const commit of opts.commits) {
    if (skillsInCommit.size > 0) skillsInCommit = new Set();
    for (const c of commit.changes) if (c.status !== "D" && c.path.endsWith("SKILL.md") && opts.classify(c.path) === "skill") skillsInCommit.add(c.path);
    for (const change of commit.changes) {
      if (change.newMode === GITLINK_MODE || (change.status === "D" && change.oldMode === GITLINK_MODE)) continue;
      if (change.status === "D") {
        const spec = live.get(change.path);
        if (spec) end(spec, commit);
      } else if (change.status === "R") {
        const spec = live.get(change.oldPath);
        const kind = kindOf(change.path);
        if (spec && kind) {
          live.delete(change.oldPath);
          const moved = { ...spec, path: change.path, kind };
          live.set(change.path, moved);
          record(moved, change, commit);
        } else {
          if (spec) end(spec, commit);
          start(change.path, change, commit);
        }
      } else if (change.status === "M" && change.oldBlob === change.newBlob) {
        // A mode change only (chmod): the content, and so the version, is the same.
      } else {
        // A, M and T (type change, e.g. file to symlink) all bring new content at a path.
        start(change.path, change, commit);
      }
    }
  }
  return { versions, deletions, touched, live };
}

export interface StoredSpec {
  id: string;
  path: string;
  kind: SpecKind;
  deleted: boolean;
  versionCount: number;
  maxSeq: number;
  currentHash: string | null;
}

export interface SpecRow {
  id: string;
  path: string;
  kind: SpecKind;
  deleted: boolean;
  deletedAt: Date | null;
  deletedInCommit: string | null;
  currentHash: string | null;
  versionCount: number;
  isNew: boolean;
}

export interface VersionRow {
  specId: string;
  seq: number;
  version: PlannedVersion;
  contentHash: string;
}

/**
 * Turns a plan into the rows to write. Versions whose content was skipped (binary, too
 * large, ...) or that are already stored are left out; a new spec left without versions
 * never becomes a spec; new versions are numbered after the spec's highest stored one.
 * With `replayed` (history was rewritten and walked again from the start), stored live
 * specs the replay did not reach no longer exist at the head and are ended there.
 */
export function finalizePlan(opts: {
  plan: HistoryPlan;
  stored: Map<string, StoredSpec>;
  contentOf: (blobId: string) => string | undefined;
  isStored: (specId: string, commitSha: string) => boolean;
  head: { sha: string; committedAt: Date };
  replayed: boolean;
}): { specs: SpecRow[]; versions: VersionRow[] } {
  const { plan, stored } = opts;
  const bySpec = new Map<string, PlannedVersion[]>();
  for (const v of plan.versions) {
    if (opts.contentOf(v.blobId) === undefined || opts.isStored(v.specId, v.commit.sha)) continue;
    const list = bySpec.get(v.specId) ?? [];
    list.push(v);
    bySpec.set(v.specId, list);
  }
  const deletedBy = new Map(plan.deletions.map((d) => [d.specId, d.commit]));
  const liveIds = new Set([...plan.live.values()].map((s) => s.id));
  const specs: SpecRow[] = [];
  const versions: VersionRow[] = [];
  for (const spec of plan.touched.values()) {
    const planned = bySpec.get(spec.id) ?? [];
    const before = stored.get(spec.id);
    if (!before && planned.length === 0) continue;
    const deletion = liveIds.has(spec.id) ? null : (deletedBy.get(spec.id) ?? null);
    const last = planned.at(-1);
    specs.push({
      id: spec.id,
      path: spec.path,
      kind: spec.kind,
      deleted: deletion !== null,
      deletedAt: deletion?.committedAt ?? null,
      deletedInCommit: deletion?.sha ?? null,
      currentHash: last ? opts.contentOf(last.blobId)! : (before?.currentHash ?? null),
      versionCount: (before?.versionCount ?? 0) + planned.length,
      isNew: !before,
    });
    planned.forEach((version, index) =>
      versions.push({ specId: spec.id, seq: (before?.maxSeq ?? 0) + index + 1, version, contentHash: opts.contentOf(version.blobId)! }),
    );
  }
  if (opts.replayed) {
    for (const before of stored.values()) {
      if (plan.touched.has(before.id) || before.deleted) continue;
      specs.push({
        id: before.id,
        path: before.path,
        kind: before.kind,
        currentHash: before.currentHash,
        versionCount: before.versionCount,
        deleted: true,
        deletedAt: opts.head.committedAt,
        deletedInCommit: opts.head.sha,
        isNew: false,
      });
    }
  }
  return { specs, versions };
}
