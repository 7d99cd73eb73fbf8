import { afterAll, describe, expect, it } from "vitest";
import { db, type Role } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { addOwnershipRule, removeOwnershipRule, updateOwnershipRule } from "@/lib/operations/workspace";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

async function user(role: Role) {
  const email = `${randomName(role)}@rules.test`;
  return db.user.create({ data: { email, name: role, role }, select: { id: true, email: true, role: true } });
}

/** A repository whose specs live under a folder no other test uses, so workspace rules stay local. */
async function repository(codeowners?: string) {
  const dir = randomName("area");
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("specs", {
    [`specs/${dir}/spec.md`]: "# Spec\n",
    [`specs/${dir}/plan.md`]: "# Plan\n",
    ...(codeowners ? { CODEOWNERS: codeowners.replaceAll("DIR", dir) } : {}),
  });
  const record = await db.repository.create({ data: { name: randomName("rules"), source: repo.path } });
  await importRepository({ repositoryId: record.id });
  const owners = async (file: string) => (await db.spec.findFirstOrThrow({ where: { repositoryId: record.id, path: `specs/${dir}/${file}` } })).owners;
  return { repo, record, dir, owners };
}

describe("ownership rules edited in the app", () => {
  it("apply at once: workspace-wide rules first, the repository's after, the last match wins, no owners clears", async () => {
    const admin = await user("admin");
    const { record, dir, owners } = await repository();
    expect(await owners("spec.md")).toEqual([]);

    const everywhere = await addOwnershipRule(admin, { repositoryId: null, pattern: `specs/${dir}/`, owners: "@acme/everyone" });
    try {
      expect(await owners("spec.md")).toEqual(["@acme/everyone"]);
      await addOwnershipRule(admin, { repositoryId: record.id, pattern: `specs/${dir}/spec.md`, owners: "@acme/specs dana@acme.example" });
      const clear = await addOwnershipRule(admin, { repositoryId: record.id, pattern: `specs/${dir}/plan.md`, owners: "" });
      expect(await owners("spec.md")).toEqual(["@acme/specs", "dana@acme.example"]);
      expect(await owners("plan.md")).toEqual([]);
      await removeOwnershipRule(admin, { ruleId: clear.id });
      expect(await owners("plan.md")).toEqual(["@acme/everyone"]);
      const actions = (await db.auditEvent.findMany({ where: { actorId: admin.id }, orderBy: { seq: "asc" } })).map((e) => e.action);
      expect(actions).toEqual(["ownership.rule_added", "ownership.rule_added", "ownership.rule_added", "ownership.rule_removed"]);
    } finally {
      await removeOwnershipRule(admin, { ruleId: everywhere.id });
    }
    expect(await owners("plan.md")).toEqual([]);
  });

  it("keep imported rules' patterns from the file, while their review policy is set here and survives a re-import", async () => {
    const admin = await user("admin");
    const { repo, record, owners } = await repository("specs/DIR/ @acme/area\n");
    const rule = await db.ownershipRule.findFirstOrThrow({ where: { repositoryId: record.id } });
    await expect(
      updateOwnershipRule(admin, {
        ruleId: rule.id,
        pattern: "*",
        owners: "@acme/area",
        policy: { requiredApprovals: 1, requireOwnerApproval: false, blockOnChangesRequested: true },
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(removeOwnershipRule(admin, { ruleId: rule.id })).rejects.toMatchObject({ code: "conflict" });
    await updateOwnershipRule(admin, { ruleId: rule.id, policy: { requiredApprovals: 2, requireOwnerApproval: true, blockOnChangesRequested: false } });
    repo.commit("touch", { "README.md": "# readme\n" });
    await importRepository({ repositoryId: record.id });
    expect(await db.ownershipRule.findFirstOrThrow({ where: { repositoryId: record.id } })).toMatchObject({
      requiredApprovals: 2,
      requireOwnerApproval: true,
      blockOnChangesRequested: false,
    });
    expect(await owners("spec.md")).toEqual(["@acme/area"]);
  });

  it("stay as stored when a push leaves CODEOWNERS as it was (no spec row rewritten), and follow the file when it changes", async () => {
    const { repo, record, dir, owners } = await repository("specs/DIR/ @acme/area\n");
    const rule = await db.ownershipRule.findFirstOrThrow({ where: { repositoryId: record.id } });
    const rowVersion = async (file: string) =>
      (await db.$queryRaw<{ xmin: string }[]>`SELECT xmin::text FROM "Spec" WHERE "repositoryId" = ${record.id} AND path = ${`specs/${dir}/${file}`}`)[0].xmin;
    const planBefore = await rowVersion("plan.md");
    repo.commit("edit the spec", { [`specs/${dir}/spec.md`]: "# Spec\n\nMore.\n" });
    await importRepository({ repositoryId: record.id });
    expect(await db.ownershipRule.findMany({ where: { repositoryId: record.id }, select: { id: true } })).toEqual([{ id: rule.id }]);
    // The spec the push did not touch keeps its row: ownership wrote nothing to it.
    expect(await rowVersion("plan.md")).toBe(planBefore);
    expect(await owners("plan.md")).toEqual(["@acme/area"]);

    repo.commit("new owners", { CODEOWNERS: `specs/${dir}/ @acme/other\nspecs/${dir}/plan.md @dana\n` });
    await importRepository({ repositoryId: record.id });
    expect(await db.ownershipRule.count({ where: { repositoryId: record.id, id: rule.id } })).toBe(0);
    expect(await owners("spec.md")).toEqual(["@acme/other"]);
    expect(await owners("plan.md")).toEqual(["@dana"]);
  });

  it("are for admins only, and bad rules change nothing", async () => {
    const { record } = await repository();
    const before = await db.ownershipRule.count();
    for (const role of ["maintainer", "reviewer", "viewer"] as const) {
      await expect(addOwnershipRule(await user(role), { repositoryId: record.id, pattern: "*", owners: "@a/b" })).rejects.toMatchObject({ code: "forbidden" });
    }
    const admin = await user("admin");
    await expect(addOwnershipRule(admin, { repositoryId: record.id, pattern: "specs/ x", owners: "@a/b" })).rejects.toMatchObject({ code: "unprocessable" });
    await expect(addOwnershipRule(admin, { repositoryId: record.id, pattern: "!specs/", owners: "@a/b" })).rejects.toThrow(/Negated/);
    await expect(addOwnershipRule(admin, { repositoryId: record.id, pattern: "specs/", owners: "not-an-owner" })).rejects.toThrow(/Not an owner/);
    await expect(
      addOwnershipRule(admin, {
        repositoryId: record.id,
        pattern: "specs/",
        owners: "@a/b",
        policy: { requiredApprovals: 0, requireOwnerApproval: false, blockOnChangesRequested: true },
      }),
    ).rejects.toThrow(/At least one/);
    await expect(addOwnershipRule(admin, { repositoryId: "nope", pattern: "specs/", owners: "@a/b" })).rejects.toMatchObject({ code: "not_found" });
    await expect(
      updateOwnershipRule(admin, { ruleId: "nope", policy: { requiredApprovals: 1, requireOwnerApproval: false, blockOnChangesRequested: true } }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await db.ownershipRule.count()).toBe(before);
  });
});
