import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { git, sweepStaleSecretFolders } from "./git";
import { makeKeyPair } from "@/lib/testing/ssh-server";
import { SECRET_DIR_PREFIX, inspectDeployKey, isSshSource, knownHostsEntries, knowsHost, runWithInput, sshCommand, sshHostOf, withSecretFiles } from "./ssh";
import { SourceError } from "./source-error";

describe("runWithInput", () => {
  it("answers with the exit code when the program exits without reading its input (EPIPE is not a crash)", async () => {
    // 4 MiB is far more than a pipe holds, so writing it to `true` always meets a closed pipe.
    await expect(runWithInput("true", [], "x".repeat(4 * 1024 * 1024))).resolves.toMatchObject({ code: 0 });
    await expect(runWithInput("false", [], "x".repeat(4 * 1024 * 1024))).resolves.toMatchObject({ code: 1 });
  });
});

describe("sshHostOf", () => {
  it("names the host as known_hosts does: bare on port 22, [host]:port otherwise", () => {
    expect(sshHostOf("git@GitHub.com:acme/pay.git")).toBe("github.com");
    expect(sshHostOf("ssh://git@git.example.com/acme/pay.git")).toBe("git.example.com");
    expect(sshHostOf("ssh://git@git.example.com:22/x")).toBe("git.example.com");
    expect(sshHostOf("ssh://git@127.0.0.1:2222/x")).toBe("[127.0.0.1]:2222");
  });

  it("refuses sources that are not ssh", () => {
    for (const source of ["https://github.com/acme/pay", "git://example.com/x", "/srv/git/x"]) expect(() => sshHostOf(source)).toThrow(SourceError);
  });
});

describe("sshCommand", () => {
  it("uses the given key alone, trusts only the given host keys and never prompts", () => {
    const command = sshCommand("/tmp/a b/key", "/tmp/it's/known_hosts");
    expect(command).toContain("-i '/tmp/a b/key'");
    expect(command).toContain(`-o UserKnownHostsFile='/tmp/it'\\''s/known_hosts'`);
    for (const option of ["IdentitiesOnly=yes", "StrictHostKeyChecking=yes", "BatchMode=yes", "GlobalKnownHostsFile=/dev/null", "IdentityAgent=none"]) {
      expect(command).toContain(`-o ${option}`);
    }
    expect(command).toContain("-F /dev/null");
  });
});

describe("knownHostsEntries", () => {
  it("keeps entries and drops blank lines and comments", () => {
    expect(knownHostsEntries("# github\n\ngithub.com ssh-ed25519 AAAA\r\n  \n[h]:2 ssh-rsa BBBB\n")).toEqual([
      "github.com ssh-ed25519 AAAA",
      "[h]:2 ssh-rsa BBBB",
    ]);
  });
});

describe("withSecretFiles", () => {
  it("writes 0600 files in a 0700 folder and removes them, also when the work fails", async () => {
    let seen = "";
    await expect(
      withSecretFiles({ key: "secret" }, async ({ key }) => {
        seen = key;
        expect(fs.statSync(key).mode & 0o777).toBe(0o600);
        expect(fs.statSync(key.replace(/\/key$/, "")).mode & 0o777).toBe(0o700);
        expect(fs.readFileSync(key, "utf8")).toBe("secret\n");
        throw new Error("git timed out");
      }),
    ).rejects.toThrow("git timed out");
    expect(fs.existsSync(seen)).toBe(false);
  });
});

describe("inspectDeployKey", () => {
  const host = makeKeyPair();
  const knownHosts = `git.example.com ${host.publicKey}`;

  it("gives the fingerprint and type of OpenSSH and PEM keys", async () => {
    const ed = makeKeyPair();
    expect(await inspectDeployKey({ privateKey: ed.privateKey, knownHosts })).toEqual({ fingerprint: ed.fingerprint, keyType: "ED25519" });
    const rsa = makeKeyPair({ type: "rsa" });
    expect(await inspectDeployKey({ privateKey: rsa.privateKey.trim(), knownHosts: `# scanned\n${knownHosts}\n` })).toEqual({
      fingerprint: rsa.fingerprint,
      keyType: "RSA",
    });
  });

  it("refuses a passphrase-protected key, a public key, garbage and bad host key lines, quoting none of them", async () => {
    const good = makeKeyPair();
    const locked = makeKeyPair({ passphrase: "hunter2-passphrase" });
    const cases: [Parameters<typeof inspectDeployKey>[0], RegExp][] = [
      [{ privateKey: locked.privateKey, knownHosts }, /passphrase/],
      [{ privateKey: good.publicKey, knownHosts }, /not a private key/],
      [{ privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAnotakey\n-----END OPENSSH PRIVATE KEY-----\n", knownHosts }, /cannot be read/],
      [{ privateKey: good.privateKey, knownHosts: "" }, /host key/],
      [{ privateKey: good.privateKey, knownHosts: `${knownHosts}\nnot a known hosts line` }, /not valid known_hosts lines/],
      [{ privateKey: good.privateKey, knownHosts: `@revoked ${knownHosts}` }, /@revoked/],
    ];
    for (const [input, message] of cases) {
      const error = await inspectDeployKey(input).then(
        () => null,
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(SourceError);
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain("AAAA");
    }
  });
});

describe("knowsHost", () => {
  it("finds plain and hashed entries for the host, on its port", async () => {
    const host = makeKeyPair();
    const line = `[127.0.0.1]:2222 ${host.publicKey}`;
    expect(await knowsHost(line, "[127.0.0.1]:2222")).toBe(true);
    expect(await knowsHost(line, "127.0.0.1")).toBe(false);
    expect(await knowsHost(line, "[127.0.0.1]:2223")).toBe(false);
  });
});

describe("git with an SSH credential", () => {
  it("removes the key's folder when git is stopped by its timeout", async () => {
    // A server that accepts the connection and never says a word: only the timeout ends git.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-tmp-"));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const key = makeKeyPair();
      const credential = { kind: "ssh" as const, privateKey: key.privateKey, knownHosts: `[127.0.0.1]:${port} ${makeKeyPair().publicKey}` };
      const run = git(["ls-remote", `ssh://git@127.0.0.1:${port}/x`], { credential, timeoutMs: 1000 });
      await expect(run).rejects.toThrow(/stopped \(SIGTERM\)/);
      expect(fs.readdirSync(tmp)).toEqual([]);
    } finally {
      process.env.TMPDIR = saved;
      if (saved === undefined) delete process.env.TMPDIR;
      sockets.forEach((s) => s.destroy());
      silent.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe("isSshSource", () => {
  it("knows every spelling git fetches over ssh, and nothing else", () => {
    for (const source of ["git@github.com:acme/pay.git", "ssh://git@h/x", "git+ssh://h/x", "SSH://h/x", "host:repo"])
      expect(isSshSource(source), source).toBe(true);
    for (const source of ["https://github.com/acme/pay", "git://h/x", "/srv/git/x", "C:\\repos\\x", "./a:b"]) expect(isSshSource(source), source).toBe(false);
  });
});

describe("ssh without a deploy key", () => {
  it("fails closed: git's own ssh gets no keys, agent, config or known hosts (the host key cannot be verified)", async () => {
    // A listening port that is not an ssh server would hang; a closed port fails at once. What matters is what ssh was told.
    const error = await git(["ls-remote", "ssh://git@127.0.0.1:1/x.git"]).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const env = (await import("./git")).gitEnv(null);
    expect(env.GIT_SSH_COMMAND).toMatch(/-F \/dev\/null/);
    expect(env.GIT_SSH_COMMAND).toMatch(/IdentityAgent=none/);
    expect(env.GIT_SSH_COMMAND).toMatch(/UserKnownHostsFile=\/dev\/null/);
    expect(env.GIT_CONFIG_GLOBAL).toBe("/dev/null");
    expect(env.GIT_CONFIG_NOSYSTEM).toBe("1");
  });
});

describe("sweepStaleSecretFolders", () => {
  it("removes deploy-key folders older than the git timeout, and nothing else", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-sweep-"));
    try {
      const stale = path.join(dir, `${SECRET_DIR_PREFIX}stale`);
      const fresh = path.join(dir, `${SECRET_DIR_PREFIX}fresh`);
      const other = path.join(dir, "other-stale");
      for (const d of [stale, fresh, other]) {
        fs.mkdirSync(d);
        fs.writeFileSync(path.join(d, "key"), "secret");
      }
      const now = Date.now();
      const old = new Date(now - 3_600_000);
      fs.utimesSync(stale, old, old);
      fs.utimesSync(other, old, old);
      // A link named like a key folder is not followed or removed.
      const link = path.join(dir, `${SECRET_DIR_PREFIX}link`);
      fs.symlinkSync(other, link);
      expect(sweepStaleSecretFolders({ dir, olderThanMs: 600_000, now })).toBe(1);
      expect(fs.existsSync(stale)).toBe(false);
      expect(fs.existsSync(path.join(fresh, "key"))).toBe(true);
      expect(fs.existsSync(path.join(other, "key"))).toBe(true);
      expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
