import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "@/lib/auth/permissions";
import { db, type Role } from "@/lib/db";
import { markChangeSeen } from "@/lib/operations/inbox";
import { decideChange, proposeChange } from "@/lib/operations/reviews";
import { importRepository } from "@/lib/repositories/import";
import { hashContent } from "@/lib/specs/content";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { countInbox, getInbox } from "./index";

const hash = (text: string) => hashContent(Buffer.from(text, "utf8"));

async function user(role: Role, label: string = role): Promise<Viewer> {
  const email = `${randomName(label)}@inbox.test`;
  return db.user.create({ data: { email, name: label, role }, select: { id: true, email: true, role: true } });
}

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

/** A repository whose specs a team owns and whose AGENTS.md one person owns by email, imported. */
async function workspace() {
  const team = `@acme/${randomName("team")}`;
  const [author, owner, teammate, watcher, direct, outsider] = await Promise.all([
    user("maintainer", "author"),
    user("reviewer", "owner"),
    user("reviewer", "teammate"),
    user("viewer", "watcher"),
    user("reviewer", "direct"),
    user("admin", "outsider"),
  ]);
  const created = await db.team.create({ data: { slug: team, name: team } });
  await db.teamMember.createMany({ data: [owner, teammate, watcher].map((u) => ({ teamId: created.id, userId: u.id })) });
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("specs", {
    CODEOWNERS: `specs/ ${team}\nAGENTS.md ${direct.email}\n`,
    "specs/001-login/spec.md": "# Login\n\nUsers sign in.\n",
    "AGENTS.md": "# Agents\n",
  });
  const record = await db.repository.create({ data: { name: randomName("repo"), source: repo.path } });
  await importRepository({ repositoryId: record.id });
  const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: record.id, path: "specs/001-login/spec.md" } });
  const agents = await db.spec.findFirstOrThrow({ where: { repositoryId: record.id, path: "AGENTS.md" } });
  return { author, owner, teammate, watcher, direct, outsider, spec, agents };
}

let w: Awaited<ReturnType<typeof workspace>>;
beforeAll(async () => {
  w = await workspace();
});

let counter = 0;
async function propose(by: Viewer = w.author) {
  const text = `# Login\n\nUsers sign in, take ${++counter} ${randomName()}.\n`;
  const change = await proposeChange(by, { specId: w.spec.id, content: text, title: `Take ${counter}` });
  return { ...change, text };
}

const reviewNumbers = async (viewer: Viewer) => (await getInbox(viewer)).review.map((c) => c.number);
const updateOf = async (viewer: Viewer, number: number) => (await getInbox(viewer)).updates.find((c) => c.number === number);
/** The latest review_seq on a change: what the change page shows last. */
async function latest(number: number): Promise<string> {
  const change = await db.change.findUniqueOrThrow({ where: { number }, include: { decisions: true, revisions: true } });
  return [...change.decisions, ...change.revisions].reduce((max, d) => (d.seq > max ? d.seq : max), 0n).toString();
}

describe("waiting for review", () => {
  it("lists a proposal for its owners who may review, never for its author, a viewer-role owner or an outsider", async () => {
    const change = await propose();
    for (const owner of [w.owner, w.teammate]) expect(await reviewNumbers(owner)).toContain(change.number);
    for (const other of [w.author, w.watcher, w.outsider, w.direct]) expect(await reviewNumbers(other)).not.toContain(change.number);
    const counts = await countInbox(w.owner);
    expect(counts.review).toBe((await getInbox(w.owner)).counts.review);
    expect(counts.review).toBeGreaterThanOrEqual(1);
  });

  it("leaves the inbox of whoever decided on the current content, and stays for the others", async () => {
    const change = await propose();
    const before = (await countInbox(w.owner)).review;
    await decideChange(w.owner, { number: change.number, kind: "request_changes", contentHash: hash(change.text), body: "Say how." });
    expect(await reviewNumbers(w.owner)).not.toContain(change.number);
    expect((await countInbox(w.owner)).review).toBe(before - 1);
    expect(await reviewNumbers(w.teammate)).toContain(change.number);
    await decideChange(w.teammate, { number: change.number, kind: "reject", contentHash: hash(change.text), body: "No." });
    expect(await reviewNumbers(w.teammate)).not.toContain(change.number);
  });

  it("is empty through a token without the admin scope, whatever the owner's role", async () => {
    const change = await propose();
    expect(await reviewNumbers({ ...w.owner, scopes: ["specs:read"] })).not.toContain(change.number);
    expect(await reviewNumbers({ ...w.owner, scopes: ["admin"] })).toContain(change.number);
  });
});

describe("news on the viewer's own changes", () => {
  it("shows decisions by others until the author opens the change, and again after a new one", async () => {
    const change = await propose();
    expect(await updateOf(w.author, change.number)).toBeUndefined();
    await decideChange(w.owner, { number: change.number, kind: "comment", body: "Which provider?" });
    await decideChange(w.teammate, { number: change.number, kind: "request_changes", contentHash: hash(change.text), body: "Name it." });
    expect(await updateOf(w.author, change.number)).toMatchObject({ newDecisions: 2, latestKind: "request_changes", latestBy: w.teammate.email });
    expect((await countInbox(w.author)).updates).toBeGreaterThanOrEqual(1);
    // Only the author's inbox has it.
    for (const other of [w.owner, w.teammate, w.outsider]) expect(await updateOf(other, change.number)).toBeUndefined();

    const before = (await countInbox(w.author)).updates;
    await markChangeSeen(w.author, { number: change.number, seq: await latest(change.number) });
    expect(await updateOf(w.author, change.number)).toBeUndefined();
    expect((await countInbox(w.author)).updates).toBe(before - 1);

    // The author's own comment is not news to them; someone else's is.
    await decideChange(w.author, { number: change.number, kind: "comment", body: "Passkeys." });
    expect(await updateOf(w.author, change.number)).toBeUndefined();
    await decideChange(w.owner, { number: change.number, kind: "approve", contentHash: hash(change.text) });
    expect(await updateOf(w.author, change.number)).toMatchObject({ newDecisions: 1, latestKind: "approve" });
  });

  it("never moves the marker backwards, nor past what the change holds", async () => {
    const change = await propose();
    await decideChange(w.owner, { number: change.number, kind: "comment", body: "One." });
    const seen = await latest(change.number);
    expect(await markChangeSeen(w.author, { number: change.number, seq: seen })).toEqual({ number: change.number, seenSeq: seen });
    expect(await markChangeSeen(w.author, { number: change.number, seq: "1" })).toEqual({ number: change.number, seenSeq: seen });
    // A marker sent far ahead stops at the latest decision: the next one is still news.
    expect(await markChangeSeen(w.author, { number: change.number, seq: "999999999999" })).toEqual({ number: change.number, seenSeq: seen });
    await decideChange(w.owner, { number: change.number, kind: "comment", body: "Two." });
    expect(await updateOf(w.author, change.number)).toMatchObject({ newDecisions: 1 });
  });

  it("refuses a change that does not exist and a malformed marker, writing nothing", async () => {
    await expect(markChangeSeen(w.author, { number: 2_000_000_000, seq: "5" })).rejects.toMatchObject({ code: "not_found" });
    const change = await propose();
    for (const seq of ["0", "-1", "12a", "", "1".repeat(19)]) {
      await expect(markChangeSeen(w.author, { number: change.number, seq })).rejects.toMatchObject({ code: "unprocessable" });
    }
    const marker = await db.change.findUniqueOrThrow({ where: { number: change.number }, select: { seenBy: true } });
    expect(marker.seenBy).toEqual([]);
  });
});

describe("open findings on owned specs", () => {
  async function finding(specId: string, status: "open" | "dismissed" = "open") {
    return db.finding.create({
      data: {
        fingerprint: randomName("fp"),
        type: "lint",
        rule: "test-rule",
        severity: "warning",
        status,
        specId,
        message: randomName("message"),
        evidence: {},
      },
    });
  }
  const findingIds = async (viewer: Viewer) => (await getInbox(viewer)).findings.map((f) => f.id);

  it("reach team members (any role) for team-owned specs and direct owners for theirs, nobody else", async () => {
    const onSpec = await finding(w.spec.id);
    const onAgents = await finding(w.agents.id);
    for (const member of [w.owner, w.teammate, w.watcher]) {
      expect(await findingIds(member)).toContain(onSpec.id);
      expect(await findingIds(member)).not.toContain(onAgents.id);
    }
    expect(await findingIds(w.direct)).toEqual([onAgents.id]);
    expect(await findingIds(w.outsider)).not.toContain(onSpec.id);
    expect((await countInbox(w.direct)).findings).toBe(1);
  });

  it("leave when the finding is no longer open", async () => {
    const dismissed = await finding(w.spec.id, "dismissed");
    const resolved = await finding(w.spec.id);
    await db.finding.update({ where: { id: resolved.id }, data: { status: "resolved" } });
    expect(await findingIds(w.owner)).not.toContain(dismissed.id);
    expect(await findingIds(w.owner)).not.toContain(resolved.id);
  });
});

describe("the inbox itself", () => {
  it("is refused to a token that reads nothing", async () => {
    await expect(getInbox({ ...w.owner, scopes: ["checks:write"] })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("counts exactly what it lists, in one total", async () => {
    const inbox = await getInbox(w.teammate);
    expect(inbox.counts.total).toBe(inbox.counts.review + inbox.counts.updates + inbox.counts.findings);
    expect(await countInbox(w.teammate)).toEqual(inbox.counts);
    expect(inbox.review.length).toBe(Math.min(inbox.counts.review, 50));
  });
});
