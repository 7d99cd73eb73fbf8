import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, type Role } from "@/lib/db";
import { withPgTransaction } from "@/lib/db/pg";
import { resolveSource } from "@/lib/git/mirror";
import { decideChange, proposeChange } from "@/lib/operations/reviews";
import { importRepository } from "@/lib/repositories/import";
import { hashContent } from "@/lib/specs/content";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { recordImportedChanges } from "./imported";

// The importer's "reconcile reviews" stage (recordImportedChanges): the versions come from real
// imports of a real git repository, so the stage reads the rows the earlier stages write.

const hash = (text: string) => hashContent(Buffer.from(text, "utf8"));
const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

async function user(role: Role, label: string = role) {
  return db.user.create({ data: { email: `${randomName(label)}@imported.test`, name: label, role }, select: { id: true, email: true, role: true } });
}

let reviewer: Awaited<ReturnType<typeof user>>;
let maintainer: Awaited<ReturnType<typeof user>>;
beforeAll(async () => {
  [reviewer, maintainer] = await Promise.all([user("reviewer"), user("maintainer")]);
});

/** A repository with `files` committed and imported. */
async function imported(files: Record<string, string>) {
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("first", files);
  const record = await db.repository.create({ data: { name: randomName("imported"), source: repo.path } });
  await importRepository({ repositoryId: record.id });
  const commit = async (message: string, changed: Record<string, string>) => {
    repo.commit(message, changed);
    await importRepository({ repositoryId: record.id });
  };
  const spec = (path: string) => db.spec.findFirstOrThrow({ where: { repositoryId: record.id, path } });
  /** The change of a spec's newest version, with its decisions. */
  const newest = async (path: string) => {
    const version = await db.specVersion.findFirstOrThrow({ where: { specId: (await spec(path)).id }, orderBy: { seq: "desc" } });
    return db.change.findUniqueOrThrow({ where: { versionId: version.id }, include: { decisions: { orderBy: { seq: "asc" } } } });
  };
  return { repo, record, commit, spec, newest };
}

const A = "# Pay\n\nRefunds within 30 days.\n";
const B = "# Pay\n\nRefunds within 14 days.\n";

describe("recordImportedChanges", () => {
  it("carries an approval onto a later version with exactly the approved bytes", async () => {
    const w = await imported({ "specs/pay/spec.md": A });
    const first = await w.newest("specs/pay/spec.md");
    await decideChange(reviewer, { number: first.number, kind: "approve", contentHash: hash(A) });
    await w.commit("shorter refunds", { "specs/pay/spec.md": B });
    expect(await w.newest("specs/pay/spec.md")).toMatchObject({ state: "unreviewed", decisions: [] });

    await w.commit("revert", { "specs/pay/spec.md": A });
    const reverted = await w.newest("specs/pay/spec.md");
    expect(reverted).toMatchObject({ origin: "import", state: "approved", currentHash: hash(A) });
    expect(reverted.decisions).toMatchObject([
      {
        kind: "carry",
        carriedFromId: first.id,
        contentHash: hash(A),
        reviewerLabel: "import",
        body: `These are exactly the bytes approved in change #${first.number}.`,
      },
    ]);
  });

  it("carries a rejection, so reverting to rejected bytes does not reopen them as merely unreviewed", async () => {
    const w = await imported({ "specs/pay/spec.md": A });
    await w.commit("shorter refunds", { "specs/pay/spec.md": B });
    const rejected = await w.newest("specs/pay/spec.md");
    await decideChange(reviewer, { number: rejected.number, kind: "reject", contentHash: hash(B), body: "Legal says 30." });
    await w.commit("back to 30", { "specs/pay/spec.md": A });
    expect(await w.newest("specs/pay/spec.md")).toMatchObject({ state: "unreviewed" });

    await w.commit("14 again", { "specs/pay/spec.md": B });
    const again = await w.newest("specs/pay/spec.md");
    expect(again).toMatchObject({ state: "rejected", currentHash: hash(B) });
    expect(again.decisions).toMatchObject([
      { kind: "reject", carriedFromId: rejected.id, body: `These are exactly the bytes rejected in change #${rejected.number}.` },
    ]);
  });

  it("lands an approved proposal whose bytes are committed, and keeps an undecided one with the same bytes under review", async () => {
    const w = await imported({ "specs/pay/spec.md": A, "specs/ship/spec.md": A });
    const pay = await w.spec("specs/pay/spec.md");
    const ship = await w.spec("specs/ship/spec.md");
    const approved = await proposeChange(maintainer, { specId: pay.id, content: B, title: "14 days" });
    await decideChange(reviewer, { number: approved.number, kind: "approve", contentHash: hash(B) });
    const undecided = await proposeChange(maintainer, { specId: ship.id, content: B, title: "14 days too" });

    await w.commit("apply both", { "specs/pay/spec.md": B, "specs/ship/spec.md": B });
    const landed = await w.newest("specs/pay/spec.md");
    expect(landed).toMatchObject({ state: "approved" });
    expect(landed.decisions).toMatchObject([{ kind: "carry", carriedFromId: approved.id, contentHash: hash(B) }]);
    expect(await db.change.findUniqueOrThrow({ where: { id: approved.id } })).toMatchObject({ state: "approved", landedVersionId: landed.versionId });
    // Only a decision carries: the undecided proposal's bytes were never judged.
    expect(await w.newest("specs/ship/spec.md")).toMatchObject({ state: "unreviewed", decisions: [] });
    expect(await db.change.findUniqueOrThrow({ where: { id: undecided.id } })).toMatchObject({ state: "proposed", landedVersionId: null });
  });

  it("carries nothing onto other bytes, nor from another spec that holds the same bytes", async () => {
    const w = await imported({ "specs/pay/spec.md": A });
    const first = await w.newest("specs/pay/spec.md");
    await decideChange(reviewer, { number: first.number, kind: "approve", contentHash: hash(A) });
    // One byte more (a trailing newline) is other content; a new spec with the approved bytes was never reviewed as itself.
    await w.commit("newline, and a copy", { "specs/pay/spec.md": `${A}\n`, "specs/copy/spec.md": A });
    expect(await w.newest("specs/pay/spec.md")).toMatchObject({ state: "unreviewed", decisions: [] });
    expect(await w.newest("specs/copy/spec.md")).toMatchObject({ state: "unreviewed", decisions: [] });
  });

  it("records nothing for a spec whose newest version already has its change (a replay), or for no specs", async () => {
    const w = await imported({ "specs/pay/spec.md": A });
    const pay = await w.spec("specs/pay/spec.md");
    const before = await db.change.count({ where: { specId: pay.id } });
    const { gitDir } = await resolveSource({ repository: w.record });
    const none = { unreviewed: 0, carried: 0, rejectedAgain: 0, superseded: 0 };
    await expect(withPgTransaction((client) => recordImportedChanges(client, { repositoryId: w.record.id, gitDir, specIds: [pay.id] }))).resolves.toEqual(none);
    await expect(withPgTransaction((client) => recordImportedChanges(client, { repositoryId: w.record.id, gitDir, specIds: [] }))).resolves.toEqual(none);
    expect(await db.change.count({ where: { specId: pay.id } })).toBe(before);
  });
});
