import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SourceError } from "./source-error";

// SSH deploy keys (docs/decisions/024-private-repositories.md). The key and the server's host
// keys live only in a fresh 0700 folder for the length of one git command; ssh is told to use
// that key alone and to trust exactly those host keys, so nothing on the server (its own keys,
// its known_hosts, an agent) takes part.

export const MAX_PRIVATE_KEY_CHARS = 16_384;
export const MAX_KNOWN_HOSTS_CHARS = 65_536;

/** What git needs to reach an ssh:// or user@host:path source with a deploy key. */
export interface SshCredential {
  kind: "ssh";
  privateKey: string;
  /** known_hosts lines naming the server's host key(s). */
  knownHosts: string;
}

/** What may be shown of a deploy key: never the key. */
export interface DeployKeyInfo {
  fingerprint: string;
  keyType: string;
}

/** The known_hosts name of an ssh source's server: `host`, or `[host]:port` for another port. */
export function sshHostOf(source: string): string {
  const scp = /^[\w.-]+@([a-z0-9][\w.-]*):(?!\/\/)/i.exec(source.trim());
  if (scp) return scp[1].toLowerCase();
  let url: URL;
  try {
    url = new URL(source.trim());
  } catch {
    throw new SourceError("An SSH deploy key needs an ssh:// or user@host:path source.");
  }
  if (url.protocol !== "ssh:") throw new SourceError("An SSH deploy key needs an ssh:// or user@host:path source.");
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return url.port && url.port !== "22" ? `[${host}]:${url.port}` : host;
}

/** Whether git reaches `source` over ssh (ssh://, git+ssh://, or user@host:path), whatever else it is. */
export function isSshSource(source: string): boolean {
  const s = source.trim();
  if (/^(?:git\+)?ssh:\/\//i.test(s) || /^ssh\+git:\/\//i.test(s)) return true;
  // scp-like syntax: no scheme, a colon before the first slash (git's own rule).
  return !s.includes("://") && /^[^/]*:/.test(s) && !/^[a-z]:[\\/]/i.test(s);
}

/** The known_hosts lines that are entries (not blank, not comments). */
export function knownHostsEntries(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
}

/** The GIT_SSH_COMMAND for one key file and one known_hosts file; paths are single-quoted for git's shell. */
export function sshCommand(keyFile: string, knownHostsFile: string): string {
  const quote = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;
  return [
    "ssh",
    // No user or system ssh config: only what is written here applies.
    "-F /dev/null",
    `-i ${quote(keyFile)}`,
    "-o IdentitiesOnly=yes",
    "-o IdentityAgent=none",
    `-o UserKnownHostsFile=${quote(knownHostsFile)}`,
    "-o GlobalKnownHostsFile=/dev/null",
    "-o StrictHostKeyChecking=yes",
    "-o UpdateHostKeys=no",
    "-o BatchMode=yes",
    "-o ConnectTimeout=15",
    // A server that stops answering mid-fetch is dropped after a minute instead of holding the fetch.
    "-o ServerAliveInterval=15",
    "-o ServerAliveCountMax=4",
  ].join(" ");
}

/** Runs a program (ssh-keygen) with `stdin` as its input; resolves with its exit code and output. */
export function runWithInput(command: string, args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], timeout: 15_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    // A child that exits before reading its input (a key it refuses, a timeout under load) closes the pipe:
    // its exit code says what happened, so EPIPE must not crash the process as an unhandled error.
    child.stdin.on("error", () => {});
    child.stdin.end(stdin ?? "");
  });
}

/** The name every deploy-key folder starts with, under the system's temporary folder. */
export const SECRET_DIR_PREFIX = "specledger-ssh-";

/** A fresh 0700 folder holding `files` (each 0600), removed when `fn` settles, whatever happens. */
export async function withSecretFiles<T>(files: Record<string, string>, fn: (paths: Record<string, string>) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), SECRET_DIR_PREFIX));
  try {
    fs.chmodSync(dir, 0o700);
    const paths: Record<string, string> = {};
    for (const [name, content] of Object.entries(files)) {
      paths[name] = path.join(dir, name);
      // A private key must end with a newline or OpenSSH cannot load it.
      fs.writeFileSync(paths[name], content.endsWith("\n") ? content : `${content}\n`, { mode: 0o600, flag: "wx" });
    }
    return await fn(paths);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Checks a deploy key and the server's host key lines with ssh-keygen, and returns the key's
 * fingerprint and type. Refuses, with a sentence that quotes neither, a key that is not an
 * unencrypted private key, a passphrase-protected one, and host key text with a line that is
 * not a known_hosts entry. Never echoes ssh-keygen's words, which could quote the input.
 */
export async function inspectDeployKey(credential: Omit<SshCredential, "kind">): Promise<DeployKeyInfo> {
  const privateKey = credential.privateKey.trim();
  if (!privateKey) throw new SourceError("Paste the deploy key's private key (OpenSSH or PEM text).");
  if (privateKey.length > MAX_PRIVATE_KEY_CHARS) throw new SourceError(`A private key is at most ${MAX_PRIVATE_KEY_CHARS} characters.`);
  if (!/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(privateKey)) {
    throw new SourceError("That is not a private key: paste the OpenSSH or PEM text that starts with -----BEGIN … PRIVATE KEY-----.");
  }
  if (/Proc-Type:\s*4,ENCRYPTED/.test(privateKey) || /BEGIN ENCRYPTED PRIVATE KEY/.test(privateKey)) {
    throw new SourceError("The private key is protected by a passphrase: give a deploy key without one (the server cannot type it).");
  }
  const entries = knownHostsEntries(credential.knownHosts);
  if (entries.length === 0) throw new SourceError("Give the server's host key as known_hosts lines (from `ssh-keyscan <host>`), or the fetch cannot trust it.");
  if (credential.knownHosts.length > MAX_KNOWN_HOSTS_CHARS) throw new SourceError(`Host keys are at most ${MAX_KNOWN_HOSTS_CHARS} characters.`);
  if (entries.some((line) => line.startsWith("@revoked") || line.startsWith("@cert-authority"))) {
    throw new SourceError("Host keys must be plain known_hosts lines (no @revoked or @cert-authority markers).");
  }
  const hosts = await runWithInput("ssh-keygen", ["-l", "-E", "sha256", "-f", "-"], entries.join("\n") + "\n");
  const listed = hosts.stdout.split("\n").filter((line) => /SHA256:/.test(line)).length;
  if (hosts.code !== 0 || listed !== entries.length) {
    throw new SourceError("The host keys are not valid known_hosts lines: each line is `host key-type base64-key` (as `ssh-keyscan <host>` prints).");
  }
  return withSecretFiles({ key: privateKey }, async ({ key }) => {
    // -P "": an encrypted key fails here rather than waiting for a passphrase.
    const pub = await runWithInput("ssh-keygen", ["-y", "-P", "", "-f", key]);
    if (pub.code !== 0) {
      if (/passphrase/i.test(pub.stderr))
        throw new SourceError("The private key is protected by a passphrase: give a deploy key without one (the server cannot type it).");
      throw new SourceError("The private key cannot be read: paste the whole OpenSSH or PEM private key, unchanged.");
    }
    const print = await runWithInput("ssh-keygen", ["-l", "-E", "sha256", "-f", "-"], pub.stdout);
    const match = /^\d+ (SHA256:[A-Za-z0-9+/=]+) .*\(([A-Z0-9-]+)\)\s*$/m.exec(print.stdout);
    if (print.code !== 0 || !match) throw new SourceError("The private key cannot be read: paste the whole OpenSSH or PEM private key, unchanged.");
    return { fingerprint: match[1], keyType: match[2] };
  });
}

/** Whether `knownHosts` names a key for `host` (hashed entries included), as ssh will look it up. */
export async function knowsHost(knownHosts: string, host: string): Promise<boolean> {
  return withSecretFiles({ known_hosts: knownHosts }, async (paths) => (await runWithInput("ssh-keygen", ["-F", host, "-f", paths.known_hosts])).code === 0);
}
