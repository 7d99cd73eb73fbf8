import { spawn } from "node:child_process";
import { gitEnv, gitWithStdin } from "./git";

export interface FileChange {
  status: "A" | "M" | "D" | "R" | "T";
  oldMode: string;
  newMode: string;
  oldBlob: string;
  newBlob: string;
  /** The path before the change (differs from `path` only for renames). */
  oldPath: string;
  path: string;
}

export interface CommitRecord {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  committedAt: Date;
  changes: FileChange[];
}

export const LOG_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%cI";

/**
 * Incremental parser for `git log -z --raw --no-abbrev --format=LOG_FORMAT`. Input arrives
 * in arbitrary chunks; `push` returns the commits completed so far and `end` the last one.
 * NUL-separated output means paths need no unquoting, whatever characters they hold.
 */
export class LogParser {
  private pending = "";
  private current: CommitRecord | null = null;
  private meta: { status: string; oldMode: string; newMode: string; oldBlob: string; newBlob: string } | null = null;
  private renameFrom: string | null = null;

  push(chunk: string): CommitRecord[] {
    const done: CommitRecord[] = [];
    const text = this.pending + chunk;
    let start = 0;
    for (let i = text.indexOf("\0", start); i !== -1; i = text.indexOf("\0", start)) {
      this.token(text.slice(start, i), done);
      start = i + 1;
    }
    this.pending = text.slice(start);
    return done;
  }

  end(): CommitRecord[] {
    const done: CommitRecord[] = [];
    if (this.pending) this.token(this.pending, done);
    this.pending = "";
    if (this.current) done.push(this.current);
    this.current = null;
    return done;
  }

  private token(raw: string, done: CommitRecord[]) {
    // Between records git puts a newline before the next header or change line. A token
    // that is a path (one is expected after a change line) is taken as it is: paths may
    // start with a newline or any other byte.
    const expectingPath = this.meta !== null;
    const token = !expectingPath && raw.startsWith("\n") ? raw.slice(1) : raw;
    if (!expectingPath && token.startsWith("\x1e")) {
      if (this.current) done.push(this.current);
      const [sha, parents, authorName, authorEmail, committedAt] = token.slice(1).replace(/\n$/, "").split("\x1f");
      this.current = {
        sha,
        parents: parents ? parents.split(" ") : [],
        authorName,
        authorEmail,
        committedAt: new Date(committedAt),
        changes: [],
      };
      this.meta = null;
      return;
    }
    if (!this.current || token === "") return;
    if (this.meta === null && token.startsWith(":")) {
      const [oldMode, newMode, oldBlob, newBlob, status] = token.slice(1).split(" ");
      this.meta = { oldMode, newMode, oldBlob, newBlob, status };
      this.renameFrom = null;
      return;
    }
    if (!this.meta) throw new Error(`Unexpected token in git log output: ${JSON.stringify(token.slice(0, 80))}`);
    const letter = this.meta.status[0];
    if ((letter === "R" || letter === "C") && this.renameFrom === null) {
      this.renameFrom = token;
      return;
    }
    const { oldMode, newMode, oldBlob, newBlob } = this.meta;
    const status = (letter === "C" ? "A" : letter) as FileChange["status"];
    if (status === "A" || status === "M" || status === "D" || status === "R" || status === "T") {
      this.current.changes.push({ status, oldMode, newMode, oldBlob, newBlob, oldPath: this.renameFrom ?? token, path: token });
    }
    this.meta = null;
    this.renameFrom = null;
  }
}

export interface StreamLogOptions {
  gitDir: string;
  /** A revision range such as `abc..main`, or a single ref for the whole history. */
  range: string;
  /** Limits the log to these paths (the importer reads everything and classifies itself). */
  pathspecs?: string[];
  onCommit: (commit: CommitRecord) => void;
}

/** The importer's `git log` arguments (decision 002), shared with the bench's bare-git baseline so that both read the same. */
export function logArgs({ gitDir, range, pathspecs }: Omit<StreamLogOptions, "onCommit">): string[] {
  return [
    `--git-dir=${gitDir}`,
    "-c",
    "core.quotePath=false",
    "-c",
    "diff.renameLimit=10000",
    "log",
    "-z",
    "--raw",
    "--no-abbrev",
    "--first-parent",
    "-M",
    `--format=${LOG_FORMAT}`,
    range,
    "--",
    ...(pathspecs ?? []),
  ];
}

/**
 * Streams the first-parent history of `range` newest first, with rename detection, as one
 * git process. Newest first lets git stream at once (`--reverse` walks everything before
 * printing anything) and makes blob reads cheaper (packs keep recent versions as delta
 * bases). Since git 2.31 `--first-parent` also diffs merges against their first parent.
 */
export function streamLog({ gitDir, range, pathspecs, onCommit }: StreamLogOptions): Promise<void> {
  const args = logArgs({ gitDir, range, pathspecs });
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { stdio: ["ignore", "pipe", "pipe"], env: gitEnv() });
    const parser = new LogParser();
    let stderr = "";
    let failed: Error | null = null;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (failed) return;
      try {
        for (const commit of parser.push(chunk)) onCommit(commit);
      } catch (error) {
        failed = error as Error;
        child.kill();
      }
    });
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (failed) return reject(failed);
      if (code !== 0) return reject(new Error(`git log failed: ${stderr.trim() || `exit code ${code}`}`));
      try {
        for (const commit of parser.end()) onCommit(commit);
        resolve();
      } catch (error) {
        reject(error);
      }
    });
  });
}

export interface CommitIdentity {
  sha: string;
  committerEmail: string;
  /** git's %G?: G good, B bad, U good but untrusted, X/Y expired, R revoked, E cannot check, N none. */
  signature: string;
  signerKey: string | null;
  /** The signer's email (from the key's identity or the SSH principal), only for a good signature. */
  signerEmail: string | null;
}

const IDENTITY_FORMAT = "%H%x1f%ce%x1f%G?%x1f%GK%x1f%GS%x1e";

/** The email in a signer identity: "Name <email>" from GPG, or a bare email as an SSH principal. */
export function signerEmailOf(signer: string): string | null {
  const email = /<([^<>\s]+@[^<>\s]+)>/.exec(signer)?.[1] ?? (/^[^\s<>@]+@[^\s<>@]+$/.test(signer.trim()) ? signer.trim() : null);
  return email ? email.toLowerCase() : null;
}

/** Parses `git log --no-walk --format=IDENTITY_FORMAT` output. */
export function parseCommitIdentities(output: string): CommitIdentity[] {
  return output
    .split("\x1e")
    .map((record) => record.replace(/^\n/, ""))
    .filter((record) => record.length > 0)
    .map((record) => {
      const [sha, committerEmail, signature, signerKey, signer] = record.split("\x1f");
      const status = signature?.trim() || "N";
      return {
        sha,
        committerEmail: (committerEmail ?? "").toLowerCase(),
        signature: status,
        signerKey: signerKey?.trim() || null,
        signerEmail: status === "G" ? signerEmailOf(signer ?? "") : null,
      };
    });
}

/**
 * Who committed and who signed each of `shas`, in one small `git log --no-walk` (the
 * importer calls it for the newest version of each changed spec only: checking a signature
 * costs a gpg or ssh-keygen process per signed commit). Which keys are trusted is the
 * server's setting, never the repository's: the signing programs are fixed on the command
 * line (a repository's config could otherwise name a program to run), SSH signers come
 * from SPECLEDGER_ALLOWED_SIGNERS only, and GPG keys from the server user's keyring.
 */
export function readCommitIdentities(opts: { gitDir: string; shas: string[] }): Promise<Map<string, CommitIdentity>> {
  const shas = [...new Set(opts.shas)].filter((sha) => /^[0-9a-f]{40,64}$/.test(sha));
  if (shas.length === 0) return Promise.resolve(new Map());
  const args = [
    `--git-dir=${opts.gitDir}`,
    "-c",
    "gpg.program=gpg",
    "-c",
    "gpg.ssh.program=ssh-keygen",
    "-c",
    "gpg.x509.program=gpgsm",
    "-c",
    `gpg.ssh.allowedSignersFile=${process.env.SPECLEDGER_ALLOWED_SIGNERS || "/dev/null"}`,
    "log",
    "--no-walk=unsorted",
    "--stdin",
    `--format=${IDENTITY_FORMAT}`,
  ];
  return gitWithStdin(args, shas.join("\n") + "\n").then((stdout) => new Map(parseCommitIdentities(stdout).map((identity) => [identity.sha, identity])));
}
