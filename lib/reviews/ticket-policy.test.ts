import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { setTicketPolicy } from "@/lib/operations/checks";
import { proposeChange } from "@/lib/operations/reviews";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { changeTicketLink } from "./ticket-policy";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

describe("no ticket, no spec change", () => {
  it("refuses a proposal without an issue key once a maintainer turns the policy on; audited; refuses bad policies and reviewers", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit("spec", { "specs/pay/spec.md": "# Pay\n" });
    const repository = await db.repository.create({ data: { name: randomName("ticket"), source: repo.path } });
    await importRepository({ repositoryId: repository.id });
    const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: repository.id } });
    const maintainer = await db.user.create({
      data: { email: `${randomName("m")}@ticket.test`, name: "m", role: "maintainer" },
      select: { id: true, email: true, role: true },
    });
    const reviewer = { id: "ticket-reviewer", email: "r@ticket.test", role: "reviewer" as const };
    const policy = { prefixes: ["PAY"], urlTemplate: "https://tracker.example/browse/{key}" };

    await expect(setTicketPolicy(reviewer, { repositoryId: repository.id, policy })).rejects.toMatchObject({ code: "forbidden" });
    await expect(setTicketPolicy(maintainer, { repositoryId: repository.id, policy: { ...policy, prefixes: ["(a+)+$"] } })).rejects.toMatchObject({
      code: "unprocessable",
    });
    await expect(setTicketPolicy(maintainer, { repositoryId: "no-such-repo", policy })).rejects.toMatchObject({ code: "not_found" });
    // Off by default: any title goes.
    await proposeChange(maintainer, { specId: spec.id, content: "# Pay\n\nv2\n", title: "No ticket yet" });

    await setTicketPolicy(maintainer, { repositoryId: repository.id, policy });
    await expect(proposeChange(maintainer, { specId: spec.id, content: "# Pay\n\nv3\n", title: "Tighten refunds" })).rejects.toMatchObject({
      code: "unprocessable",
      message: expect.stringMatching(/needs a ticket.*PAY-/),
    });
    const before = await db.change.count({ where: { specId: spec.id } });
    expect(await proposeChange(maintainer, { specId: spec.id, content: "# Pay\n\nv3\n", title: "Tighten refunds", description: "For PAY-42." })).toMatchObject({
      number: expect.any(Number),
    });
    expect(await db.change.count({ where: { specId: spec.id } })).toBe(before + 1);

    expect(await changeTicketLink(maintainer, repository.id, "Tighten refunds", "For PAY-42.")).toEqual({
      key: "PAY-42",
      url: "https://tracker.example/browse/PAY-42",
    });
    await setTicketPolicy(maintainer, { repositoryId: repository.id, policy: null });
    expect(await changeTicketLink(maintainer, repository.id, "Tighten refunds", "For PAY-42.")).toBeNull();
    const audit = await db.auditEvent.findMany({
      where: { subject: `repository:${repository.id}`, action: "repository.ticket_policy_set" },
      orderBy: { seq: "asc" },
    });
    expect(audit.map((a) => (a.payload as { to: unknown }).to)).toEqual([policy, null]);

    // A stored policy that no longer reads (written by an older version, or by hand) refuses instead of letting everything through.
    await db.repository.update({ where: { id: repository.id }, data: { ticketPolicy: { prefixes: "PAY" } } });
    const count = await db.change.count({ where: { specId: spec.id } });
    await expect(proposeChange(maintainer, { specId: spec.id, content: "# Pay\n\nv4\n", title: "PAY-7: more" })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/ticket policy cannot be read/),
    });
    expect(await db.change.count({ where: { specId: spec.id } })).toBe(count);
  });
});
