import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { git, gitWithStdin } from "./git";

// A local source that is a partial clone (`git clone --filter=blob:none`) lacks most blobs.
// Reading it in place made git fetch each missing blob on its own, into the user's own
// repository (1,586 fetches in one import, issue 17 §1), although local sources are read-only.
// Instead Specledger reads it through a store of its own under the storage root: a bare
// repository whose alternates name the user's objects (read, never written) and whose promisor
// remote is the user's, so whatever git fetches lands in the store. A second bare repository,
// the "view", sees the same objects without a promisor remote: there a missing blob is reported
// missing instead of fetched, which lets the importer fetch every missing blob in ONE batch.
// Decision 038.

const STORE_SUFFIX = ".partial.git";
const VIEW_SUFFIX = ".partial-view.git";

/** The promisor remote of a partial clone (name, URL, filter), or null for a complete repository. */
export async function promisorRemoteOf(gitDir: string): Promise<{ name: string; url: string; filter: string } | null> {
  // Most repositories are complete: their config file says so without starting git twice
  // (a clone writes these keys into that file; an included file is asked about through git).
  const text = fs.existsSync(path.join(gitDir, "config")) ? fs.readFileSync(path.join(gitDir, "config"), "utf8") : "";
  if (!/promisor|partialclone|\[include/i.test(text) && !fs.existsSync(path.join(gitDir, "commondir"))) return null;
  const read = (key: string) => git([`--git-dir=${gitDir}`, "config", "--get", key]).catch(() => "");
  // Older clones name their promisor in extensions.partialClone; since git 2.39 or so, clones
  // only mark the remote (remote.<name>.promisor = true).
  const marked = await git([`--git-dir=${gitDir}`, "config", "--bool", "--get-regexp", "^remote\\..+\\.promisor$"]).catch(() => "");
  const name = (await read("extensions.partialClone")) || /^remote\.(.+)\.promisor true$/m.exec(marked)?.[1];
  if (!name) return null;
  const url = await read(`remote.${name}.url`);
  if (!url) return null;
  return { name, url, filter: (await read(`remote.${name}.partialclonefilter`)) || "blob:none" };
}

/**
 * The git directory Specledger reads a local repository through: the repository itself when
 * it is complete, else its store under `root` (created on first use, its alternates kept
 * pointing at the repository's objects).
 */
export async function readableGitDir(opts: { root: string; id: string; localGitDir: string }): Promise<string> {
  const remote = await promisorRemoteOf(opts.localGitDir);
  if (!remote) return opts.localGitDir;
  // A linked worktree's git directory keeps its objects in the common directory.
  const common = await git([`--git-dir=${opts.localGitDir}`, "rev-parse", "--git-common-dir"]);
  const objects = path.join(fs.realpathSync(path.resolve(opts.localGitDir, common)), "objects");
  const [store, view] = partialStoreDirs(opts.root, opts.id);
  await ensureBare(store, async (dir) => {
    const config = (key: string, value: string) => git([`--git-dir=${dir}`, "config", key, value]);
    await config("core.repositoryformatversion", "1");
    await config("extensions.partialClone", "origin");
    await config("remote.origin.url", remote.url);
    await config("remote.origin.promisor", "true");
    await config("remote.origin.partialclonefilter", remote.filter);
  });
  await ensureBare(view, async () => {});
  // Rewritten when they differ: the user may have moved the repository or changed its remote.
  writeIfChanged(path.join(store, "objects", "info", "alternates"), `${objects}\n`);
  writeIfChanged(path.join(view, "objects", "info", "alternates"), `${path.join(store, "objects")}\n`);
  if ((await git([`--git-dir=${store}`, "config", "--get", "remote.origin.url"]).catch(() => "")) !== remote.url) {
    await git([`--git-dir=${store}`, "config", "remote.origin.url", remote.url]);
  }
  return store;
}

/** The store and the view of repository `id` under `root` (whether or not they exist). */
export function partialStoreDirs(root: string, id: string): [store: string, view: string] {
  return [path.join(root, `${id}${STORE_SUFFIX}`), path.join(root, `${id}${VIEW_SUFFIX}`)];
}

/** The view of a partial store (no promisor remote: missing blobs are reported, not fetched), or null. */
export function partialViewOf(gitDir: string): string | null {
  if (!gitDir.endsWith(STORE_SUFFIX)) return null;
  const view = gitDir.slice(0, -STORE_SUFFIX.length) + VIEW_SUFFIX;
  return fs.existsSync(path.join(view, "HEAD")) ? view : null;
}

/** The blob ids in `blobIds` that the view does not have (a `cat-file --batch-check`, which never fetches there). */
export async function missingBlobs(view: string, blobIds: string[]): Promise<string[]> {
  if (blobIds.length === 0) return [];
  const out = await gitWithStdin([`--git-dir=${view}`, "cat-file", "--batch-check=%(objectname)"], blobIds.join("\n") + "\n");
  return parseMissing(out);
}

/** Reads `cat-file --batch-check` output: the names answered "<name> missing". */
export function parseMissing(output: string): string[] {
  return output
    .split("\n")
    .map((line) => /^(\S+) missing$/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
}

/**
 * Fetches `blobIds` from the store's promisor remote in one `git fetch` (the command git runs
 * for one missing blob, given them all at once on stdin), into the store. Rejects with git's
 * complaint; the caller decides whether the import can go on without them.
 */
export async function fetchBlobs(store: string, blobIds: string[]): Promise<void> {
  if (blobIds.length === 0) return;
  await gitWithStdin(
    [`--git-dir=${store}`, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin", "origin"],
    blobIds.join("\n") + "\n",
  );
}

/** Creates a bare repository at `dir` unless there is one, configured by `configure` before it appears there. */
async function ensureBare(dir: string, configure: (dir: string) => Promise<void>): Promise<void> {
  if (fs.existsSync(path.join(dir, "HEAD"))) return;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // Made beside its place and renamed in: two processes creating it at once never see half of one.
  const staging = `${dir}.${randomUUID()}.tmp`;
  try {
    await git(["init", "--bare", "--quiet", staging]);
    await configure(staging);
    fs.renameSync(staging, dir);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, "HEAD"))) throw error;
  }
}

function writeIfChanged(file: string, text: string) {
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written whole then renamed: a reader never sees a half-written alternates file.
  const temp = `${file}.${randomUUID()}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}
