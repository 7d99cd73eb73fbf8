import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SECRET_DIR_PREFIX, sshCommand, withSecretFiles, type SshCredential } from "./ssh";

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "GitError";
  }
}

// Only the network transports Specledger accepts (lib/git/source.ts): `ext::` would let a
// URL run commands and `file` would let a URL read the server's disk. Local sources are read
// in place with --git-dir, which uses no transport.
const SAFE_ENV = {
  GIT_ALLOW_PROTOCOL: "git:https:ssh",
  GIT_TERMINAL_PROMPT: "0",
  GIT_ASKPASS: "/bin/false",
  SSH_ASKPASS: "/bin/false",
  // Without a deploy key (lib/git/ssh.ts replaces this), ssh gets no keys, no agent, no config and
  // no known hosts, so it fails closed instead of using the server user's own ~/.ssh.
  GIT_SSH_COMMAND:
    "ssh -F /dev/null -o IdentitiesOnly=yes -o IdentityAgent=none -o IdentityFile=none -o UserKnownHostsFile=/dev/null -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=15",
  // The user's and the system's git config may name credential helpers, URL rewrites (insteadOf) or an ssh command.
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  // git's HTTP client (curl) reads $HOME/.netrc, and git and its helpers read other files under
  // $HOME: the server user's credentials must never reach a repository's host. "/dev/null/" is
  // a path nothing can be created under, so every such lookup finds nothing.
  HOME: "/dev/null",
};

/** Variables that point git or curl at the server user's own files (a netrc, an XDG config folder). */
const USER_FILE_VARIABLES = ["NETRC", "XDG_CONFIG_HOME", "CURL_HOME"];

/** A credential for one https origin, given to git in its environment only. */
export interface HttpsCredential {
  kind?: "https";
  /** "https://host[:port]/": the header is sent to this origin alone. */
  origin: string;
  username: string;
  password: string;
}

/** An https token, or an SSH deploy key with the server's host keys (lib/git/ssh.ts). */
export type GitCredential = HttpsCredential | SshCredential;

/**
 * The environment every git process runs with. A credential travels as an Authorization
 * header scoped to its origin through GIT_CONFIG_* variables: never on the command line
 * (other users see it in `ps`) and never in a mirror's config file.
 */
export function gitEnv(credential?: HttpsCredential | null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...SAFE_ENV };
  for (const key of Object.keys(env)) if (/^GIT_CONFIG_(COUNT|KEY_\d+|VALUE_\d+|PARAMETERS)$/.test(key) || USER_FILE_VARIABLES.includes(key)) delete env[key];
  // No credential helper, even one a local repository's own config names: the only credential
  // git may send is the repository's own, below.
  const config: [string, string][] = [["credential.helper", ""]];
  if (credential) {
    const basic = Buffer.from(`${credential.username}:${credential.password}`).toString("base64");
    config.push([`http.${credential.origin}.extraHeader`, `Authorization: Basic ${basic}`]);
  }
  // Specledger's own git calls never start a gc or maintenance run: a partial clone fetching
  // blobs one by one ran 1,396 automatic gc runs in one import (issue 17 §1).
  config.push(["gc.auto", "0"], ["maintenance.auto", "false"]);
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** How long a git command may run unless told otherwise (SPECLEDGER_GIT_TIMEOUT_MS). */
export function gitTimeoutMs(): number {
  const configured = Number(process.env.SPECLEDGER_GIT_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : 10 * 60_000;
}

/**
 * Runs git and resolves with its trimmed stdout; rejects with its stderr. Small outputs only.
 * With an SSH credential, the key and host keys are written to a fresh 0700 folder that is
 * removed when git ends, fails or is stopped by the timeout.
 */
export async function git(args: string[], opts: { cwd?: string; timeoutMs?: number; credential?: GitCredential | null } = {}): Promise<string> {
  const credential = opts.credential;
  if (credential?.kind === "ssh") {
    return withSecretFiles({ key: credential.privateKey, known_hosts: credential.knownHosts }, (paths) =>
      runGit(args, opts, { ...gitEnv(null), GIT_SSH_COMMAND: sshCommand(paths.key, paths.known_hosts) }),
    );
  }
  return runGit(args, opts, gitEnv(credential));
}

/**
 * Runs git with `input` written to its stdin (ids for `--stdin`, `cat-file --batch-check`...)
 * and resolves with its whole stdout, untrimmed; rejects with its stderr, like `git`.
 * For outputs that fit in memory; no credential (local reads and local fetches only).
 */
export function gitWithStdin(args: string[], input: string, opts: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  return runGit(args, opts, gitEnv(null), input);
}

/**
 * Runs git and hands its stdout to `onChunk` as it arrives, never holding it whole (for outputs
 * of unknown size, such as `git grep` over test files). Resolves with git's exit code when it is
 * one of `okCodes` (`git grep` exits 1 when nothing matches); rejects with its stderr otherwise.
 * Local reads only: no credential.
 */
export function gitStream(args: string[], onChunk: (chunk: Buffer) => void, opts: { okCodes?: number[]; timeoutMs?: number } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { env: gitEnv(null), stdio: ["ignore", "pipe", "pipe"], detached: true });
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGTERM");
      } catch {
        // the group has already exited
      }
    }, opts.timeoutMs ?? gitTimeoutMs());
    let stderr = "";
    let failed: Error | null = null;
    child.stdout.on("data", (chunk: Buffer) => {
      if (failed) return;
      try {
        onChunk(chunk);
      } catch (error) {
        failed = error as Error;
        child.kill();
      }
    });
    // Only the start of stderr is kept: it explains a failure, and git could write a lot of it.
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(0, 4000)));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new GitError(`git could not be started: ${error.message}`, ""));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (failed) return reject(failed);
      if (code !== null && (opts.okCodes ?? [0]).includes(code)) return resolve(code);
      const reason = signal ? `was stopped (${signal})` : `exited with ${code}`;
      reject(new GitError(`git ${args.filter((a) => !a.startsWith("--git-dir"))[0] ?? ""} ${reason}: ${stderr.trim()}`, stderr));
    });
  });
}

function runGit(args: string[], opts: { cwd?: string; timeoutMs?: number }, env: NodeJS.ProcessEnv, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Its own process group, stopped whole on timeout: killing git alone would leave its ssh or
    // https helper holding the output pipes (and a deploy key's folder) until it gave up by itself.
    const child = spawn("git", args, { cwd: opts.cwd, env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGTERM");
      } catch {
        // the group has already exited
      }
    }, opts.timeoutMs ?? gitTimeoutMs());
    child.on("exit", () => clearTimeout(timer));
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new GitError(`git could not be started: ${error.message}`, ""));
    });
    // git may exit before reading everything (a bad argument): its exit code tells why, not EPIPE.
    child.stdin.on("error", () => {});
    child.stdin.end(input ?? "");
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(input === undefined ? stdout.trim() : stdout);
      const reason = signal ? `was stopped (${signal})` : `exited with ${code}`;
      reject(
        new GitError(
          `git ${args
            .filter((a) => !a.startsWith("--git-dir"))
            .slice(0, 2)
            .join(" ")} ${reason}: ${stderr.trim()}`,
          stderr,
        ),
      );
    });
  });
}

/**
 * Removes this user's deploy-key folders that outlived any git command (older than the git
 * timeout): `finally` cannot run when the process is killed (SIGKILL, OOM), and the folder
 * holds a private key. Run when the app or the worker starts. Returns how many it removed.
 */
export function sweepStaleSecretFolders(opts: { dir?: string; olderThanMs?: number; now?: number } = {}): number {
  const dir = opts.dir ?? os.tmpdir();
  const cutoff = (opts.now ?? Date.now()) - (opts.olderThanMs ?? gitTimeoutMs());
  const uid = process.getuid?.();
  let removed = 0;
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(SECRET_DIR_PREFIX)) continue;
    const full = path.join(dir, name);
    try {
      const stat = fs.lstatSync(full);
      // Only our own real folders: never another user's, never through a symbolic link.
      if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || stat.mtimeMs > cutoff) continue;
      fs.rmSync(full, { recursive: true, force: true });
      removed++;
    } catch {
      // Gone meanwhile (its command finished) or not ours to read: nothing to sweep.
    }
  }
  return removed;
}
