import type pg from "pg";
import { sniffChanged, sniffTree, SQL_STORED_CONTRACT_PATHS } from "@/lib/contracts/recognised";
import { git } from "@/lib/git/git";

/**
 * Contracts stored before that the kind rules do not name: recognised by content then, kept now (a later
 * edit that breaks the document does not make it ungoverned; one deleted and brought back is one again).
 */
export async function storedContractPaths(client: pg.PoolClient, opts: { repositoryId: string; classify: (path: string) => unknown }): Promise<Set<string>> {
  const stored = await client.query<{ path: string }>(SQL_STORED_CONTRACT_PATHS, [opts.repositoryId]);
  return new Set(stored.rows.map((r) => r.path).filter((p) => !opts.classify(p)));
}

/**
 * Contracts by content at the head (decision 051): the YAML and JSON files of its tree that `governed`
 * does not cover, sniffed. A first import (or a replay) runs it while the log streams: the read keeps
 * those files' blobs waiting until this says which are contracts (lib/repositories/stages/read-history.ts).
 * A file recognised at the head is governed for its whole history, as a file the kind rules name is.
 */
export async function contractsAtHead(opts: { gitDir: string; head: string; governed: (path: string) => unknown }): Promise<Set<string>> {
  const listing = await git([`--git-dir=${opts.gitDir}`, "ls-tree", "-r", "-z", "--full-tree", `${opts.head}^{commit}`]);
  return sniffTree(opts.gitDir, listing, opts.governed);
}

/**
 * Contracts by content in what the commits after `base` added or changed. When a file that was already
 * there becomes one, or one whose path had a history before `base` (deleted, then brought back), its
 * earlier history is only read by a replay from the start: `replayFromStart`. An import's answer then
 * does not depend on how often it ran.
 */
export async function contractsChanged(opts: {
  gitDir: string;
  base: string;
  head: string;
  governed: (path: string) => unknown;
}): Promise<{ paths: Set<string>; replayFromStart: boolean }> {
  const { paths, changed } = await sniffChanged({ gitDir: opts.gitDir, from: opts.base, to: opts.head, governed: opts.governed });
  if (paths.size === 0) return { paths, replayFromStart: false };
  if (changed.some((c) => c.existed && paths.has(c.path))) return { paths, replayFromStart: true };
  // One `git log` over the new contracts' paths up to the base: any commit there is an earlier history.
  const earlier = await git([`--git-dir=${opts.gitDir}`, "log", "-1", "--format=%H", opts.base, "--", ...[...paths].map((p) => `:(literal)${p}`)]);
  return { paths, replayFromStart: earlier.trim() !== "" };
}
