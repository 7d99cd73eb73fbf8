// Who may not approve an imported version (decision 014): everyone its commit names by a
// confirmed email, as author, committer or good signer. Real git repositories, real database.
import { afterAll, describe, expect, it, vi } from "vitest";
import { db, type Role } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { confirmEmail, linkEmail } from "@/lib/operations/workspace";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { sshSigner } from "@/lib/testing/signing";
import { decideChange } from "@/lib/operations/reviews";
import { getChangeOrThrow, listChanges, publicChange } from "./index";

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function person(name: string, role: Role = "reviewer") {
  const email = `${randomName(name)}@identity.test`;
  return db.user.create({ data: { email, name, role }, select: { id: true, email: true, role: true } });
}

/** A repository with one spec imported, so the next commit arrives as an imported change. */
async function repository(owners: string[] = []) {
  const repo = TestRepo.create();
  cleanups.push(() => repo.remove());
  repo.commit("first", { "specs/a/spec.md": "# A\n", ...(owners.length > 0 ? { CODEOWNERS: `specs/ ${owners.join(" ")}\n` } : {}) });
  const record = await db.repository.create({ data: { name: randomName("identity"), source: repo.path } });
  await importRepository({ repositoryId: record.id });
  return {
    repo,
    /** Commits a new version of the spec with these identities, imports it, and returns its change. */
    async change(commit: (text: string) => void) {
      commit(`# A\n\n${randomName("edit")}\n`);
      await importRepository({ repositoryId: record.id });
      const change = await db.change.findFirstOrThrow({
        where: { spec: { repositoryId: record.id }, origin: "import", state: "unreviewed" },
        orderBy: { number: "desc" },
      });
      return change;
    },
  };
}

const approve = (viewer: { id: string; email: string; role: Role }, change: { number: number; currentHash: string }) =>
  decideChange(viewer, { number: change.number, kind: "approve", contentHash: change.currentHash });

describe("self-approval of imported versions", () => {
  it("forbids both the claimed author and the committer; a third person may approve", async () => {
    const [alice, bob, carol] = [await person("alice"), await person("bob"), await person("carol")];
    const { repo, change } = await repository([alice.email, bob.email, carol.email]);
    const imported = await change((text) => {
      repo.write({ "specs/a/spec.md": text }).git("add", "-A");
      repo.git("-c", `user.email=${bob.email}`, "commit", "-q", `--author=Alice <${alice.email}>`, "-m", "edit");
    });
    expect(imported.authorId).toBe(alice.id);
    await expect(approve(alice, imported)).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/names you/) });
    await expect(approve(bob, imported)).rejects.toMatchObject({ code: "forbidden" });
    // Only carol, of the three owners, finds it in her review queue.
    for (const [who, expected] of [
      [alice, false],
      [bob, false],
      [carol, true],
    ] as const) {
      const { changes } = await listChanges(who, { queue: "mine" });
      expect(
        changes.some((c) => c.number === imported.number),
        who.email,
      ).toBe(expected);
    }
    const view = await getChangeOrThrow(carol, imported.number);
    expect(view.can.approve).toBe(true);
    expect((await getChangeOrThrow(bob, imported.number)).can.approve).toBe(false);
    await expect(approve(carol, imported)).resolves.toBeTruthy();
    expect(await db.reviewDecision.count({ where: { changeId: imported.id, kind: "approve" } })).toBe(1);
  });

  it("lets a spoofed author email block its owner and never admit the spoofer", async () => {
    const admin = await person("admin", "admin");
    const mallory = await person("mallory");
    const { repo, change } = await repository();
    // Mallory commits as herself but claims to be the admin.
    const imported = await change((text) => {
      repo.write({ "specs/a/spec.md": text }).git("add", "-A");
      repo.git("-c", `user.email=${mallory.email}`, "commit", "-q", `--author=Admin <${admin.email}>`, "-m", "spoofed");
    });
    await expect(approve(mallory, imported)).rejects.toMatchObject({ code: "forbidden" });
    await expect(approve(admin, imported)).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      decideChange(admin, { number: imported.number, kind: "override", contentHash: imported.currentHash, body: "An emergency fix." }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const carol = await person("carol");
    expect((await getChangeOrThrow(carol, imported.number)).can.approve).toBe(true);
  });

  it("counts an extra email only once an admin confirms it, and from then on at once", async () => {
    const admin = await person("admin", "admin");
    const dave = await person("dave");
    const alias = `${randomName("dave-laptop")}@identity.test`;
    const linked = await linkEmail(dave, { email: alias.toUpperCase() });
    const { repo, change } = await repository();
    const imported = await change((text) => {
      repo.write({ "specs/a/spec.md": text }).git("add", "-A");
      repo.git("-c", `user.email=${alias}`, "commit", "-q", "-m", "from the laptop");
    });
    expect(imported.authorId).toBeNull();
    expect((await getChangeOrThrow(dave, imported.number)).can.approve).toBe(true);
    // Someone else claiming the same address cannot take it over once it is confirmed.
    const eve = await person("eve");
    await linkEmail(eve, { email: alias });
    await confirmEmail(admin, { id: linked.id });
    const evesLink = await db.userEmail.findFirstOrThrow({ where: { userId: eve.id, email: alias } });
    await expect(confirmEmail(admin, { id: evesLink.id })).rejects.toMatchObject({ code: "conflict" });
    await expect(confirmEmail(dave, { id: evesLink.id })).rejects.toMatchObject({ code: "forbidden" });
    await expect(approve(dave, imported)).rejects.toMatchObject({ code: "forbidden" });
    await expect(approve(eve, imported)).resolves.toBeTruthy();
  });

  it("refuses linking someone's account email, a confirmed email, junk, and confirming what does not exist", async () => {
    const admin = await person("admin", "admin");
    const frank = await person("frank");
    await expect(linkEmail(frank, { email: admin.email })).rejects.toMatchObject({ code: "conflict" });
    await expect(linkEmail(frank, { email: frank.email })).rejects.toMatchObject({ code: "conflict" });
    await expect(linkEmail(frank, { email: "not an email" })).rejects.toThrow();
    await expect(linkEmail(frank, { email: `a\u0000@x.test` })).rejects.toThrow();
    await expect(confirmEmail(admin, { id: "nope\u0000" })).rejects.toMatchObject({ code: "not_found" });
    await expect(confirmEmail(admin, { id: "doesnotexist" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("attributes a version signed by a trusted key to the key's owner, and marks only it verified", async () => {
    const [alice, carol, bob] = [await person("alice"), await person("carol"), await person("bob")];
    const signer = sshSigner(carol.email);
    cleanups.push(signer.remove);
    vi.stubEnv("SPECLEDGER_ALLOWED_SIGNERS", signer.allowedSigners);
    try {
      const { repo, change } = await repository();
      // Signed by carol's key, but claiming alice as author and committer.
      const signed = await change((text) => signer.commit(repo, "signed", { "specs/a/spec.md": text }, { author: alice.email, committer: alice.email }));
      expect(signed.authorId).toBe(carol.id);
      const identity = await db.versionIdentity.findUniqueOrThrow({ where: { versionId: signed.versionId! } });
      expect(identity).toMatchObject({ signature: "G", signerEmail: carol.email, committerEmail: alice.email });
      await expect(approve(carol, signed)).rejects.toMatchObject({ code: "forbidden" });
      await expect(approve(alice, signed)).rejects.toMatchObject({ code: "forbidden" });
      expect((await getChangeOrThrow(bob, signed.number)).authorVerification.verified).toBe(true);

      const unsigned = await change((text) => {
        repo.write({ "specs/a/spec.md": text }).git("add", "-A");
        repo.git("-c", `user.email=${alice.email}`, "commit", "-q", "-m", "unsigned");
      });
      expect(unsigned.authorId).toBe(alice.id);
      const view = await getChangeOrThrow(bob, unsigned.number);
      expect(view.authorVerification).toMatchObject({ verified: false, title: expect.stringMatching(/not signed/) });
      expect(publicChange(view).authorVerification).toMatchObject({ verified: false });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
