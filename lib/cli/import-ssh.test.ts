import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { isolatedCli } from "@/lib/testing/cli";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { makeKeyPair, serveGitOverSsh } from "@/lib/testing/ssh-server";

// The real CLI, in a child process, importing over real SSH with a deploy key read from files.

const cli = isolatedCli({ cwd: os.tmpdir() });
const cleanup: (() => void | Promise<void>)[] = [cli.remove];
afterAll(async () => {
  for (const step of cleanup) await step();
});

const specledger = cli.run;

describe("specledger import with a credential", () => {
  it("imports a private repository over ssh with --ssh-key and --known-hosts, and stores the key sealed", async () => {
    const repo = TestRepo.create();
    cleanup.push(() => repo.remove());
    repo.commit("one", { "specs/login/spec.md": "# Login\n" });
    const key = makeKeyPair();
    const server = await serveGitOverSsh({ repositories: [repo.path], authorizedKey: key.publicKey });
    cleanup.push(() => server.stop());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-cli-key-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, "key"), key.privateKey, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, "known_hosts"), server.knownHosts);

    const name = randomName("cli-ssh");
    const url = server.urlOf(repo.path);
    const result = await specledger([
      "import",
      url,
      "--json",
      "--name",
      name,
      "--ssh-key",
      path.join(dir, "key"),
      "--known-hosts",
      path.join(dir, "known_hosts"),
    ]);
    expect(result.stderr).not.toContain("PRIVATE KEY");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "succeeded", versionsAdded: 1 });
    const row = await db.repository.findUniqueOrThrow({ where: { name } });
    expect(row).toMatchObject({ credentialKind: "ssh", credentialFingerprint: key.fingerprint });
  });

  it("refuses --token-env naming an unset variable as a usage error, before anything is written", async () => {
    const host = `${randomName("git")}.example.com`;
    const result = await specledger(["import", `https://${host}/acme/pay.git`, "--token-env", `UNSET_${randomName("v").replace(/\W/g, "_")}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not set or empty/);
    expect(await db.repository.count({ where: { source: { contains: host } } })).toBe(0);
  });
});
