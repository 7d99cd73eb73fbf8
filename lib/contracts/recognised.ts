import { createHash } from "node:crypto";
import { readBlobs } from "@/lib/git/cat-file";
import { oneLineCause } from "@/lib/git/error-text";
import { git, gitWithStdin } from "@/lib/git/git";
import { fetchBlobs, missingBlobs, partialViewOf } from "@/lib/git/partial";
import { mayBeContract, MAX_SNIFF_BYTES, sniffContract } from "./sniff";

// Contracts recognised by content in a git repository (decision 051): the YAML and JSON files the
// kind rules do not name, read once through `cat-file --batch` and sniffed (lib/contracts/sniff.ts).

/** Joins the kind rules' hash: a repository imported before a change to these rules is replayed in full once. */
export const CONTENT_RULES_VERSION = "contracts-by-content/1";

export interface TreeEntry {
  path: string;
  blob: string;
}

/** A YAML or JSON regular file of a `git ls-tree -r -z` listing: one pass over the listing, not a match per entry. */
const LISTED_CANDIDATE = /(?:^|\0)100(?:644|755) blob ([0-9a-f]+)\t([^\0]*\.(?:ya?ml|json))(?=\0|$)/gi;

/** The entries of a `git ls-tree -r -z` listing whose content may declare a contract that `governed` does not already cover. */
export function candidatesInListing(listing: string, governed: (path: string) => unknown): TreeEntry[] {
  const out: TreeEntry[] = [];
  for (const [, blob, path] of listing.matchAll(LISTED_CANDIDATE)) if (mayBeContract(path) && !governed(path)) out.push({ path, blob });
  return out;
}

/** The entries whose content may declare a contract: a YAML or JSON name the kind rules leave alone. */
export function contractCandidates<T extends TreeEntry>(entries: Iterable<T>, classify: (path: string) => unknown): T[] {
  const out: T[] = [];
  for (const e of entries) if (mayBeContract(e.path) && !classify(e.path)) out.push(e);
  return out;
}

/**
 * The paths among `entries` whose content declares a contract. Blobs over the sniffing limit are not read
 * (`cat-file --batch-check` gives sizes first). A partial clone's store is read through its view after one
 * batch fetch of what is missing, as the import reads it (lib/git/partial.ts). A blob that cannot be read
 * is an error, never "not a contract": the import, the gate and the check would otherwise each govern less
 * than they should, and silently.
 */
export async function sniffContractBlobs(gitDir: string, entries: readonly TreeEntry[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (entries.length === 0) return found;
  const ids = [...new Set(entries.map((e) => e.blob))];
  try {
    const view = partialViewOf(gitDir);
    if (view) await fetchBlobs(gitDir, await missingBlobs(view, ids));
    const readFrom = view ?? gitDir;
    const sizes = await gitWithStdin([`--git-dir=${readFrom}`, "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"], ids.join("\n") + "\n");
    const readable: string[] = [];
    for (const [id, type, size] of sizes.split("\n").map((line) => line.split(" "))) {
      if (!id) continue;
      if (type === "missing") throw new Error(`the blob ${id} is missing`);
      if (type === "blob" && Number(size) > 0 && Number(size) <= MAX_SNIFF_BYTES) readable.push(id);
    }
    const contracts = new Set<string>();
    await readBlobs({
      gitDir: readFrom,
      blobIds: readable,
      onBlob: (id, bytes) => {
        if (!bytes) throw new Error(`the blob ${id} could not be read`);
        if (sniffContract(bytes)) contracts.add(id);
      },
    });
    for (const e of entries) if (contracts.has(e.blob)) found.add(e.path);
    return found;
  } catch (error) {
    const cause = oneLineCause(error instanceof Error ? error.message : String(error));
    throw new Error(`Could not read ${ids.length} YAML or JSON file${ids.length === 1 ? "" : "s"} to tell whether they are contracts: ${cause}`);
  }
}

/** The contracts by content of a commit's tree (`ls-tree -r -z` listing) that `governed` does not already cover. */
export function sniffTree(gitDir: string, listing: string, governed: (path: string) => unknown): Promise<Set<string>> {
  return sniffContractBlobs(gitDir, candidatesInListing(listing, governed));
}

/**
 * The contracts by content among what `to` adds or changes against `from` (`git diff-tree`), and whether
 * one of them was a regular file at `from` already.
 */
export async function sniffChanged(opts: {
  gitDir: string;
  from: string;
  to: string;
  governed: (path: string) => unknown;
}): Promise<{ paths: Set<string>; changed: (TreeEntry & { existed: boolean })[] }> {
  const changed = parseRawDiff(await git([`--git-dir=${opts.gitDir}`, "diff-tree", "-r", "-z", "--no-renames", opts.from, opts.to]));
  return { paths: await sniffContractBlobs(opts.gitDir, contractCandidates(changed, opts.governed)), changed };
}

/** One path of a raw diff: its blob on each side, null where that side holds no regular file. */
export interface RawChange {
  path: string;
  oldBlob: string | null;
  newBlob: string | null;
}

/**
 * Reads `git diff --raw -z --no-renames --no-abbrev` (or `diff-tree -r -z --no-renames`): each entry is
 * ":<old mode> <new mode> <old id> <new id> <status>" then the path, NUL-separated.
 */
export function parseRawChanges(output: string): RawChange[] {
  const fields = output.split("\0");
  const out: RawChange[] = [];
  for (let i = 0; i + 1 < fields.length;) {
    const match = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) [A-Z]/.exec(fields[i]);
    if (!match) {
      i += 1; // not an entry's header (a commit id, when diff-tree is given one commit)
      continue;
    }
    const [, oldMode, newMode, oldBlob, newBlob] = match;
    out.push({ path: fields[i + 1], oldBlob: REGULAR.test(oldMode) ? oldBlob : null, newBlob: REGULAR.test(newMode) ? newBlob : null });
    i += 2;
  }
  return out;
}
const REGULAR = /^100(?:644|755)$/;

/** The regular files a raw diff added or changed, with their new blob and whether the path held a regular file before. */
export function parseRawDiff(output: string): (TreeEntry & { existed: boolean })[] {
  return parseRawChanges(output).flatMap((c) => (c.newBlob ? [{ path: c.path, blob: c.newBlob, existed: c.oldBlob !== null }] : []));
}

/** The stored contracts the kind rules do not name (recognised by content when imported), deleted ones too. */
export const SQL_STORED_CONTRACT_PATHS = `SELECT path FROM "Spec" WHERE "repositoryId" = $1 AND kind = 'contract'`;

/**
 * What the import records as the kind rules it applied (`Repository.kindRulesHash`): the rules and the
 * version of the content rules. A repository whose hash differs has not been judged by these rules yet.
 */
export function kindRulesHash(rules: unknown): string {
  return createHash("sha256").update(JSON.stringify(rules)).update(CONTENT_RULES_VERSION).digest("hex");
}
