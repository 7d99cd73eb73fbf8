import { describe, expect, it } from "vitest";
import { db, type Role } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";
import { listTeams, listUsers, wouldRemoveLastAdmin } from "./index";
import { addTeamMember, createTeam, removeTeamMember, setUserHandle, setUserRole } from "@/lib/operations/workspace";

async function user(role: Role) {
  const email = `${randomName(role)}@teams.test`;
  return db.user.create({ data: { email, name: email, role }, select: { id: true, email: true, role: true } });
}

describe("teams and roles", () => {
  it("lets an admin create a team, add and remove members, with audit events", async () => {
    const admin = await user("admin");
    const member = await user("viewer");
    const slug = `@acme/${randomName("team")}`;
    const team = await createTeam(admin, { slug });
    expect(team.name).toBe(slug.split("/")[1]);
    await expect(createTeam(admin, { slug })).rejects.toMatchObject({ code: "conflict" });
    await addTeamMember(admin, { teamId: team.id, email: member.email.toUpperCase() });
    await expect(addTeamMember(admin, { teamId: team.id, email: member.email })).rejects.toMatchObject({ code: "conflict" });
    await expect(addTeamMember(admin, { teamId: team.id, email: "nobody@teams.test" })).rejects.toMatchObject({ code: "not_found" });
    const teams = await listTeams(admin);
    expect(teams.find((t) => t.id === team.id)?.members.map((m) => m.user.email)).toEqual([member.email]);
    await removeTeamMember(admin, { teamId: team.id, userId: member.id });
    const actions = (await db.auditEvent.findMany({ where: { subject: `team:${team.id}` }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["team.created", "team.member_added", "team.member_removed"]);
  });

  it.each(["maintainer", "reviewer", "viewer"] as const)("refuses a %s", async (role) => {
    const viewer = await user(role);
    await expect(createTeam(viewer, { slug: `@acme/${randomName("t")}` })).rejects.toMatchObject({ code: "forbidden" });
    await expect(setUserRole(viewer, { userId: viewer.id, role: "admin" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(listTeams(viewer)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("names teams the CODEOWNERS way", async () => {
    const admin = await user("admin");
    for (const slug of ["payments", "@acme", "acme/payments", "@acme/pay ments"]) {
      await expect(createTeam(admin, { slug })).rejects.toThrow(/@org\/team/);
    }
    // An absurdly long name is refused with the limit, not stored.
    const long = `@acme/${"x".repeat(200)}`;
    await expect(createTeam(admin, { slug: long })).rejects.toMatchObject({ code: "unprocessable", message: expect.stringMatching(/at most 141 characters/) });
    expect(await db.team.count({ where: { slug: long } })).toBe(0);
  });

  it("changes roles, with an audit event", async () => {
    const admin = await user("admin");
    const other = await user("viewer");
    expect((await setUserRole(admin, { userId: other.id, role: "reviewer" })).role).toBe("reviewer");
    const event = await db.auditEvent.findFirst({ where: { subject: `user:${other.id}`, action: "user.role_changed" } });
    expect(event?.payload).toEqual({ from: "viewer", to: "reviewer" });
  });

  it.each([
    ["admin", "viewer", 1, true],
    ["admin", "maintainer", 1, true],
    ["admin", "viewer", 2, false],
    ["admin", "admin", 1, false],
    ["viewer", "admin", 0, false],
    ["maintainer", "viewer", 1, false],
  ] as const)("from %s to %s with %i admins: last admin removed = %s", (from, to, admins, expected) => {
    expect(wouldRemoveLastAdmin(from, to, admins)).toBe(expected);
  });
});

describe("handles", () => {
  it("let an admin set the handle CODEOWNERS names a user by, unique and audited", async () => {
    const admin = await user("admin");
    const dana = await user("reviewer");
    const other = await user("reviewer");
    const handle = randomName("dana").toLowerCase();
    await setUserHandle(admin, { userId: dana.id, handle: `@${handle.toUpperCase()}` });
    expect((await db.user.findUniqueOrThrow({ where: { id: dana.id } })).handle).toBe(handle);
    await expect(setUserHandle(admin, { userId: other.id, handle })).rejects.toMatchObject({ code: "conflict" });
    await expect(setUserHandle(admin, { userId: other.id, handle: "no spaces" })).rejects.toThrow(/GitHub-style login/);
    await expect(setUserHandle(dana, { userId: dana.id, handle: "x" })).rejects.toMatchObject({ code: "forbidden" });
    await setUserHandle(admin, { userId: dana.id, handle: "" });
    expect((await db.user.findUniqueOrThrow({ where: { id: dana.id } })).handle).toBeNull();
    const events = await db.auditEvent.findMany({ where: { subject: `user:${dana.id}`, action: "user.handle_changed" } });
    expect(events).toHaveLength(2);
  });

  it("lists people a page at a time, found by email, name or handle, with the total", async () => {
    const admin = await user("admin");
    const tag = randomName("people");
    for (const n of [1, 2, 3]) await db.user.create({ data: { email: `${tag}-${n}@teams.test`, name: `Person ${n}`, role: "viewer" } });
    const found = await listUsers(admin, { q: tag.toUpperCase() });
    expect(found.total).toBe(3);
    expect(found.users.map((u) => u.email)).toEqual([1, 2, 3].map((n) => `${tag}-${n}@teams.test`));
    expect((await listUsers(admin, { q: tag, page: 2 })).users).toEqual([]);
    expect((await listUsers(admin, { q: `${tag}-nobody` })).total).toBe(0);
    await expect(listUsers(await user("maintainer"))).rejects.toMatchObject({ code: "forbidden" });
  });
});
