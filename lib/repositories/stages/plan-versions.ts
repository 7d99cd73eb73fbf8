import { randomUUID } from "node:crypto";
import type pg from "pg";
import { finalizePlan, planHistory, type SpecRow, type StoredSpec, type TrackedSpec, type VersionRow } from "@/lib/specs/history";
import type { SpecKind } from "@/lib/specs/kinds";
import type { HistoryRead } from "./read-history";

/** What the database already holds for a repository, as the planner needs it. */
export interface StoredHistory {
  specs: StoredSpec[];
  /** "path commit" → spec id, and "spec commit" → "": filled only when the history is replayed from the start. */
  known: Map<string, string>;
}

export interface SkippedFileRow {
  path: string;
  blobId: string;
  commitSha: string;
  reason: string;
  detail: string;
}

export interface VersionPlan {
  specs: SpecRow[];
  /** Sorted by spec, then seq: the order the versions are written in. */
  versions: VersionRow[];
  /** One row per skipped blob and path, at the first version that named it there. */
  skips: SkippedFileRow[];
}

/**
 * Loads the stored specs (live ones only for an incremental import) and, when the history
 * is replayed from the start, every stored (path, commit) and (spec, commit) so that
 * identities survive a force push and versions are not written twice.
 */
export async function loadStoredHistory(client: pg.PoolClient, opts: { repositoryId: string; incremental: boolean }): Promise<StoredHistory> {
  const stored = await client.query<StoredSpec>(
    `SELECT s.id, s.path, s.kind, s.deleted, s."versionCount", s."currentHash",
            coalesce((SELECT max(v.seq) FROM "SpecVersion" v WHERE v."specId" = s.id), 0) AS "maxSeq"
     FROM "Spec" s WHERE s."repositoryId" = $1 ${opts.incremental ? "AND NOT s.deleted" : ""}`,
    [opts.repositoryId],
  );
  const known = new Map<string, string>();
  if (!opts.incremental && stored.rows.length > 0) {
    const versions = await client.query<{ specId: string; path: string; commitSha: string }>(
      `SELECT v."specId", v.path, v."commitSha" FROM "SpecVersion" v JOIN "Spec" s ON s.id = v."specId" WHERE s."repositoryId" = $1`,
      [opts.repositoryId],
    );
    for (const v of versions.rows) {
      known.set(`${v.path} ${v.commitSha}`, v.specId);
      known.set(`${v.specId} ${v.commitSha}`, "");
    }
  }
  return { specs: stored.rows, known };
}

/**
 * Stage 2, plan versions: replays the commits read over what is stored and says which specs
 * and versions to write. A rewritten history (force push, or other kind rules) is walked
 * again from the start: a file first seen where a stored spec has a version keeps that
 * spec's identity, and versions already stored are not written twice. Pure.
 */
export function planVersions(opts: {
  history: Pick<HistoryRead, "commits" | "blobHash" | "skipped">;
  stored: StoredHistory;
  incremental: boolean;
  head: string;
  classify: (path: string) => SpecKind | null;
  newId?: () => string;
  /** When the head commit itself changed no recognised file, its time is unknown here: now stands in. */
  now?: Date;
}): VersionPlan {
  const { history, stored, incremental } = opts;
  const { known } = stored;
  const storedById = new Map(stored.specs.map((s) => [s.id, s]));
  const live = new Map<string, TrackedSpec>(incremental ? stored.specs.map((s) => [s.path, { id: s.id, path: s.path, kind: s.kind, isNew: false }]) : []);
  const plan = planHistory({
    commits: history.commits,
    live,
    classify: opts.classify,
    newId: opts.newId ?? randomUUID,
    identify: (specPath, commitSha) => (known.size > 0 ? known.get(`${specPath} ${commitSha}`) : undefined),
  });
  const headCommit = history.commits.at(-1);
  const { specs, versions } = finalizePlan({
    plan,
    stored: storedById,
    contentOf: (blobId) => history.blobHash.get(blobId),
    isStored: (specId, commitSha) => known.size > 0 && known.has(`${specId} ${commitSha}`),
    head: { sha: opts.head, committedAt: headCommit?.sha === opts.head ? headCommit.committedAt : (opts.now ?? new Date()) },
    replayed: !incremental && stored.specs.length > 0,
  });
  const skips = new Map<string, SkippedFileRow>();
  for (const v of plan.versions) {
    const skip = history.skipped.get(v.blobId);
    // Per path: the same bytes under two governed names are two files nobody can read.
    const key = `${v.path}\0${v.blobId}`;
    if (skip && !skips.has(key)) skips.set(key, { path: v.path, blobId: v.blobId, commitSha: v.commit.sha, ...skip });
  }
  // Versions go in index order: sorted by spec, with time-ordered ids given when they are
  // encoded, every index on (specId, ...) fills its pages left to right (decision 002).
  versions.sort((a, b) => (a.specId < b.specId ? -1 : a.specId > b.specId ? 1 : a.seq - b.seq));
  return { specs, versions, skips: [...skips.values()] };
}
