import { spawn } from "node:child_process";

export class GitError extends Error {
  constructor(message: string, readonly stderr: string) {
    super(message);
    this.name = "GitError";
  }
}

// Only plain transports: `ext::` and friends would let a repository URL run commands.
const SAFE_ENV = {
  GIT_ALLOW_PROTOCOL: "file:git:http:https:ssh",
  GIT_TERMINAL_PROMPT: "0",
  GIT_ASKPASS: "/bin/false",
  SSH_ASKPASS: "/bin/false",
  GIT_SSH_COMMAND: "ssh -o BatchMode=yes -o ConnectTimeout=15",
};

/** The environment every git process runs with. */
export function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...SAFE_ENV };
}

/** Runs git and resolves with its trimmed stdout; rejects with its stderr. Small outputs only. */
export function git(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: opts.cwd,
      env: gitEnv(),
      stdio: ["ignore", "pipe", "pipe"],
      timeout: opts.timeoutMs ?? 10 * 60_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => reject(new GitError(`git could not be started: ${error.message}`, "")));
    child.on("close", (code, signal) => {
      if (code === 0) return resolve(stdout.trim());
      const reason = signal ? `was stopped (${signal})` : `exited with ${code}`;
      reject(new GitError(`git ${args.filter((a) => !a.startsWith("--git-dir")).slice(0, 2).join(" ")} ${reason}: ${stderr.trim()}`, stderr));
    });
  });
}
