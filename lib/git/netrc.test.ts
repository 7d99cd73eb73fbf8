// Task C §3: git's HTTP client read the server user's ~/.netrc, so a repository added without a
// credential was fetched with whatever that file held for its host. Real git over real HTTPS.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { serveGitOverHttps } from "@/lib/testing/git-https";
import { TestRepo } from "@/lib/testing/git-repo";
import { git, gitEnv } from "./git";

const run = promisify(execFile);
const repo = TestRepo.create();
const home = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-home-"));
const saved = { HOME: process.env.HOME, GIT_SSL_CAINFO: process.env.GIT_SSL_CAINFO, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
let server: Awaited<ReturnType<typeof serveGitOverHttps>>;
let url: string;

beforeAll(async () => {
  repo.commit("one", { "specs/a/spec.md": "# a\n" });
  server = await serveGitOverHttps({ parent: path.dirname(repo.path), username: "bob", password: "netrc-secret" });
  url = server.url(repo.path);
  // The server user's own files: a netrc with the right password for this host, and a
  // credential store (in an XDG config folder) that a helper would read.
  fs.writeFileSync(path.join(home, ".netrc"), "machine 127.0.0.1 login bob password netrc-secret\n", { mode: 0o600 });
  fs.mkdirSync(path.join(home, ".config", "git"), { recursive: true });
  fs.writeFileSync(path.join(home, ".config", "git", "config"), "[credential]\n\thelper = store\n");
  fs.writeFileSync(path.join(home, ".git-credentials"), `https://bob:netrc-secret@127.0.0.1\n`, { mode: 0o600 });
  Object.assign(process.env, { HOME: home, GIT_SSL_CAINFO: server.caFile, XDG_CONFIG_HOME: path.join(home, ".config") });
});

afterAll(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  server?.stop();
  repo.remove();
  fs.rmSync(home, { recursive: true, force: true });
});

it("the planted netrc does open the repository to plain git (the control)", async () => {
  const { stdout } = await run("git", ["ls-remote", url, "HEAD"], { env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });
  expect(stdout).toContain(repo.git("rev-parse", "HEAD"));
});

it("Specledger's git ignores the server user's netrc and credential helpers: without the repository's own credential it is refused", async () => {
  await expect(git(["ls-remote", url, "HEAD"])).rejects.toThrow(/Authentication failed|could not read Username|401/);
  const env = gitEnv();
  expect(env.HOME).toBe("/dev/null");
  expect(env.XDG_CONFIG_HOME).toBeUndefined();
});

it("still fetches with the repository's own credential", async () => {
  const origin = new URL(url).origin + "/";
  const out = await git(["ls-remote", url, "HEAD"], { credential: { kind: "https", origin, username: "bob", password: "netrc-secret" } });
  expect(out).toContain(repo.git("rev-parse", "HEAD"));
  await expect(git(["ls-remote", url, "HEAD"], { credential: { kind: "https", origin, username: "bob", password: "wrong" } })).rejects.toThrow();
});
