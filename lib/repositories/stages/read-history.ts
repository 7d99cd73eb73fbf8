import type pg from "pg";
import { openBlobReader } from "@/lib/git/cat-file";
import { oneLineCause } from "@/lib/git/error-text";
import { streamLog, type CommitRecord } from "@/lib/git/log";
import { fetchBlobs, missingBlobs, partialViewOf } from "@/lib/git/partial";
import { countCommits } from "@/lib/git/source";
import { checkBlob, hashContent } from "@/lib/specs/content";
import type { SpecKind } from "@/lib/specs/kinds";
import { openContentStaging } from "./store-contents";

export type ImportPhase = "resolving" | "scanning" | "reading" | "writing";

export interface ImportProgress {
  phase: ImportPhase;
  done: number;
  total: number;
}

export interface SkipReason {
  reason: string;
  detail: string;
}

export interface HistoryRead {
  /** The commits that changed a recognised path, oldest first, with only those changes. */
  commits: CommitRecord[];
  /** Every commit read, whatever it changed. */
  commitsScanned: number;
  /** Blob id → content hash, for every blob read and kept. */
  blobHash: Map<string, string>;
  /** Blob id → why it was not kept (binary, too large, missing...). */
  skipped: Map<string, SkipReason>;
  /** Content hash → text, for the newest content at each path (search vectors and signatures are computed from them). */
  texts: Map<string, string>;
  /** How many distinct blobs were requested from git. */
  blobsRequested: number;
  /** How many distinct contents were staged for "Content" (stage 2 stores them). */
  contentsStaged: number;
}

const NULL_BLOB = "0000000000000000000000000000000000000000";

/**
 * Stage 1, read history: one `git log` stream over `range` and, at the same time, one
 * `git cat-file --batch` fed with each recognised blob as soon as the log names it, whose
 * checked bytes go straight to the staging table of lib/repositories/stages/store-contents.ts
 * (the server takes them in while git keeps reading).
 * The log is not limited by pathspecs: glob pathspecs made git 2.4x slower than classifying
 * every path here (decision 002).
 */
export async function readHistory(
  client: pg.PoolClient,
  opts: {
    gitDir: string;
    range: string;
    classify: (path: string) => SpecKind | null;
    maxFileBytes: number;
    progress: (progress: ImportProgress) => void;
    /**
     * Told the text of every blob read at a path of these kinds (e.g. for requirements), while git reads;
     * a blob `accept` turns down (checked on its bytes, before any decoding) is told as "".
     */
    onText?: { kinds: ReadonlySet<SpecKind>; accept?: (body: Buffer) => boolean; text: (hash: string, text: string) => void };
    /**
     * Contracts by content (decision 051), recognised while the log streams: the changes at paths `classify`
     * does not know but `candidate` names are kept aside, and their blobs read once `recognised` says which
     * of those paths are contracts. The others are then dropped, as if the log had never named them.
     */
    contracts?: { candidate: (path: string) => boolean; recognised: Promise<ReadonlySet<string>> };
  },
): Promise<HistoryRead> {
  const { progress } = opts;
  let classify = opts.classify;
  // Awaited after the log; handled now, so that a failure while the log streams is not an unhandled rejection.
  opts.contracts?.recognised.catch(() => {});
  // The commit count only sizes the progress bar: git counts while the log streams.
  let total = 0;
  let seen = 0;
  let scanning = true;
  const countDone = countCommits(opts.gitDir, opts.range).then(
    (n) => {
      total = n;
      if (scanning) progress({ phase: "scanning", done: seen, total });
    },
    () => {}, // no count, no bar: the log itself reports any real problem
  );
  // Opened after the count has started: git counts while the server creates the table.
  const staging = await openContentStaging(client);

  const blobHash = new Map<string, string>();
  // The newest content at each path (the log streams newest first) is also kept as text,
  // instead of reading those blobs from git a second time.
  const pathsSeen = new Set<string>();
  const newestBlobs = new Set<string>();
  const texts = new Map<string, string>();
  const textBlobs = new Set<string>();
  const skipped = new Map<string, SkipReason>();
  const onBlob = (blobId: string, bytes: Buffer | null) => {
    if (!bytes) return void skipped.set(blobId, { reason: "missing", detail: "The blob is missing from the repository." });
    const checked = checkBlob(bytes, { maxBytes: opts.maxFileBytes });
    if (!checked.ok) return void skipped.set(blobId, { reason: checked.reason, detail: checked.detail });
    const hash = hashContent(bytes);
    blobHash.set(blobId, hash);
    const body = Buffer.from(checked.body.buffer, checked.body.byteOffset, checked.body.byteLength);
    const told = textBlobs.has(blobId);
    const accepted = told && (opts.onText!.accept?.(body) ?? true);
    const text = newestBlobs.has(blobId) || accepted ? body.toString("utf8") : "";
    if (newestBlobs.has(blobId)) texts.set(hash, text);
    if (told) opts.onText!.text(hash, accepted ? text : "");
    staging.add(hash, bytes.length, checked.body);
  };
  // A partial clone's store (lib/git/partial.ts): blobs are read after the log, through the view
  // that never fetches, once the missing ones have come in one fetch. Asking its promisor store
  // for them as the log names them made git fetch each one on its own.
  const view = partialViewOf(opts.gitDir);
  const reader = view ? null : openBlobReader({ gitDir: opts.gitDir, onBlob });
  const requested = new Set<string>();
  let commits: CommitRecord[] = [];
  const request = (path: string, blob: string) => {
    if (!pathsSeen.has(path)) {
      pathsSeen.add(path);
      newestBlobs.add(blob);
      // Read already, as an older version elsewhere: read again, now that its text is to be kept.
      if (blobHash.has(blob) && reader) reader.request(blob);
    }
    if (requested.has(blob)) return;
    requested.add(blob);
    if (opts.onText?.kinds.has(classify(path)!)) textBlobs.add(blob);
    reader?.request(blob);
  };
  // Contracts by content: until recognition settles, the blobs at paths that may be contracts wait here,
  // newest first, and the changes there stay in the commits. Once it settles (during the log or after
  // it) the contracts' blobs are requested, the other changes dropped, and later commits filtered as
  // they come.
  const candidate = opts.contracts?.candidate ?? (() => false);
  const waiting = new Map<string, string[]>();
  let settled = !opts.contracts;
  let withCandidates = false;
  const settle = (contracts: ReadonlySet<string>) => {
    if (settled) return;
    settled = true;
    const base = classify;
    classify = (path) => base(path) ?? (contracts.has(path) ? "contract" : null);
    for (const [path, blobs] of waiting) if (contracts.has(path)) for (const blob of blobs) request(path, blob);
    waiting.clear();
    if (withCandidates) {
      commits = commits.filter((commit) => {
        commit.changes = commit.changes.filter((c) => classify(c.path) || (c.oldPath !== c.path && classify(c.oldPath)));
        return commit.changes.length > 0;
      });
    }
  };
  // A failure is thrown where the read awaits recognition, after the log.
  opts.contracts?.recognised.then(settle, () => {});
  // Recognised paths, and candidates while recognition is under way.
  const keep = (path: string) => {
    if (classify(path)) return true;
    if (settled || !candidate(path)) return false;
    withCandidates = true;
    return true;
  };
  try {
    await streamLog({
      gitDir: opts.gitDir,
      range: opts.range,
      onCommit: (commit) => {
        // Keep only recognised paths (and renames out of them): the planner needs no more.
        commit.changes = commit.changes.filter((c) => keep(c.path) || (c.oldPath !== c.path && keep(c.oldPath)));
        for (const change of commit.changes) {
          if (change.status === "D" || change.newBlob === NULL_BLOB) continue;
          if (classify(change.path)) request(change.path, change.newBlob);
          else if (!settled && candidate(change.path)) {
            const blobs = waiting.get(change.path);
            if (blobs) blobs.push(change.newBlob);
            else waiting.set(change.path, [change.newBlob]);
          }
        }
        if (commit.changes.length > 0) commits.push(commit);
        if (++seen % 500 === 0 && total > 0) progress({ phase: "scanning", done: seen, total });
      },
    });
    if (opts.contracts) settle(await opts.contracts.recognised);
    scanning = false;
    progress({ phase: "reading", done: blobHash.size + skipped.size, total: requested.size });
  } finally {
    await reader?.close();
    await countDone;
  }
  if (view) await readPartial({ store: opts.gitDir, view, blobIds: [...requested], onBlob });
  await staging.end();
  progress({ phase: "reading", done: requested.size, total: requested.size });
  commits.reverse(); // the log streams newest first; history replays oldest first
  return { commits, commitsScanned: seen, blobHash, skipped, texts, blobsRequested: requested.size, contentsStaged: staging.count };
}

/**
 * Reads the blobs of a partial clone's store: the missing ones are fetched in one batch first.
 * If that fetch fails (the remote is gone), the import goes on and they are skipped as missing,
 * as a complete repository's missing blobs are.
 */
async function readPartial(opts: { store: string; view: string; blobIds: string[]; onBlob: (blobId: string, bytes: Buffer | null) => void }) {
  const missing = await missingBlobs(opts.view, opts.blobIds);
  await fetchBlobs(opts.store, missing).catch((error: Error) =>
    console.warn(`[import] fetching ${missing.length} missing blobs failed: ${oneLineCause(error.message)}`),
  );
  const reader = openBlobReader({ gitDir: opts.view, onBlob: opts.onBlob });
  for (const id of opts.blobIds) reader.request(id);
  await reader.close();
}
