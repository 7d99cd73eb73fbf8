import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { timingSafeEqual } from "node:crypto";
import ssh2 from "ssh2";

/** A key pair made with ssh-keygen: OpenSSH private key text, the public key line, its SHA256 fingerprint. */
export interface TestKeyPair {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
}

/** A fresh key pair (ed25519 unless told), optionally protected by a passphrase. */
export function makeKeyPair(opts: { type?: "ed25519" | "rsa"; passphrase?: string } = {}): TestKeyPair {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-testkey-"));
  try {
    const file = path.join(dir, "key");
    const type = opts.type ?? "ed25519";
    execFileSync("ssh-keygen", ["-q", "-t", type, ...(type === "rsa" ? ["-b", "2048"] : []), "-N", opts.passphrase ?? "", "-C", "deploy@test", "-f", file]);
    const fingerprint = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", `${file}.pub`], { encoding: "utf8" }).split(" ")[1];
    return { privateKey: fs.readFileSync(file, "utf8"), publicKey: fs.readFileSync(`${file}.pub`, "utf8").trim(), fingerprint };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface TestSshServer {
  port: number;
  /** ssh://git@127.0.0.1:<port>/<folder name> for a served repository. */
  urlOf: (repositoryPath: string) => string;
  /** The server's host key as a known_hosts line. */
  knownHosts: string;
  /** Every exec request the server received, as sent. */
  commands: string[];
  stop: () => Promise<void>;
}

/**
 * A real SSH server (the ssh2 package) on the loopback address for tests. It accepts only the
 * public key it is given and runs `git-upload-pack` for the repositories it serves, so git and
 * /usr/bin/ssh fetch from it exactly as from a forge.
 */
export async function serveGitOverSsh(opts: { repositories: string[]; authorizedKey: string }): Promise<TestSshServer> {
  const hostKey = makeKeyPair();
  const allowed = ssh2.utils.parseKey(opts.authorizedKey);
  if (allowed instanceof Error) throw allowed;
  const served = new Map(opts.repositories.map((p) => [path.basename(p), p]));
  const commands: string[] = [];
  const server = new ssh2.Server({ hostKeys: [hostKey.privateKey] }, (client) => {
    client.on("authentication", (ctx) => {
      if (ctx.method !== "publickey") return ctx.reject(["publickey"]);
      const wanted = allowed.getPublicSSH();
      const same = ctx.key.algo === allowed.type && ctx.key.data.length === wanted.length && timingSafeEqual(ctx.key.data, wanted);
      if (!same) return ctx.reject(["publickey"]);
      // Without a signature the client only asks whether this key would do.
      if (!ctx.signature) return ctx.accept();
      if (ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      return ctx.reject(["publickey"]);
    });
    client.on("error", () => {});
    client.on("ready", () => {
      client.on("session", (acceptSession) => {
        const session = acceptSession();
        const env: Record<string, string> = {};
        session.on("env", (accept, _reject, info) => {
          if (info.key === "GIT_PROTOCOL") env.GIT_PROTOCOL = info.val;
          accept?.();
        });
        session.on("exec", (accept, reject, info) => {
          commands.push(info.command);
          const match = /^git-upload-pack '\/?([^'/]+?)(?:\.git)?'$/.exec(info.command);
          const repository = match ? served.get(match[1]) : undefined;
          if (!repository) return reject();
          const channel = accept();
          const child = spawn("git-upload-pack", [repository], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
          channel.pipe(child.stdin);
          child.stdout.pipe(channel, { end: false });
          child.stderr.pipe(channel.stderr, { end: false });
          child.on("close", (code) => {
            channel.exit(code ?? 1);
            channel.end();
          });
          child.stdin.on("error", () => {});
        });
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    urlOf: (repositoryPath) => `ssh://git@127.0.0.1:${port}/${path.basename(repositoryPath)}`,
    knownHosts: `[127.0.0.1]:${port} ${hostKey.publicKey.split(" ").slice(0, 2).join(" ")}`,
    commands,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
