import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db, type Role } from "@/lib/db";
import { stopQueue } from "@/lib/jobs/queue";
import { addRepositoryHere, clearRepositoryCredential, requestImportHere, setRepositoryCredential } from "@/lib/operations/repositories";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { makeKeyPair, serveGitOverSsh, type TestSshServer } from "@/lib/testing/ssh-server";
import { credentialFromFields, credentialTransport } from "./credentials";
import { SYSTEM_VIEWER, runImport } from "./index";

// Real git over real SSH: /usr/bin/ssh, driven by git, against an ssh2 server in this process
// that accepts only the deploy key and runs git-upload-pack on a TestRepo.

const repos: TestRepo[] = [];
const servers: TestSshServer[] = [];
const deployKey = makeKeyPair();
const otherKey = makeKeyPair();
// A line no test may ever find in the database: the middle of the private key's body.
const keyBody = (key: string) => key.split("\n").slice(2, 4).join("\n");

beforeEach(() => {
  process.env.SPECLEDGER_SECRET_KEY ??= "a".repeat(64);
});
afterAll(async () => {
  repos.forEach((r) => r.remove());
  await Promise.all(servers.map((s) => s.stop()));
  await stopQueue();
});

async function privateRepository() {
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("one", { "specs/pay/spec.md": `# ${randomName("pay")}\n`, "README.md": "hi\n" });
  repo.commit("two", { "specs/pay/spec.md": `# ${randomName("pay")}\nmore\n`, "specs/auth/spec.md": "# auth\n" });
  const server = await serveGitOverSsh({ repositories: [repo.path], authorizedKey: deployKey.publicKey });
  servers.push(server);
  return { repo, server, url: server.urlOf(repo.path) };
}

async function user(role: Role) {
  const row = await db.user.create({ data: { email: `${randomName(role)}@creds.test`, name: role, role } });
  return { id: row.id, email: row.email, role: row.role };
}

/** Every stored trace of a repository a secret could leak into: its row (but the sealed column), imports and audit events. */
async function storedTraces(repositoryId: string): Promise<string> {
  const { credential: _sealed, ...row } = await db.repository.findUniqueOrThrow({ where: { id: repositoryId } });
  const imports = await db.import.findMany({ where: { repositoryId } });
  const audit = await db.auditEvent.findMany({ where: { subject: `repository:${repositoryId}` } });
  return JSON.stringify([row, imports, audit]);
}

async function importNow(repositoryId: string) {
  const requested = await requestImportHere(SYSTEM_VIEWER, { repositoryId });
  return runImport({ importId: requested.id, findings: "skip" });
}

describe("a private repository over SSH with a deploy key", () => {
  let ready: Awaited<ReturnType<typeof privateRepository>>;
  beforeAll(async () => {
    ready = await privateRepository();
  });

  it("imports with the key: the versions are the repository's, and the key is stored sealed", async () => {
    const { repo, server, url } = ready;
    const { repository, import: record } = await addRepositoryHere(SYSTEM_VIEWER, {
      source: url,
      name: randomName("ssh"),
      credential: { kind: "ssh", privateKey: deployKey.privateKey, knownHosts: server.knownHosts },
    });
    expect(repository.credential).toMatchObject({ kind: "ssh", fingerprint: deployKey.fingerprint, keyType: "ED25519", setBy: "system" });
    const done = await runImport({ importId: record.id, findings: "skip" });
    expect(done).toMatchObject({ status: "succeeded", error: null, toCommit: repo.git("rev-parse", "HEAD"), specsAdded: 2, versionsAdded: 3 });
    expect(server.commands.some((c) => c.startsWith("git-upload-pack"))).toBe(true);
    const specs = await db.spec.findMany({ where: { repositoryId: repository.id }, select: { path: true } });
    expect(specs.map((s) => s.path).sort()).toEqual(["specs/auth/spec.md", "specs/pay/spec.md"]);
    const row = await db.repository.findUniqueOrThrow({ where: { id: repository.id } });
    expect(row.credential).toMatch(/^v1:/);
    expect(row.credential).not.toContain(keyBody(deployKey.privateKey));
    expect(await storedTraces(repository.id)).not.toContain(keyBody(deployKey.privateKey));
  });

  it("fails an import with the wrong key: a redacted cause, nothing versioned, no secret stored", async () => {
    const { url, server } = await privateRepository();
    const { repository, import: record } = await addRepositoryHere(SYSTEM_VIEWER, {
      source: url,
      credential: { kind: "ssh", privateKey: otherKey.privateKey, knownHosts: server.knownHosts },
    });
    const failed = await runImport({ importId: record.id, findings: "skip" });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/the server refused the deploy key/);
    expect(await db.specVersion.count({ where: { spec: { repositoryId: repository.id } } })).toBe(0);
    const traces = await storedTraces(repository.id);
    expect(traces).not.toContain(keyBody(otherKey.privateKey));
    expect(traces).not.toContain("PRIVATE KEY");
  });

  it("refuses to fetch when the host key is unknown, and fails when it does not match", async () => {
    const { url, server } = await privateRepository();
    const stranger = makeKeyPair();
    const before = server.commands.length;
    // A host key for another port of the same address is not this server's.
    const unknown = await addRepositoryHere(SYSTEM_VIEWER, {
      source: url,
      credential: { kind: "ssh", privateKey: deployKey.privateKey, knownHosts: `[127.0.0.1]:1 ${stranger.publicKey}` },
    });
    const refused = await runImport({ importId: unknown.import.id, findings: "skip" });
    expect(refused.status).toBe("failed");
    expect(refused.error).toContain(`The host key of [127.0.0.1]:${server.port} is not known; add it to the repository's credential`);

    await db.repository.update({ where: { id: unknown.repository.id }, data: { sourceKey: randomName("moved") } });
    const mismatched = await addRepositoryHere(SYSTEM_VIEWER, {
      source: url,
      credential: { kind: "ssh", privateKey: deployKey.privateKey, knownHosts: `[127.0.0.1]:${server.port} ${stranger.publicKey}` },
    });
    const failed = await runImport({ importId: mismatched.import.id, findings: "skip" });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/host key does not match/);
    expect(server.commands.length).toBe(before);
  });

  it("rotates the key (admins only, audited without the secret) and the next import uses it; removal too", async () => {
    const { url, server, repo } = await privateRepository();
    const [admin, maintainer] = [await user("admin"), await user("maintainer")];
    const { repository, import: record } = await addRepositoryHere(SYSTEM_VIEWER, {
      source: url,
      credential: { kind: "ssh", privateKey: otherKey.privateKey, knownHosts: server.knownHosts },
    });
    expect((await runImport({ importId: record.id, findings: "skip" })).status).toBe("failed");

    const rotate = { repositoryId: repository.id, kind: "ssh" as const, privateKey: deployKey.privateKey, knownHosts: server.knownHosts };
    await expect(setRepositoryCredential(maintainer, rotate)).rejects.toMatchObject({ code: "forbidden" });
    await expect(clearRepositoryCredential(maintainer, { repositoryId: repository.id })).rejects.toMatchObject({ code: "forbidden" });
    const rotated = await setRepositoryCredential(admin, rotate);
    expect(rotated.credential).toMatchObject({ kind: "ssh", fingerprint: deployKey.fingerprint, setBy: admin.email });
    const event = await db.auditEvent.findFirstOrThrow({ where: { subject: `repository:${repository.id}`, action: "repository.credential_rotated" } });
    expect(event.payload).toMatchObject({
      summary: `credential rotated: ssh key ${deployKey.fingerprint} (ED25519) (was ssh key ${otherKey.fingerprint} (ED25519))`,
    });
    expect(await importNow(repository.id)).toMatchObject({ status: "succeeded", toCommit: repo.git("rev-parse", "HEAD") });

    await clearRepositoryCredential(admin, { repositoryId: repository.id });
    expect(await db.repository.findUniqueOrThrow({ where: { id: repository.id } })).toMatchObject({ credential: null, credentialKind: null });
    expect(await db.auditEvent.count({ where: { subject: `repository:${repository.id}`, action: "repository.credential_cleared" } })).toBe(1);
    repo.commit("three", { "specs/pay/spec.md": "# pay\nthree\n" });
    expect((await importNow(repository.id)).status).toBe("failed");

    const traces = await storedTraces(repository.id);
    for (const key of [deployKey, otherKey]) expect(traces).not.toContain(keyBody(key.privateKey));
  });

  it("refuses a malformed or passphrase-protected key, or a key for an https source, and stores nothing", async () => {
    const { url, server } = await privateRepository();
    const admin = await user("admin");
    const { repository } = await addRepositoryHere(SYSTEM_VIEWER, {
      source: url,
      credential: { kind: "ssh", privateKey: deployKey.privateKey, knownHosts: server.knownHosts },
    });
    const before = await db.repository.findUniqueOrThrow({ where: { id: repository.id } });
    const locked = makeKeyPair({ passphrase: "correct horse" });
    for (const [privateKey, knownHosts, message] of [
      ["-----BEGIN OPENSSH PRIVATE KEY-----\nnot base64 at all\n-----END OPENSSH PRIVATE KEY-----", server.knownHosts, /cannot be read/],
      [locked.privateKey, server.knownHosts, /passphrase/],
      [deployKey.privateKey, "not a host key", /known_hosts/],
    ] as const) {
      await expect(setRepositoryCredential(admin, { repositoryId: repository.id, kind: "ssh", privateKey, knownHosts })).rejects.toMatchObject({
        code: "unprocessable",
        message: expect.stringMatching(message),
      });
    }
    expect(await db.repository.findUniqueOrThrow({ where: { id: repository.id } })).toEqual(before);
    expect(await db.auditEvent.count({ where: { subject: `repository:${repository.id}`, action: { startsWith: "repository.credential" } } })).toBe(0);

    const host = `${randomName("git")}.example.com`;
    await expect(
      addRepositoryHere(SYSTEM_VIEWER, {
        source: `https://${host}/x.git`,
        credential: { kind: "ssh", privateKey: deployKey.privateKey, knownHosts: server.knownHosts },
      }),
    ).rejects.toMatchObject({ code: "unprocessable" });
    await expect(addRepositoryHere(SYSTEM_VIEWER, { source: `${url}-2`, credential: { kind: "https", token: "tok" } })).rejects.toMatchObject({
      code: "unprocessable",
    });
    expect(await db.repository.count({ where: { source: { contains: host } } })).toBe(0);
  });
});

describe("an https token given as fields", () => {
  it("is stored sealed and shown only as its user name; a token in the URL and in fields at once is refused", async () => {
    const host = `${randomName("git")}.example.com`;
    const token = `ghp_${randomName("tok")}`;
    const { repository } = await addRepositoryHere(SYSTEM_VIEWER, { source: `https://${host}/acme/pay.git`, credential: { kind: "https", token } });
    expect(repository.credential).toMatchObject({ kind: "https", username: "x-access-token", fingerprint: null });
    expect(await storedTraces(repository.id)).not.toContain(token);
    await expect(
      addRepositoryHere(SYSTEM_VIEWER, { source: `https://u:${token}@${host}/acme/other.git`, credential: { kind: "https", token } }),
    ).rejects.toMatchObject({ code: "unprocessable" });
    // A token alone in the URL is the secret in the user-name place: never shown as a user name.
    const { repository: bare } = await addRepositoryHere(SYSTEM_VIEWER, { source: `https://${token}@${host}/acme/third.git` });
    expect(bare.credential).toMatchObject({ kind: "https", username: null });
    expect(await storedTraces(bare.id)).not.toContain(token);
  });
});

describe("credentialFromFields and credentialTransport", () => {
  const none = { kind: "", username: "", token: "", privateKey: "", knownHosts: "" };
  it("reads only the chosen kind's fields, and leaves judging them to the operation's schema", () => {
    expect(credentialFromFields(none)).toBeUndefined();
    expect(credentialFromFields({ ...none, kind: "https", token: "t", privateKey: "ignored" })).toEqual({ kind: "https", token: "t" });
    expect(credentialFromFields({ ...none, kind: "https", username: " bob ", token: "t" })).toEqual({ kind: "https", username: " bob ", token: "t" });
    expect(credentialFromFields({ ...none, kind: "ssh", privateKey: "k", knownHosts: "h", token: "ignored" })).toEqual({
      kind: "ssh",
      privateKey: "k",
      knownHosts: "h",
    });
    expect(credentialFromFields({ ...none, kind: "password" })).toEqual({ kind: "password" });
  });

  it("names the transport a source's credential must suit", () => {
    expect(credentialTransport("https://git.example.com/a/b.git")).toBe("https");
    expect(credentialTransport("ssh://git@git.example.com/a/b.git")).toBe("ssh");
    expect(credentialTransport("git@git.example.com:a/b.git")).toBe("ssh");
    expect(credentialTransport("git://git.example.com/a/b.git")).toBeNull();
    expect(credentialTransport("/srv/git/a")).toBeNull();
  });
});
