import type pg from "pg";
import { contractCandidates, sniffContractBlobs, sniffTree, SQL_STORED_CONTRACT_PATHS, type TreeEntry } from "@/lib/contracts/recognised";
import { git } from "@/lib/git/git";

export interface RecognisedContracts {
  /** Paths governed as contracts by their content, for the whole import (the kind rules name the others). */
  paths: Set<string>;
  /** A file that was already there became a contract: its earlier history is only read by a replay from the start. */
  replayFromStart: boolean;
}

/**
 * Stage 0, contracts by content (decision 051): which YAML and JSON files the kind rules do not
 * name are contracts. A first import (or a replay) reads the head's tree; a later one only what
 * its commits added or changed, on top of the contracts already stored. A file recognised at the
 * head is governed for its whole history, as a file the kind rules name is.
 */
export async function recogniseContracts(
  client: pg.PoolClient,
  opts: { repositoryId: string; gitDir: string; head: string; base: string | null; classify: (path: string) => unknown },
): Promise<RecognisedContracts> {
  // Contracts stored before, that the kind rules do not name: recognised by content then, kept now (a
  // later edit that breaks the document does not make it ungoverned). A replay keeps deleted ones too.
  const stored = await client.query<{ path: string }>(`${SQL_STORED_CONTRACT_PATHS} ${opts.base ? "AND NOT deleted" : ""}`, [opts.repositoryId]);
  const known = new Set(stored.rows.map((r) => r.path).filter((p) => !opts.classify(p)));
  const governed = (path: string) => opts.classify(path) || known.has(path);
  const fromTree = async () => {
    const listing = await git([`--git-dir=${opts.gitDir}`, "ls-tree", "-r", "-z", "--full-tree", `${opts.head}^{commit}`]);
    return new Set([...known, ...(await sniffTree(opts.gitDir, listing, governed))]);
  };
  if (!opts.base) return { paths: await fromTree(), replayFromStart: false };

  const changed = parseRawDiff(await git([`--git-dir=${opts.gitDir}`, "diff-tree", "-r", "-z", "--no-renames", opts.base, opts.head]));
  const sniffed = await sniffContractBlobs(opts.gitDir, contractCandidates(changed, governed));
  if (sniffed.size === 0) return { paths: known, replayFromStart: false };
  if (changed.some((c) => c.existed && sniffed.has(c.path))) return { paths: await fromTree(), replayFromStart: true };
  return { paths: new Set([...known, ...sniffed]), replayFromStart: false };
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
