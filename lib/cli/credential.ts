import { readFileSync } from "node:fs";
import { CliExit, EXIT } from "./exit";

/** The CLI's credential options: a token is named by the environment variable holding it, never given on the command line (ps shows it). */
export interface CredentialOptions {
  tokenEnv?: string;
  username?: string;
  sshKey?: string;
  knownHosts?: string;
}

type Credential = { kind: "https"; token: string; username?: string } | { kind: "ssh"; privateKey: string; knownHosts: string };

/** The credential the options describe, or undefined for none; misuse is a usage error (exit 2) that never quotes a secret. */
export function credentialFromOptions(
  opts: CredentialOptions,
  env: Record<string, string | undefined> = process.env,
  read: (file: string) => string = (file) => readFileSync(file, "utf8"),
): Credential | undefined {
  const ssh = opts.sshKey !== undefined || opts.knownHosts !== undefined;
  if (opts.tokenEnv !== undefined && ssh) throw new CliExit(EXIT.usage, "Give either --token-env or --ssh-key with --known-hosts, not both.");
  if (opts.tokenEnv !== undefined) {
    const token = env[opts.tokenEnv];
    if (!token) throw new CliExit(EXIT.usage, `--token-env ${opts.tokenEnv}: that environment variable is not set or empty.`);
    return { kind: "https", token, ...(opts.username ? { username: opts.username } : {}) };
  }
  if (opts.username !== undefined) throw new CliExit(EXIT.usage, "--username goes with --token-env.");
  if (!ssh) return undefined;
  if (!opts.sshKey || !opts.knownHosts)
    throw new CliExit(EXIT.usage, "--ssh-key and --known-hosts go together: the server's host key must be known (ssh-keyscan <host> > file).");
  const readOrExit = (file: string, what: string) => {
    try {
      return read(file);
    } catch (error) {
      throw new CliExit(EXIT.usage, `Cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}.`);
    }
  };
  return { kind: "ssh", privateKey: readOrExit(opts.sshKey, "deploy key"), knownHosts: readOrExit(opts.knownHosts, "known_hosts file") };
}
