/**
 * "Raw git" baseline for the import benchmark: the fastest plain way to read every
 * historical spec blob of a repository from Node (one streamed `git log --raw`, one
 * long-lived `git cat-file --batch`). The importer's rate is reported as a ratio
 * against `readBlobsWithCatFile`.
 *
 * Everything is spawned and streamed; nothing is buffered through exec/execFile.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { Writable } from "node:stream";

const ZERO_OID = /^0+$/;
/** Number of object names written to cat-file's stdin per write() call. */
const WRITE_BATCH = 512;

function spawnGit(repoPath: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn("git", args, {
    cwd: repoPath,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
  });
}

/** Resolves with the exit code once the process has exited and its stdio closed. */
function waitForExit(child: ChildProcessWithoutNullStreams, what: string): Promise<void> {
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d: string) => {
    if (stderr.length < 8192) stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${what} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
    });
  });
}

/** Waits for 'drain', failing instead of hanging if the stream errors or closes first. */
function drain(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      stream.off("drain", onDrain);
      stream.off("error", onError);
      stream.off("close", onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new Error("stream closed before drain"));
    };
    stream.on("drain", onDrain);
    stream.on("error", onError);
    stream.on("close", onClose);
  });
}

/** Writes `lines` newline-terminated to `stream` in batches, respecting backpressure, then ends it. */
async function writeLines(stream: Writable, lines: readonly string[]): Promise<void> {
  for (let i = 0; i < lines.length; i += WRITE_BATCH) {
    const chunk = lines.slice(i, i + WRITE_BATCH).join("\n") + "\n";
    if (!stream.write(chunk)) await drain(stream);
  }
  stream.end();
}

/**
 * Every distinct blob id of `*.md` files under `specs/` in the first-parent history of
 * `ref` (default HEAD), newest first, via ONE streamed
 * `git log --first-parent --raw --no-abbrev --format=%H -- specs`.
 */
export async function listHistoryBlobs(opts: { repoPath: string; ref?: string }): Promise<string[]> {
  const ref = opts.ref ?? "HEAD";
  const child = spawnGit(opts.repoPath, [
    "-c",
    "core.quotePath=false",
    "log",
    "--first-parent",
    "--raw",
    "--no-abbrev",
    "--no-renames",
    "--format=%H",
    ref,
    "--",
    "specs",
  ]);
  child.stdin.end();
  const exited = waitForExit(child, "git log");

  const seen = new Set<string>();
  const onLine = (line: string) => {
    // ":100644 100644 <old> <new> M\tspecs/001-x/spec.md"
    if (line.charCodeAt(0) !== 58 /* ':' */) return;
    const tab = line.indexOf("\t");
    if (tab < 0) return;
    const meta = line.slice(1, tab).split(" ");
    const newMode = meta[1];
    const newOid = meta[3];
    if (!newOid || ZERO_OID.test(newOid)) return; // deletion
    if (newMode !== "100644" && newMode !== "100755") return; // symlink, submodule
    let path = line.slice(tab + 1);
    if (path.startsWith('"') && path.endsWith('"')) path = path.slice(1, -1);
    if (path.startsWith("specs/") && path.endsWith(".md")) seen.add(newOid);
  };

  let rest = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    let start = 0;
    let nl = chunk.indexOf("\n");
    if (nl >= 0 && rest) {
      onLine(rest + chunk.slice(0, nl));
      rest = "";
      start = nl + 1;
      nl = chunk.indexOf("\n", start);
    }
    while (nl >= 0) {
      onLine(chunk.slice(start, nl));
      start = nl + 1;
      nl = chunk.indexOf("\n", start);
    }
    rest += chunk.slice(start);
  });
  await exited;
  if (rest) onLine(rest);
  return Array.from(seen);
}

interface BatchObject {
  /** Object id as reported by git. */
  oid: string;
  type: string;
  size: number;
  /** Only when collecting contents. */
  content?: Buffer;
}

/**
 * Incremental parser for `git cat-file --batch` output:
 * `<oid> <type> <size>\n<content>\n` or `<name> missing\n`, split arbitrarily across chunks.
 */
/** @internal Exported for tests. */
export class CatFileBatchParser {
  private headerParts: Buffer[] = [];
  /** Bytes of the current object still to consume, including its trailing LF; 0 = expecting a header. */
  private remaining = 0;
  private current: BatchObject | null = null;
  private parts: Buffer[] = [];

  constructor(
    private readonly collect: boolean,
    private readonly onObject: (obj: BatchObject) => void,
    private readonly onMissing: (header: string) => void,
  ) {}

  push(chunk: Buffer): void {
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, len - pos);
        if (this.collect) {
          const contentLeft = this.remaining - 1;
          const c = Math.min(take, contentLeft);
          if (c > 0) this.parts.push(chunk.subarray(pos, pos + c));
        }
        this.remaining -= take;
        pos += take;
        if (this.remaining === 0) {
          if (chunk[pos - 1] !== 10) throw new Error("cat-file --batch: object not followed by LF");
          const obj = this.current!;
          if (this.collect) obj.content = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
          this.parts = [];
          this.current = null;
          this.onObject(obj);
        }
        continue;
      }
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        this.headerParts.push(chunk.subarray(pos));
        return;
      }
      let headerBuf = chunk.subarray(pos, nl);
      if (this.headerParts.length) {
        this.headerParts.push(headerBuf);
        headerBuf = Buffer.concat(this.headerParts);
        this.headerParts = [];
      }
      pos = nl + 1;
      const header = headerBuf.toString("utf8");
      const sp2 = header.lastIndexOf(" ");
      const sp1 = header.lastIndexOf(" ", sp2 - 1);
      const size = sp1 > 0 ? Number(header.slice(sp2 + 1)) : NaN;
      if (!Number.isInteger(size) || size < 0) {
        // "<name> missing" / "<name> ambiguous"
        this.onMissing(header);
        continue;
      }
      this.current = { oid: header.slice(0, sp1), type: header.slice(sp1 + 1, sp2), size };
      this.remaining = size + 1;
    }
  }

  /** True when the stream ended exactly at an object boundary. */
  get idle(): boolean {
    return this.remaining === 0 && this.headerParts.length === 0;
  }
}

/** Runs ONE `git cat-file --batch` over `names`, streaming input and output. */
async function runCatFileBatch(repoPath: string, names: readonly string[], collect: boolean, onObject: (obj: BatchObject) => void): Promise<void> {
  const child = spawnGit(repoPath, ["cat-file", "--batch"]);
  const exited = waitForExit(child, "git cat-file --batch");
  let failure: Error | null = null;
  const parser = new CatFileBatchParser(collect, onObject, (header) => {
    failure ??= new Error(`git cat-file --batch: ${header}`);
  });
  child.stdout.on("data", (chunk: Buffer) => {
    if (failure) return;
    try {
      parser.push(chunk);
    } catch (err) {
      failure = err as Error;
      child.kill();
    }
  });
  // Errors on stdin (EPIPE when git dies early) surface through the exit status.
  child.stdin.on("error", () => {});
  const written = writeLines(child.stdin, names).catch((err: Error) => {
    failure ??= err;
  });
  try {
    await exited;
  } catch (err) {
    failure ??= err as Error;
  }
  await written;
  if (failure) throw failure;
  if (!parser.idle) throw new Error("git cat-file --batch: output ended mid-object");
}

/**
 * Reads `blobIds` through ONE `git cat-file --batch` process and counts their bytes.
 * This is the "raw git" rate the importer is compared against.
 */
export async function readBlobsWithCatFile(opts: {
  repoPath: string;
  blobIds: string[];
}): Promise<{ blobs: number; bytes: number; seconds: number; blobsPerSecond: number }> {
  let blobs = 0;
  let bytes = 0;
  const t0 = performance.now();
  await runCatFileBatch(opts.repoPath, opts.blobIds, false, (obj) => {
    blobs++;
    bytes += obj.size;
  });
  const seconds = (performance.now() - t0) / 1000;
  if (blobs !== opts.blobIds.length) {
    throw new Error(`git cat-file --batch returned ${blobs} objects for ${opts.blobIds.length} ids`);
  }
  return { blobs, bytes, seconds, blobsPerSecond: seconds > 0 ? blobs / seconds : Infinity };
}

/**
 * Contents of any object names (`<oid>`, `main:path`, ...) via ONE `git cat-file --batch`,
 * in input order. Used by the synthetic repository generator to resume from a tree.
 */
export async function readObjectContents(opts: { repoPath: string; names: string[] }): Promise<Buffer[]> {
  const out: Buffer[] = [];
  await runCatFileBatch(opts.repoPath, opts.names, true, (obj) => {
    out.push(obj.content!);
  });
  if (out.length !== opts.names.length) {
    throw new Error(`git cat-file --batch returned ${out.length} objects for ${opts.names.length} names`);
  }
  return out;
}
