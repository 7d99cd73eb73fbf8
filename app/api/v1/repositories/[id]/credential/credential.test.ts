import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { callRoute, userWithToken } from "@/lib/testing/api";
import { randomName } from "@/lib/testing/git-repo";
import { makeKeyPair } from "@/lib/testing/ssh-server";

// POST /repositories/{id}/credential and …/credential/remove: admins only, answers and audit
// name the key by fingerprint, and a refused request stores nothing.

const key = makeKeyPair();
const hostKey = makeKeyPair();
const knownHosts = `git.example.com ${hostKey.publicKey}`;
const keyBody = key.privateKey.split("\n").slice(2, 4).join("\n");
let admin: Awaited<ReturnType<typeof userWithToken>>;

beforeAll(async () => {
  admin = await userWithToken("admin", ["admin"]);
});

/** An ssh repository stored without a credential (adding one through the API now needs its deploy key). */
async function sshRepository() {
  const repository = await db.repository.create({ data: { name: randomName("pay"), source: `git@git.example.com:acme/${randomName("pay")}.git` } });
  return repository.id;
}

describe("POST /repositories/{id}/credential", () => {
  it("sets a deploy key and answers with its fingerprint, never the key; removal answers null", async () => {
    const id = await sshRepository();
    const set = await callRoute("post", "/repositories/{id}/credential", {
      params: { id },
      token: admin.token,
      body: { kind: "ssh", privateKey: key.privateKey, knownHosts },
    });
    expect(set.status).toBe(200);
    const text = await set.text();
    expect(JSON.parse(text)).toMatchObject({
      repositoryId: id,
      credential: { kind: "ssh", fingerprint: key.fingerprint, keyType: "ED25519", setBy: admin.user.email },
    });
    expect(text).not.toContain(keyBody);
    const shown = await callRoute("get", "/repositories/{id}", { params: { id }, token: admin.token });
    expect(await shown.text()).not.toContain(keyBody);
    const audit = await db.auditEvent.findMany({ where: { subject: `repository:${id}` } });
    expect(audit.map((e) => e.action)).toContain("repository.credential_set");
    expect(JSON.stringify(audit)).not.toContain(keyBody);

    const removed = await callRoute("post", "/repositories/{id}/credential/remove", { params: { id }, token: admin.token });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({ repositoryId: id, credential: null });
    expect((await db.repository.findUniqueOrThrow({ where: { id } })).credential).toBeNull();
  });

  it("refuses non-admins (403) and unknown repositories (404), and changes nothing", async () => {
    const id = await sshRepository();
    const body = { kind: "ssh", privateKey: key.privateKey, knownHosts };
    for (const role of ["maintainer", "reviewer", "viewer"] as const) {
      const caller = await userWithToken(role, ["admin"]);
      expect((await callRoute("post", "/repositories/{id}/credential", { params: { id }, token: caller.token, body })).status).toBe(403);
      expect((await callRoute("post", "/repositories/{id}/credential/remove", { params: { id }, token: caller.token })).status).toBe(403);
    }
    // An admin's token without the admin scope cannot either.
    const narrow = await userWithToken("admin", ["specs:read", "repositories:sync"]);
    expect((await callRoute("post", "/repositories/{id}/credential", { params: { id }, token: narrow.token, body })).status).toBe(403);
    expect((await callRoute("post", "/repositories/{id}/credential", { params: { id: "no-such-repository" }, token: admin.token, body })).status).toBe(404);
    expect((await db.repository.findUniqueOrThrow({ where: { id } })).credential).toBeNull();
  });

  it("answers 422 to a malformed key, host key or body, and stores nothing", async () => {
    const id = await sshRepository();
    const before = await db.repository.findUniqueOrThrow({ where: { id } });
    const bodies = [
      { kind: "ssh", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nbroken\n-----END OPENSSH PRIVATE KEY-----", knownHosts },
      { kind: "ssh", privateKey: key.publicKey, knownHosts },
      { kind: "ssh", privateKey: key.privateKey, knownHosts: "nonsense" },
      { kind: "ssh", privateKey: key.privateKey },
      { kind: "https", token: "a-token-for-an-ssh-source" },
      { kind: "password", token: "x" },
      { kind: "ssh", privateKey: key.privateKey, knownHosts, extra: true },
    ];
    for (const body of bodies) {
      const answer = await callRoute("post", "/repositories/{id}/credential", { params: { id }, token: admin.token, body });
      expect(answer.status).toBe(422);
      const text = await answer.text();
      expect(text).not.toContain(keyBody);
      expect(text).not.toContain("a-token-for-an-ssh-source");
    }
    expect(await db.repository.findUniqueOrThrow({ where: { id } })).toEqual(before);
    expect(await db.auditEvent.count({ where: { subject: `repository:${id}`, action: { startsWith: "repository.credential" } } })).toBe(0);
  });
});
