import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, type Role } from "@/lib/db";
import { hashContent } from "@/lib/specs/content";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { serializable } from "@/lib/db/transaction";
import { decideChange, proposeChange, reviseChange } from "@/lib/operations/reviews";
import { rebuildReviewState as rebuild } from "./decide";
import { changePatch, countAwaitingReview, matchLineEndings, getChangeOrThrow, listChanges } from "./index";

const rebuildReviewState = (changeId: string) => serializable((tx) => rebuild(tx, changeId));

const hash = (text: string) => hashContent(Buffer.from(text, "utf8"));

async function user(role: Role, label: string = role) {
  const email = `${randomName(label)}@reviews.test`;
  return db.user.create({ data: { email, name: label, role }, select: { id: true, email: true, role: true } });
}

/** A repository owned by a fresh team, imported, with the people around it. */
async function workspace() {
  const team = `@acme/${randomName("team")}`;
  const [admin, maintainer, owner, reviewer, viewer, outsider] = await Promise.all([
    user("admin"),
    user("maintainer"),
    user("reviewer", "owner"),
    user("reviewer"),
    user("viewer"),
    user("reviewer", "outsider"),
  ]);
  const created = await db.team.create({ data: { slug: team, name: team } });
  await db.teamMember.createMany({ data: [owner, reviewer].map((u) => ({ teamId: created.id, userId: u.id })) });
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("specs", {
    CODEOWNERS: `specs/ ${team}\n`,
    "specs/001-login/spec.md": "# Login\n\nUsers sign in.\n",
    "AGENTS.md": "# Agents\n",
  });
  const record = await db.repository.create({ data: { name: randomName("repo"), source: repo.path } });
  await importRepository({ repositoryId: record.id });
  const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: record.id, path: "specs/001-login/spec.md" } });
  return { team, admin, maintainer, owner, reviewer, viewer, outsider, repo, record, spec };
}

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let w: Awaited<ReturnType<typeof workspace>>;
beforeAll(async () => {
  w = await workspace();
});

describe("matchLineEndings", () => {
  it.each([
    ["a\r\nb\r\n", "x\ny\n", "a\nb\n"],
    ["a\r\nb\r\n", "x\r\ny\r\n", "a\r\nb\r\n"],
    ["a\nb\n", "x\r\ny\r\n", "a\r\nb\r\n"],
    ["a\r\nb", "x\r\ny\nz", "a\nb"],
    ["a\r\nb", null, "a\nb"],
  ])("%j like %j is %j", (text, like, expected) => {
    expect(matchLineEndings(text, like)).toBe(expected);
  });
});

describe("imported versions", () => {
  it("enter as unreviewed, owned by the CODEOWNERS team, and a newer version supersedes them", async () => {
    const first = await db.change.findFirstOrThrow({ where: { specId: w.spec.id }, include: { revisions: true } });
    expect(first).toMatchObject({ origin: "import", state: "unreviewed", currentHash: w.spec.currentHash });
    expect((await db.spec.findUniqueOrThrow({ where: { id: w.spec.id } })).owners).toEqual([w.team]);

    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit("one", { "specs/a/spec.md": "# A\n" });
    const record = await db.repository.create({ data: { name: randomName("repo"), source: repo.path } });
    await importRepository({ repositoryId: record.id });
    repo.commit("two", { "specs/a/spec.md": "# A\n\nMore.\n" });
    await importRepository({ repositoryId: record.id });
    await importRepository({ repositoryId: record.id }); // nothing new: nothing recorded
    const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: record.id } });
    const changes = await db.change.findMany({ where: { specId: spec.id }, orderBy: { number: "asc" }, include: { decisions: true } });
    expect(changes.map((c) => c.state)).toEqual(["superseded", "unreviewed"]);
    expect(changes[0].decisions[0]).toMatchObject({ kind: "supersede" });
    expect(changes[1].currentHash).toBe(hash("# A\n\nMore.\n"));
  });

  it("are approved after the fact by an owner, and the state rebuilds from the decisions", async () => {
    const change = await db.change.findFirstOrThrow({ where: { specId: w.spec.id, origin: "import" } });
    const result = await decideChange(w.owner, { number: change.number, kind: "approve", contentHash: change.currentHash });
    expect(result.state).toBe("approved");
    expect(await rebuildReviewState(change.id)).toEqual({ stored: "approved", derived: "approved" });
  });
});

describe("proposals", () => {
  it("go from proposed to approved, with a patch that turns the base into the proposal", async () => {
    const text = "# Login\n\nUsers sign in with a passkey.\n";
    const change = await proposeChange(w.maintainer, { specId: w.spec.id, content: text, title: "Passkeys" });
    expect(change).toMatchObject({ state: "proposed", currentHash: hash(text), baseHash: w.spec.currentHash });
    expect(await countAwaitingReview(w.owner)).toBeGreaterThanOrEqual(1);
    expect((await listChanges(w.owner, { queue: "mine" })).changes.map((c) => c.number)).toContain(change.number);
    expect((await listChanges(w.maintainer, { queue: "mine" })).changes.map((c) => c.number)).not.toContain(change.number);
    expect((await listChanges(w.outsider, { queue: "mine" })).changes.map((c) => c.number)).not.toContain(change.number);

    const { patch } = await changePatch(w.viewer, change.number);
    expect(patch).toContain("-Users sign in.");
    expect(patch).toContain("+Users sign in with a passkey.");

    const approved = await decideChange(w.reviewer, { number: change.number, kind: "approve", contentHash: hash(text) });
    expect(approved.state).toBe("approved");
    expect((await listChanges(w.reviewer, { queue: "mine" })).changes.map((c) => c.number)).not.toContain(change.number);
    const events = await db.auditEvent.findMany({ where: { subject: `change:${change.number}` }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["change.proposed", "change.approved"]);
  });

  it("open one change for a repeated identical proposal, even when the copies race, and a new one once anything differs", async () => {
    const text = `# Login\n\nUsers sign in twice: ${randomName("dup")}.\n`;
    const input = { specId: w.spec.id, content: text, title: "Double click" };
    // A double-clicked submit: two copies of one request at once.
    const [first, second] = await Promise.all([proposeChange(w.maintainer, input), proposeChange(w.maintainer, input)]);
    expect(second.number).toBe(first.number);
    const opened = await db.change.count({ where: { specId: w.spec.id, currentHash: hash(text) } });
    expect(opened).toBe(1);
    expect(await db.auditEvent.count({ where: { subject: `change:${first.number}`, action: "change.proposed" } })).toBe(1);
    // Another title, or another author, is another proposal.
    expect((await proposeChange(w.maintainer, { ...input, title: "Double click, again" })).number).not.toBe(first.number);
    expect((await proposeChange(w.admin, input)).number).not.toBe(first.number);
    // Once someone has spoken on it, the same words again open a new change.
    await decideChange(w.reviewer, { number: first.number, kind: "comment", body: "Seen." });
    expect((await proposeChange(w.maintainer, input)).number).not.toBe(first.number);
  });

  it("never count the author's approval, whatever their role", async () => {
    const text = "# Login\n\nAdmins wrote this.\n";
    const change = await proposeChange(w.admin, { specId: w.spec.id, content: text, title: "Self" });
    await expect(decideChange(w.admin, { number: change.number, kind: "approve", contentHash: hash(text) })).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      decideChange(w.admin, { number: change.number, kind: "override", contentHash: hash(text), body: "I am the admin, trust me" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    // Someone else uploads a revision: neither the uploader nor the one who opened it may approve.
    const text2 = text + "\nRevised by the maintainer.\n";
    await reviseChange(w.maintainer, { number: change.number, content: text2 });
    await expect(decideChange(w.maintainer, { number: change.number, kind: "approve", contentHash: hash(text2) })).rejects.toMatchObject({ code: "forbidden" });
    await expect(decideChange(w.admin, { number: change.number, kind: "approve", contentHash: hash(text2) })).rejects.toMatchObject({ code: "forbidden" });
    // Back to the admin's own bytes, uploaded by the maintainer: still the admin's.
    await reviseChange(w.maintainer, { number: change.number, content: text });
    await expect(decideChange(w.admin, { number: change.number, kind: "approve", contentHash: hash(text) })).rejects.toMatchObject({ code: "forbidden" });
    expect((await decideChange(w.owner, { number: change.number, kind: "approve", contentHash: hash(text) })).state).toBe("approved");
  });

  it("refuse an approval of a stale hash with a conflict, and a new revision dismisses approvals unless byte-identical", async () => {
    const v1 = "# Login\n\nv1\n";
    const v2 = "# Login\n\nv2\n";
    const change = await proposeChange(w.maintainer, { specId: w.spec.id, content: v1, title: "Revisions" });
    await db.ownershipRule.updateMany({ where: { repositoryId: w.record.id, pattern: "specs/" }, data: { requiredApprovals: 2 } });
    try {
      expect((await decideChange(w.owner, { number: change.number, kind: "approve", contentHash: hash(v1) })).state).toBe("proposed");
      await reviseChange(w.maintainer, { number: change.number, content: v1 }); // byte-identical: the approval stands
      const kept = await getChangeOrThrow(w.viewer, change.number);
      expect(kept.evaluation.approvers).toEqual([w.owner.id]);

      await reviseChange(w.maintainer, { number: change.number, content: v2 });
      const dismissed = await getChangeOrThrow(w.viewer, change.number);
      expect(dismissed.evaluation.approvers).toEqual([]);
      expect(dismissed.evaluation.ignored).toEqual([{ reviewerId: w.owner.id, reason: "earlier-content" }]);

      await expect(decideChange(w.reviewer, { number: change.number, kind: "approve", contentHash: hash(v1) })).rejects.toMatchObject({
        code: "conflict",
        details: { currentHash: hash(v2) },
      });
      expect(await db.reviewDecision.count({ where: { changeId: change.id, reviewerId: w.reviewer.id } })).toBe(0);
      await decideChange(w.reviewer, { number: change.number, kind: "approve", contentHash: hash(v2) });
      expect((await decideChange(w.owner, { number: change.number, kind: "approve", contentHash: hash(v2) })).state).toBe("approved");
    } finally {
      await db.ownershipRule.updateMany({ where: { repositoryId: w.record.id, pattern: "specs/" }, data: { requiredApprovals: 1 } });
    }
  });

  it("block while a reviewer asks for changes, and require an owner when the policy says so", async () => {
    const text = "# Login\n\nBlocked for now.\n";
    const change = await proposeChange(w.maintainer, { specId: w.spec.id, content: text, title: "Blocked" });
    await db.ownershipRule.updateMany({ where: { repositoryId: w.record.id, pattern: "specs/" }, data: { requireOwnerApproval: true } });
    try {
      await decideChange(w.owner, { number: change.number, kind: "request_changes", contentHash: hash(text), body: "Not yet" });
      expect((await decideChange(w.outsider, { number: change.number, kind: "approve", contentHash: hash(text) })).state).toBe("proposed");
      const evaluation = (await getChangeOrThrow(w.viewer, change.number)).evaluation;
      expect(evaluation.requirements.filter((r) => !r.met).map((r) => r.key)).toEqual(["owner", "no-changes-requested"]);
      expect((await decideChange(w.owner, { number: change.number, kind: "approve", contentHash: hash(text) })).state).toBe("approved");
    } finally {
      await db.ownershipRule.updateMany({ where: { repositoryId: w.record.id, pattern: "specs/" }, data: { requireOwnerApproval: false } });
    }
  });

  it("refuse a request for changes without a comment, blank or whitespace only", async () => {
    const text = "# Login\n\nNeeds words.\n";
    const change = await proposeChange(w.maintainer, { specId: w.spec.id, content: text, title: "Wordless" });
    for (const body of ["", "   \n\t "]) {
      await expect(decideChange(w.owner, { number: change.number, kind: "request_changes", contentHash: hash(text), body })).rejects.toMatchObject({
        code: "unprocessable",
      });
    }
    expect(await db.reviewDecision.count({ where: { changeId: change.id } })).toBe(0);
  });

  it("record a repeated identical decision once (a double-clicked submit), but a repeat after something else happened again", async () => {
    const text = "# Login\n\nTwice.\n";
    const change = await proposeChange(w.maintainer, { specId: w.spec.id, content: text, title: "Twice" });
    const comment = { number: change.number, kind: "comment" as const, body: "Looks close." };
    await Promise.all([decideChange(w.owner, comment), decideChange(w.owner, comment)]);
    expect(await db.reviewDecision.count({ where: { changeId: change.id, kind: "comment" } })).toBe(1);
    await decideChange(w.reviewer, { number: change.number, kind: "comment", body: "Agreed." });
    await decideChange(w.owner, comment);
    expect(await db.reviewDecision.count({ where: { changeId: change.id, reviewerId: w.owner.id, kind: "comment" } })).toBe(2);

    const approve = { number: change.number, kind: "approve" as const, contentHash: hash(text) };
    const [first, second] = await Promise.all([decideChange(w.owner, approve), decideChange(w.owner, approve)]);
    expect([first.state, second.state]).toEqual(["approved", "approved"]);
    expect(await db.reviewDecision.count({ where: { changeId: change.id, kind: { in: ["approve", "accept"] } } })).toBe(2);
    expect(await db.auditEvent.count({ where: { subject: `change:${change.number}`, action: "change.approved" } })).toBe(1);
  });

  it("let only an admin override, only with a reason, recorded in the audit log", async () => {
    const text = "# Login\n\nOverridden.\n";
    const change = await proposeChange(w.maintainer, { specId: w.spec.id, content: text, title: "Urgent" });
    await expect(decideChange(w.admin, { number: change.number, kind: "override", contentHash: hash(text), body: "" })).rejects.toThrow(/reason/);
    await expect(decideChange(w.owner, { number: change.number, kind: "override", contentHash: hash(text), body: "Because I own it" })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await db.reviewDecision.count({ where: { changeId: change.id } })).toBe(0);
    const reason = "Production incident INC-42: the spec must match the hotfix";
    expect((await decideChange(w.admin, { number: change.number, kind: "override", contentHash: hash(text), body: reason })).state).toBe("approved");
    const event = await db.auditEvent.findFirstOrThrow({ where: { subject: `change:${change.number}`, action: "change.overridden" } });
    expect(event.payload).toMatchObject({ reason, unmet: ["1 approval of this content"] });
  });

  it("are rejected for good, and refuse further decisions and revisions", async () => {
    const text = "# Login\n\nNo.\n";
    const change = await proposeChange(w.maintainer, { specId: w.spec.id, content: text, title: "Rejected" });
    expect((await decideChange(w.owner, { number: change.number, kind: "reject", contentHash: hash(text), body: "Out of scope" })).state).toBe("rejected");
    await expect(decideChange(w.reviewer, { number: change.number, kind: "approve", contentHash: hash(text) })).rejects.toMatchObject({ code: "conflict" });
    await expect(reviseChange(w.maintainer, { number: change.number, content: text + "x" })).rejects.toMatchObject({ code: "conflict" });
    await decideChange(w.reviewer, { number: change.number, kind: "comment", body: "Agreed." });
  });

  it("can be superseded by a newer proposal from their author", async () => {
    const first = await proposeChange(w.maintainer, { specId: w.spec.id, content: "# Login\n\nDraft 1\n", title: "Draft" });
    await expect(
      proposeChange(w.reviewer, { specId: w.spec.id, content: "# Login\n\nHijack\n", title: "Hijack", supersedes: first.number }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const second = await proposeChange(w.maintainer, { specId: w.spec.id, content: "# Login\n\nDraft 2\n", title: "Draft, redone", supersedes: first.number });
    expect(await db.change.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ state: "superseded" });
    expect(second.state).toBe("proposed");
    expect(await rebuildReviewState(first.id)).toEqual({ stored: "superseded", derived: "superseded" });
  });

  it("refuse bad input and change nothing", async () => {
    const before = await db.change.count();
    await expect(proposeChange(w.viewer, { specId: w.spec.id, content: "x", title: "t" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(proposeChange(w.maintainer, { specId: "nope", content: "x", title: "t" })).rejects.toMatchObject({ code: "not_found" });
    await expect(proposeChange(w.maintainer, { specId: w.spec.id, content: "a\u0000b", title: "t" })).rejects.toMatchObject({ code: "unprocessable" });
    await expect(proposeChange(w.maintainer, { specId: w.spec.id, content: "x", title: " " })).rejects.toThrow(/title/);
    const current = await db.content.findUniqueOrThrow({ where: { hash: w.spec.currentHash! } });
    await expect(proposeChange(w.maintainer, { specId: w.spec.id, content: current.text, title: "Same" })).rejects.toMatchObject({ code: "conflict" });
    await expect(decideChange(w.reviewer, { number: 999_999_999, kind: "approve", contentHash: "0".repeat(64) })).rejects.toMatchObject({ code: "not_found" });
    await expect(decideChange(w.viewer, { number: 1, kind: "approve", contentHash: "0".repeat(64) })).rejects.toMatchObject({ code: "forbidden" });
    expect(await db.change.count()).toBe(before);
  });

  it("keep decisions and revisions immutable", async () => {
    const decision = await db.reviewDecision.findFirstOrThrow();
    await expect(db.$executeRawUnsafe(`UPDATE "ReviewDecision" SET body = 'forged' WHERE id = $1`, decision.id)).rejects.toThrow(/immutable/);
    await expect(db.$executeRawUnsafe(`DELETE FROM "ReviewDecision" WHERE id = $1`, decision.id)).rejects.toThrow(/immutable/);
    const revision = await db.changeRevision.findFirstOrThrow();
    await expect(db.$executeRawUnsafe(`UPDATE "ChangeRevision" SET "contentHash" = 'x' WHERE id = $1`, revision.id)).rejects.toThrow(/immutable/);
    const change = await db.change.findFirstOrThrow({ where: { specId: w.spec.id } });
    await expect(db.$executeRawUnsafe(`UPDATE "Change" SET "specId" = 'other' WHERE id = $1`, change.id)).rejects.toThrow(/immutable/);
    await expect(db.$executeRawUnsafe(`UPDATE "Change" SET "currentHash" = $2 WHERE id = $1`, change.id, "f".repeat(64))).rejects.toThrow(/latest revision/);
    await expect(db.$executeRawUnsafe(`DELETE FROM "Change" WHERE id = $1`, change.id)).rejects.toThrow(/immutable/);
  });
});

describe("an approved proposal reaching git", () => {
  it("makes the imported version approved when the bytes match, and supersedes proposals the spec moved past", async () => {
    const landed = "# Login\n\nUsers sign in with SSO.\n";
    const stale = "# Login\n\nSomething else.\n";
    const proposal = await proposeChange(w.maintainer, { specId: w.spec.id, content: landed, title: "SSO" });
    const other = await proposeChange(w.maintainer, { specId: w.spec.id, content: stale, title: "Other" });
    await decideChange(w.owner, { number: proposal.number, kind: "approve", contentHash: hash(landed) });
    w.repo.commit("apply the SSO proposal", { "specs/001-login/spec.md": landed });
    await importRepository({ repositoryId: w.record.id });

    const version = await db.specVersion.findFirstOrThrow({ where: { specId: w.spec.id }, orderBy: { seq: "desc" } });
    const imported = await db.change.findUniqueOrThrow({ where: { versionId: version.id }, include: { decisions: true } });
    expect(imported).toMatchObject({ origin: "import", state: "approved" });
    expect(imported.decisions).toMatchObject([{ kind: "carry", carriedFromId: proposal.id, contentHash: hash(landed) }]);
    expect(await db.change.findUniqueOrThrow({ where: { id: proposal.id } })).toMatchObject({ state: "approved", landedVersionId: version.id });
    expect(await db.change.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ state: "superseded" });
    await expect(reviseChange(w.maintainer, { number: proposal.number, content: "late" })).rejects.toMatchObject({ code: "conflict" });
    for (const c of [imported, proposal, other]) {
      const { stored, derived } = await rebuildReviewState(c.id);
      expect(derived).toBe(stored);
    }
  });
});

describe("concurrent decisions", () => {
  it("never record an approval for content the reviewer did not see", async () => {
    const reviewers = await Promise.all(Array.from({ length: 6 }, (_, i) => user("reviewer", `r${i}`)));
    const texts = Array.from({ length: 6 }, (_, i) => `# Login\n\nRace ${i}\n`);
    const change = await proposeChange(w.maintainer, { specId: w.spec.id, content: texts[0], title: "Race" });
    await db.ownershipRule.updateMany({ where: { repositoryId: w.record.id, pattern: "specs/" }, data: { requiredApprovals: 10 } });
    try {
      // Every reviewer approves every text they might have seen while revisions land.
      const attempts = [
        ...texts.slice(1).map((t) => () => reviseChange(w.maintainer, { number: change.number, content: t })),
        ...reviewers.flatMap((r) => texts.map((t) => () => decideChange(r, { number: change.number, kind: "approve", contentHash: hash(t) }))),
      ];
      const results = await Promise.allSettled(attempts.sort(() => Math.random() - 0.5).map((attempt) => attempt()));
      for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "conflict" });
      expect(results.some((r) => r.status === "fulfilled")).toBe(true);
    } finally {
      await db.ownershipRule.updateMany({ where: { repositoryId: w.record.id, pattern: "specs/" }, data: { requiredApprovals: 1 } });
    }
    const revisions = await db.changeRevision.findMany({ where: { changeId: change.id }, orderBy: { seq: "asc" } });
    const approvals = await db.reviewDecision.findMany({ where: { changeId: change.id, kind: "approve" } });
    expect(approvals.length).toBeGreaterThan(0);
    for (const approval of approvals) {
      // The revision that was current when the approval was recorded is the one it names.
      const current = revisions.filter((r) => r.seq < approval.seq).at(-1);
      expect(approval.contentHash).toBe(current?.contentHash);
      expect(approval.revisionNumber).toBe(current?.number);
    }
    const stored = await db.change.findUniqueOrThrow({ where: { id: change.id } });
    expect(stored.currentHash).toBe(revisions.at(-1)?.contentHash);
    expect(await rebuildReviewState(change.id)).toEqual({ stored: stored.state, derived: stored.state });
  });
});
