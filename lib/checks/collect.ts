// What `specledger check` sends (decision 022): the governed files a pull request changes between
// base and head, with hashes, texts and the references their new text breaks; the other changed
// paths; and the unchanged governed files whose references its deletions break. Reads git in a
// checkout; needs no database, so the one-file CLI and the demo seed share it.
import { execFile } from "node:child_process";
import { AppError } from "@/lib/errors";
import { parseRawChanges, sniffContractBlobs } from "@/lib/contracts/recognised";
import { mayBeContract } from "@/lib/contracts/sniff";
import { brokenReferences } from "@/lib/findings/references";
import { readBlobs } from "@/lib/git/cat-file";
import { gitEnv } from "@/lib/git/git";
import { gitignoresAt } from "@/lib/git/ignores";
import { hashContent } from "@/lib/specs/content";
import { bundledBySkill, classifyPath, kindRulesFromEnv } from "@/lib/specs/kinds";
import { clip, parseNameStatus } from "./ci";
import { MAX_CHANGED_PATHS, MAX_CHECK_BODY_BYTES, MAX_CHECK_FILES, MAX_CONTENT_BYTES, type CheckInput } from "./schema";

/** git in the checkout; resolves with stdout as bytes. */
function gitBytes(dir: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd: dir, env: gitEnv(), encoding: "buffer", maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.slice(0, 2).join(" ")}: ${stderr.toString().trim() || error.message}`));
      else resolve(stdout);
    });
  });
}
/** git in the checkout; resolves with stdout as text. */
export const gitText = async (dir: string, args: string[]) => (await gitBytes(dir, args)).toString("utf8");

const TEXT_FILE = /\.(?:md|mdc|markdown|txt)$|(?:^|\/)\.(?:cursorrules|windsurfrules)$/;

/** The file's text, or undefined when it is too large or not UTF-8 (the server then judges it by hash only). */
function textOf(bytes: Buffer): string | undefined {
  if (bytes.length > MAX_CONTENT_BYTES) return undefined;
  try {
    // ignoreBOM keeps a byte order mark in the text, so the text hashes to the file's bytes.
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    return text.includes("\u0000") ? undefined : text;
  } catch {
    return undefined;
  }
}

/** A commit's tree: every file and folder, and each regular file's blob. */
async function lsTree(dir: string, commit: string): Promise<{ names: Set<string>; blobs: Map<string, string> }> {
  const names = new Set<string>();
  const blobs = new Map<string, string>();
  for (const entry of (await gitText(dir, ["ls-tree", "-r", "-t", "--full-tree", "-z", commit])).split("\0")) {
    // "<mode> <type> <id>\t<path>"
    const tab = entry.indexOf("\t");
    if (tab < 0) continue;
    const [, type, id] = entry.slice(0, tab).split(" ");
    const path = entry.slice(tab + 1);
    names.add(path);
    // A symlink's blob is its target's name, not a text to read.
    if (type === "blob" && !entry.startsWith("120000 ")) blobs.set(path, id);
  }
  return { names, blobs };
}

interface TreeAt {
  tree: Set<string>;
  blobs: Map<string, string>;
  gitignores: Record<string, string>;
}

/** The references a file's head text breaks that its base text did not already break (by resolved path). */
function newBrokenReferences(file: { path: string; head: string; base?: string }, headTree: TreeAt, baseTree: TreeAt | null) {
  const broken = (text: string, at: TreeAt) => brokenReferences({ filePath: file.path, text, ...at }).broken.map((b) => b.ref);
  const before = new Set(file.base !== undefined && baseTree ? broken(file.base, baseTree).map((r) => r.path) : []);
  const seen = new Set<string>();
  return broken(file.head, headTree)
    .filter((r) => !before.has(r.path) && !seen.has(r.path) && seen.add(r.path))
    .slice(0, 500)
    .map((r) => ({ line: r.line, written: r.written.slice(0, 1000), path: r.path.slice(0, 1000) }));
}

/** The request: the governed files that changed, with hashes, texts and new broken references. */
/**
 * `known`: which of these content hashes the server already holds (POST /api/v1/checks/contents);
 * their texts are then left out of the request. Without it every text is sent.
 */
export async function collectCheck(
  dir: string,
  opts: { base: string; head: string; known?: (hashes: string[]) => Promise<Set<string>>; warn?: (message: string) => void },
): Promise<Pick<CheckInput, "files" | "changedPaths" | "unchangedFiles" | "commitMessages">> {
  const rules = kindRulesFromEnv();
  const classify = (p: string) => classifyPath(p, rules);
  const changed = parseNameStatus(await gitText(dir, ["diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", `${opts.base}...${opts.head}`, "--"]));
  let gitDir: Promise<string> | undefined;
  const gitDirOf = () => (gitDir ??= gitText(dir, ["rev-parse", "--absolute-git-dir"]).then((out) => out.trim()));
  const trees = new Map<string, Promise<{ names: Set<string>; blobs: Map<string, string> }>>();
  const treeAt = (commit: string) => trees.get(commit) ?? trees.set(commit, lsTree(dir, commit)).get(commit)!;
  // The base side is the merge base, as `git diff base...head` compares.
  const mergeBase = (await gitText(dir, ["merge-base", opts.base, opts.head])).trim();
  // Contracts recognised by content, as the import recognises them (decision 051): the changed YAML and
  // JSON files the kind rules do not name whose text declares one at head or at the merge base (a contract
  // edited or deleted into something else is still the contract the server governs).
  const candidates = new Set(changed.filter((c) => mayBeContract(c.path) && !classify(c.path)).map((c) => c.path));
  let contracts = new Set<string>();
  if (candidates.size > 0) {
    // Both sides' blobs from one raw diff, not two listings of the whole tree.
    const raw = parseRawChanges(await gitText(dir, ["diff", "--raw", "-z", "--no-renames", "--no-abbrev", "--no-ext-diff", mergeBase, opts.head, "--"]));
    const entries = raw.filter((c) => candidates.has(c.path)).flatMap((c) => [c.newBlob, c.oldBlob].flatMap((blob) => (blob ? [{ path: c.path, blob }] : [])));
    contracts = await sniffContractBlobs(await gitDirOf(), entries);
  }
  const nominated = changed.flatMap((c) => {
    const kind = classify(c.path) ?? (contracts.has(c.path) ? "contract" : null);
    return kind ? [{ ...c, kind }] : [];
  });
  // Bundled skill files count only inside a skill folder, as the import decides (bundledBySkill):
  // at head for files the change keeps, at the base for files it deletes.
  const skillFile = (path: string, tree: Set<string>) => bundledBySkill(path, (p) => tree.has(p) && classify(p) === "skill") !== null;
  const governed: typeof nominated = [];
  for (const c of nominated) {
    if (c.kind === "skill-file" && !skillFile(c.path, (await treeAt(c.status === "deleted" ? opts.base : opts.head)).names)) continue;
    governed.push(c);
  }
  if (governed.length > MAX_CHECK_FILES)
    throw new AppError("unprocessable", `${governed.length} governed files changed; a check takes at most ${MAX_CHECK_FILES}.`);
  const deletes = changed.some((c) => c.status === "deleted");
  const needsTrees = deletes || governed.some((g) => g.status !== "deleted" && TEXT_FILE.test(g.path));
  const at = async (commit: string): Promise<TreeAt> => {
    const { names, blobs } = await treeAt(commit);
    return { tree: names, blobs, gitignores: await gitignoresAt(await gitDirOf(), blobs) };
  };
  const empty = { tree: new Set<string>(), blobs: new Map<string, string>(), gitignores: {} };
  const [headTree, baseTree] = needsTrees ? await Promise.all([at(opts.head), at(mergeBase)]) : [empty, empty];

  // The other changed paths, so the server can name the specs whose code changed without them.
  const governedPaths = new Set(governed.map((g) => g.path));
  const changedPaths: string[] = [];
  let pathBytes = 0;
  const others = changed.filter((c) => !governedPaths.has(c.path));
  for (const c of others) {
    const bytes = Buffer.byteLength(c.path) + 3;
    if (changedPaths.length >= MAX_CHANGED_PATHS || pathBytes + bytes > MAX_CHANGED_PATH_BYTES) break;
    pathBytes += bytes;
    changedPaths.push(c.path);
  }
  if (changedPaths.length < others.length)
    opts.warn?.(
      `${others.length - changedPaths.length} of ${others.length} changed paths were not sent (at most ${MAX_CHANGED_PATHS.toLocaleString("en")} or 2 MB): spec drift is judged on the others only.`,
    );
  const unchangedFiles = deletes
    ? await unchangedBreaks({
        gitDir: await gitDirOf(),
        changed,
        headTree,
        baseTree,
        governed: (p) => classify(p) !== null && (classify(p) !== "skill-file" || skillFile(p, headTree.tree)),
      })
    : [];

  const read = [];
  for (const g of governed) {
    const headBytes = g.status === "deleted" ? null : await gitBytes(dir, ["cat-file", "blob", `${opts.head}:${g.path}`]);
    // The base side is the merge base, as `git diff base...head` compares.
    const baseBytes = g.status === "added" ? null : await gitBytes(dir, ["cat-file", "blob", `${mergeBase}:${g.path}`]);
    read.push({
      g,
      headHash: headBytes ? hashContent(headBytes) : null,
      baseHash: baseBytes ? hashContent(baseBytes) : null,
      headText: headBytes ? textOf(headBytes) : undefined,
      baseText: baseBytes ? textOf(baseBytes) : undefined,
    });
  }
  // Texts the server already holds (the base of a file it imported, content proposed in it) are
  // sent by hash alone; it reads them from its own store.
  const offered = [
    ...new Set(
      read.flatMap((r) => [...(r.headText !== undefined && r.headHash ? [r.headHash] : []), ...(r.baseText !== undefined && r.baseHash ? [r.baseHash] : [])]),
    ),
  ];
  const known = opts.known && offered.length > 0 ? await opts.known(offered) : new Set<string>();
  const files: CheckInput["files"] = [];
  // Texts stop being sent once the request would outgrow the server's body limit; the files
  // after that are judged by hash alone (approval), without lint.
  let budget = MAX_CHECK_BODY_BYTES * 0.75 - pathBytes - Buffer.byteLength(JSON.stringify(unchangedFiles));
  const take = (text: string | undefined, hash: string | null): string | undefined => {
    if (text === undefined || hash === null || known.has(hash)) return undefined;
    const size = Buffer.byteLength(text);
    if (size > budget) return undefined;
    budget -= size;
    return text;
  };
  for (const { g, headHash, baseHash, headText, baseText } of read) {
    const content = take(headText, headHash);
    const baseContent = take(baseText, baseHash);
    files.push({
      path: g.path,
      status: g.status,
      kind: g.kind,
      contentHash: (headHash ?? baseHash)!,
      ...(baseHash !== null ? { baseContentHash: baseHash } : {}),
      ...(content !== undefined ? { content } : {}),
      ...(baseContent !== undefined ? { baseContent } : {}),
      brokenReferences:
        headText !== undefined && TEXT_FILE.test(g.path) ? newBrokenReferences({ path: g.path, head: headText, base: baseText }, headTree, baseTree) : [],
    });
  }
  // Where a ticket policy also looks for an issue key: the pull request's own commits, newest first.
  const commitMessages = (await gitText(dir, ["log", "--no-merges", "-z", "--max-count=250", "--format=%B", `${mergeBase}..${opts.head}`, "--"]))
    .split("\0")
    .map((m) => clip(m.trim(), 4000))
    .filter(Boolean);
  return { files, changedPaths, unchangedFiles, commitMessages };
}

/** The other changed paths a check sends stop at this many bytes (a generated tree can change 100,000 files). */
const MAX_CHANGED_PATH_BYTES = 2 * 1024 * 1024;
/** Most unchanged governed files read to find the references a deletion breaks. */
const MAX_UNCHANGED_READ = 5000;

/**
 * Governed text files the pull request leaves unchanged that name a path it deletes or moves
 * away: their text is the same at base and head, so a reference broken at head and not at the
 * base is the pull request's doing. Only files whose text mentions the name of something that
 * went (a deleted file, or a folder left empty) are parsed.
 */
async function unchangedBreaks(opts: {
  gitDir: string;
  changed: { status: string; path: string }[];
  headTree: TreeAt;
  baseTree: TreeAt;
  governed: (path: string) => boolean;
}): Promise<CheckInput["unchangedFiles"]> {
  const gone = new Set<string>();
  for (const c of opts.changed) {
    if (c.status !== "deleted") continue;
    const parts = c.path.split("/");
    gone.add(parts.at(-1)!);
    // Folders the deletion emptied: a reference to the folder breaks too.
    for (let i = parts.length - 1; i > 0; i--) {
      const folder = parts.slice(0, i).join("/");
      if (opts.headTree.tree.has(folder)) break;
      gone.add(parts[i - 1]);
    }
  }
  const touched = new Set(opts.changed.map((c) => c.path));
  const candidates = [...opts.headTree.blobs].filter(([p]) => !touched.has(p) && TEXT_FILE.test(p) && opts.governed(p)).slice(0, MAX_UNCHANGED_READ);
  if (candidates.length === 0) return [];
  const texts = new Map<string, Buffer>();
  await readBlobs({ gitDir: opts.gitDir, blobIds: [...new Set(candidates.map(([, id]) => id))], onBlob: (id, bytes) => bytes && texts.set(id, bytes) });
  // A link may spell the name URL-encoded (`my%20file.md`).
  const needles = [...new Set([...gone].flatMap((n) => [n, encodeURI(n)]))];
  const found: CheckInput["unchangedFiles"] = [];
  for (const [path, id] of candidates) {
    const bytes = texts.get(id);
    const text = bytes ? textOf(bytes) : undefined;
    if (text === undefined || !needles.some((n) => text.includes(n))) continue;
    const broken = newBrokenReferences({ path, head: text, base: text }, opts.headTree, opts.baseTree).slice(0, 100);
    if (broken.length > 0) found.push({ path, contentHash: hashContent(bytes!), brokenReferences: broken });
    if (found.length >= MAX_CHECK_FILES) break;
  }
  return found;
}
