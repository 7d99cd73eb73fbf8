import type pg from "pg";
import { contractCandidates, sniffContractBlobs, sniffTree, SQL_STORED_CONTRACT_PATHS, type TreeEntry } from "@/lib/contracts/recognised";
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
 * there becomes one, its earlier history is only read by a replay from the start: `replayFromStart`.
 */
export async function contractsChanged(opts: {
  gitDir: string;
  base: string;
  head: string;
  governed: (path: string) => unknown;
}): Promise<{ paths: Set<string>; replayFromStart: boolean }> {
  const changed = parseRawDiff(await git([`--git-dir=${opts.gitDir}`, "diff-tree", "-r", "-z", "--no-renames", opts.base, opts.head]));
  const paths = await sniffContractBlobs(opts.gitDir, contractCandidates(changed, opts.governed));
  return { paths, replayFromStart: changed.some((c) => c.existed && paths.has(c.path)) };
}

/**
 * The regular files a `git diff-tree -r -z --no-renames` added or changed, with their new blob and
 * whether the path held a regular file before.
 * Each entry is ":<old mode> <new mode> <old id> <new id> <status>" then the path, NUL-separated.
 */
export function parseRawDiff(output: string): (TreeEntry & { existed: boolean })[] {
  const fields = output.split("\0");
  const out: (TreeEntry & { existed: boolean })[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const match = /^:(\d{6}) (\d{6}) [0-9a-f]+ ([0-9a-f]+) ([A-Z])/.exec(fields[i]);
    if (!match) {
      i -= 1; // not a header (diff-tree prints the commit id first when given one commit): realign
      continue;
    }
    const [, oldMode, newMode, blob, status] = match;
    if (status === "D" || !/^100(?:644|755)$/.test(newMode)) continue;
    out.push({ path: fields[i + 1], blob, existed: /^100(?:644|755)$/.test(oldMode) });
  }
  return out;
}
