import { readBlobs } from "@/lib/git/cat-file";
import { gitWithStdin } from "@/lib/git/git";
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
 * The paths among `entries` whose content declares a contract. Blobs over the sniffing limit are
 * not read (`cat-file --batch-check` gives sizes first). A partial clone's store is read through
 * its view after one batch fetch of what is missing, as the import reads it (lib/git/partial.ts).
 */
export async function sniffContractBlobs(gitDir: string, entries: readonly TreeEntry[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (entries.length === 0) return found;
  const ids = [...new Set(entries.map((e) => e.blob))];
  const view = partialViewOf(gitDir);
  if (view) await fetchBlobs(gitDir, await missingBlobs(view, ids)).catch(() => {}); // what stays missing is not recognised
  const readFrom = view ?? gitDir;
  const sizes = await gitWithStdin([`--git-dir=${readFrom}`, "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"], ids.join("\n") + "\n");
  const readable = sizes
    .split("\n")
    .map((line) => line.split(" "))
    .filter(([id, type, size]) => id && type === "blob" && Number(size) > 0 && Number(size) <= MAX_SNIFF_BYTES)
    .map(([id]) => id);
  const contracts = new Set<string>();
  await readBlobs({ gitDir: readFrom, blobIds: readable, onBlob: (id, bytes) => void (bytes && sniffContract(bytes) && contracts.add(id)) });
  for (const e of entries) if (contracts.has(e.blob)) found.add(e.path);
  return found;
}

/** The contracts by content of a commit's tree (`ls-tree -r -z` listing) that `governed` does not already cover. */
export function sniffTree(gitDir: string, listing: string, governed: (path: string) => unknown): Promise<Set<string>> {
  return sniffContractBlobs(gitDir, candidatesInListing(listing, governed));
}

/** The stored contracts the kind rules do not name: recognised by content when imported. */
export const SQL_STORED_CONTRACT_PATHS = `SELECT path FROM "Spec" WHERE "repositoryId" = $1 AND kind = 'contract'`;
