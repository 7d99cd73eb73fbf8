// The server actions are called directly with a real session cookie for the acting user.
import { describe, expect, it, vi } from "vitest";
import { db, type Role } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";

let sessionUserId: string | null = null;
vi.mock("next/headers", async () => ({ cookies: (await import("@/lib/testing/session")).cookiesFor(() => sessionUserId) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("react", async (original) => ({ ...(await original<typeof import("react")>()), cache: <T>(fn: T) => fn }));

const { confirmEmailAction, linkEmailAction, unlinkEmailAction } = await import("./emails");

const user = (role: Role) => db.user.create({ data: { email: `${randomName(role)}@emails.test`, name: role, role } });
const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("email actions", () => {
  it("let a user link an email and an admin, not the user, confirm it; errors come back as state", async () => {
    const [admin, viewer] = [await user("admin"), await user("viewer")];
    const email = `${randomName("alias")}@emails.test`;
    sessionUserId = viewer.id;
    expect(await linkEmailAction({ error: null }, form({ email }))).toEqual({ error: null, saved: true });
    expect(await linkEmailAction({ error: null }, form({ email }))).toEqual({ error: "This email is linked already." });
    expect((await linkEmailAction({ error: null }, form({ email: "nope" }))).error).toMatch(/email/);
    const linked = await db.userEmail.findFirstOrThrow({ where: { userId: viewer.id, email } });
    expect(await confirmEmailAction({ error: null }, form({ id: linked.id }))).toEqual({ error: "Your role (viewer) may not do this." });
    sessionUserId = admin.id;
    expect(await confirmEmailAction({ error: null }, form({ id: linked.id }))).toEqual({ error: null, saved: true });
    expect(await db.userEmail.findUniqueOrThrow({ where: { id: linked.id } })).toMatchObject({ confirmedById: admin.id });
    expect(await db.auditEvent.count({ where: { subject: `user:${viewer.id}`, action: { in: ["user.email_linked", "user.email_confirmed"] } } })).toBe(2);
  });

  it("answer 'not found' for someone else's email and for no session at all", async () => {
    const [owner, other] = [await user("reviewer"), await user("maintainer")];
    sessionUserId = owner.id;
    await linkEmailAction({ error: null }, form({ email: `${randomName("mine")}@emails.test` }));
    const linked = await db.userEmail.findFirstOrThrow({ where: { userId: owner.id } });
    sessionUserId = other.id;
    expect(await unlinkEmailAction({ error: null }, form({ id: linked.id }))).toEqual({ error: "Email not found" });
    sessionUserId = null;
    expect(await unlinkEmailAction({ error: null }, form({ id: linked.id }))).toEqual({ error: "Sign in first." });
    sessionUserId = owner.id;
    expect(await unlinkEmailAction({ error: null }, form({ id: linked.id }))).toEqual({ error: null, saved: true });
    expect(await db.userEmail.count({ where: { id: linked.id } })).toBe(0);
  });
});
