// "No ticket, no spec change" in the pull-request check: the pure rule, then through the operation
// on a real imported repository with a ticket policy.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { runCheck, setTicketPolicy } from "@/lib/operations/checks";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { getCheckOrThrow } from "./run";
import { ticketOutcome } from "./ticket";

const POLICY = { prefixes: ["PAY", "OPS"], urlTemplate: "https://tracker.example/browse/{key}" };

describe("ticketOutcome", () => {
  it("finds the key in the title, then the branch, then the commits, and links it", () => {
    expect(ticketOutcome(POLICY, { pullRequestTitle: "PAY-12: refunds", branch: "OPS-3-x", commitMessages: [] }).ticket).toEqual({
      key: "PAY-12",
      url: "https://tracker.example/browse/PAY-12",
      where: "title",
    });
    expect(ticketOutcome(POLICY, { pullRequestTitle: "refunds", branch: "feature/OPS-3-refunds", commitMessages: ["PAY-1"] }).ticket?.where).toBe("branch");
    expect(ticketOutcome(POLICY, { branch: "main", commitMessages: ["wip", "Refunds\n\nRefs OPS-77"] }).ticket).toMatchObject({
      key: "OPS-77",
      where: "commit",
    });
  });

  it("says what is missing, and that no title was sent when none was", () => {
    const none = ticketOutcome(POLICY, { pullRequestTitle: "refunds", branch: "refunds", commitMessages: ["PAYX-1 is not a key", "TICKET-9"] });
    expect(none.ticket).toBeNull();
    expect(none.draft).toMatchObject({ rule: "ticket-missing", severity: "error", policyKey: "ticket" });
    expect(none.draft!.message).toContain("name an issue key (PAY-…, OPS-…) in the pull request's title, its branch or a commit message");
    expect(none.draft!.message).not.toContain("no pull request title was sent");
    expect(ticketOutcome(POLICY, { commitMessages: [] }).draft!.message).toContain("no pull request title was sent");
  });

  it("is silent without a policy, and fails closed on a policy that no longer reads", () => {
    expect(ticketOutcome(null, { commitMessages: [] })).toEqual({ ticket: null, draft: null });
    expect(ticketOutcome({ prefixes: ["lower"] }, { pullRequestTitle: "PAY-1", commitMessages: [] }).draft).toMatchObject({ rule: "ticket-policy-unreadable" });
  });
});

describe("a check in a repository with a ticket policy", () => {
  const hash = (text: string) => createHash("sha256").update(text).digest("hex");
  const sha = (c: string) => c.repeat(40);
  let repo: { id: string; name: string };
  let maintainer: { id: string; email: string; role: "maintainer" };
  let admin: { id: string; email: string; role: "admin" };
  const edited = "# Refunds\n\nEdited.\n";
  const file = {
    path: "specs/refunds/spec.md",
    status: "modified" as const,
    kind: "spec",
    contentHash: hash(edited),
    content: edited,
    baseContent: "# Refunds\n",
  };

  beforeAll(async () => {
    const user = (role: "admin" | "maintainer") =>
      db.user.create({ data: { email: `${randomName(role)}@ticket.test`, name: role, role }, select: { id: true, email: true, role: true } });
    maintainer = (await user("maintainer")) as typeof maintainer;
    admin = (await user("admin")) as typeof admin;
    const git = TestRepo.create();
    git.commit("init", { "specs/refunds/spec.md": "# Refunds\n" });
    repo = await db.repository.create({ data: { name: randomName("ticket"), source: git.path }, select: { id: true, name: true } });
    await importRepository({ repositoryId: repo.id });
    await setTicketPolicy(admin, { repositoryId: repo.id, policy: POLICY });
  });

  it("fails a spec change that names no issue key, and passes one whose commits name it, keeping the key with the check", async () => {
    const base = { repository: repo.name, base: sha("a"), head: sha("b"), files: [file] };
    const missing = await runCheck(maintainer, { ...base, pullRequestTitle: "Refunds", branch: "refunds" });
    expect(missing.verdict).toBe("fail");
    expect(missing.ticket).toBeNull();
    expect(missing.files[0].items[0]).toMatchObject({ rule: "ticket-missing", category: "ticket", blocking: true });

    const named = await runCheck(maintainer, { ...base, pullRequestTitle: "Refunds", commitMessages: ["Edit refunds (PAY-41)"] });
    expect(named.files[0].items.map((i) => i.rule)).not.toContain("ticket-missing");
    expect(named.ticket).toEqual({ key: "PAY-41", url: "https://tracker.example/browse/PAY-41", where: "commit" });
    expect((await getCheckOrThrow(maintainer, named.id)).ticket).toEqual(named.ticket);
  });

  it("asks nothing of a pull request that changes no governed file", async () => {
    const result = await runCheck(maintainer, { repository: repo.name, base: sha("a"), head: sha("c"), files: [], changedPaths: ["src/x.ts"] });
    expect(result).toMatchObject({ verdict: "pass", ticket: null, files: [] });
  });
});
