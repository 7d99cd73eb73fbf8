// Sessions end on the server: a route handler is called with a real session cookie (a JWT
// encoded as next-auth encodes it), before and after sign-out. Only the request's cookie
// store is supplied by the test; decoding, the database checks and the handler are real.
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { db, type Role } from "@/lib/db";
import { setUserRole } from "@/lib/operations/workspace";
import { randomName } from "@/lib/testing/git-repo";

process.env.NEXTAUTH_SECRET ??= "session-test-secret";
let cookie: string | null = null;
vi.mock("next/headers", () => ({
  cookies: async () => ({ getAll: () => (cookie ? [{ name: "next-auth.session-token", value: cookie }] : []) }),
}));
// React's request cache needs a React server render; here every call is its own request.
vi.mock("react", async (original) => ({ ...(await original<typeof import("react")>()), cache: <T>(fn: T) => fn }));

const { authOptions } = await import("./options");
const { revokeSession } = await import("./session");
const me = await import("@/app/api/v1/me/route");

async function user(role: Role = "reviewer") {
  return db.user.create({ data: { email: `${randomName(role)}@session.test`, name: role, role }, select: { id: true, email: true, role: true } });
}

/** Signs in as the app does: next-auth's jwt callback, then its encoder. */
async function signIn(userId: string) {
  const token = await authOptions.callbacks!.jwt!({ token: {}, user: { id: userId } as never, account: null, trigger: "signIn" } as never);
  return { token, cookie: await encode({ token, secret: process.env.NEXTAUTH_SECRET!, maxAge: authOptions.session!.maxAge }) };
}

async function callMe(sessionCookie: string) {
  cookie = sessionCookie;
  const response = await me.GET(new NextRequest("http://localhost/api/v1/me"));
  return { status: response.status, body: await response.json() };
}

const signOut = (token: Record<string, unknown>) => authOptions.events!.signOut!({ token, session: null as never });

describe("sessions", () => {
  it("work until signed out; then the same cookie answers 401, and the user's other sessions go on", async () => {
    const alice = await user();
    const laptop = await signIn(alice.id);
    const phone = await signIn(alice.id);
    expect(await callMe(laptop.cookie)).toMatchObject({ status: 200, body: { id: alice.id } });

    await signOut(laptop.token);
    expect(await callMe(laptop.cookie)).toMatchObject({ status: 401, body: { error: { code: "unauthenticated" } } });
    expect(await callMe(phone.cookie)).toMatchObject({ status: 200, body: { id: alice.id } });
    const events = await db.auditEvent.findMany({ where: { subject: `user:${alice.id}`, action: "user.signed_out" } });
    expect(events).toHaveLength(1);
    // Signing out twice (a copied cookie sent to the sign-out endpoint) changes nothing.
    await signOut(laptop.token);
    expect(await db.auditEvent.count({ where: { subject: `user:${alice.id}`, action: "user.signed_out" } })).toBe(1);
  });

  it("keep their id when next-auth re-issues the JWT, so a re-issued copy is revoked too", async () => {
    const bob = await user();
    const first = await signIn(bob.id);
    // A re-issue: next-auth runs the jwt callback on the decoded token without a user, then encodes it again.
    const again = await authOptions.callbacks!.jwt!({ token: { ...first.token }, user: undefined as never, account: null } as never);
    const reissued = await encode({ token: again, secret: process.env.NEXTAUTH_SECRET! });
    expect(reissued).not.toBe(first.cookie);
    expect(await callMe(reissued)).toMatchObject({ status: 200 });
    await signOut(again);
    expect(await callMe(first.cookie)).toMatchObject({ status: 401 });
    expect(await callMe(reissued)).toMatchObject({ status: 401 });
  });

  it("end when an admin lowers the user's role, not when the role is raised", async () => {
    const admin = await user("admin");
    const carol = await user("maintainer");
    const before = await signIn(carol.id);
    await setUserRole(admin, { userId: carol.id, role: "admin" });
    expect(await callMe(before.cookie)).toMatchObject({ status: 200, body: { role: "admin" } });
    await setUserRole(admin, { userId: carol.id, role: "viewer" });
    expect(await callMe(before.cookie)).toMatchObject({ status: 401 });
    const after = await signIn(carol.id);
    expect(await callMe(after.cookie)).toMatchObject({ status: 200, body: { role: "viewer" } });
  });

  it("refuse JWTs without a session id, forged JWTs and a missing cookie", async () => {
    const dave = await user();
    const legacy = await encode({ token: { sub: dave.id }, secret: process.env.NEXTAUTH_SECRET! });
    expect(await callMe(legacy)).toMatchObject({ status: 401 });
    const { token } = await signIn(dave.id);
    const forged = await encode({ token, secret: "not-the-secret" });
    expect(await callMe(forged)).toMatchObject({ status: 401 });
    expect(await callMe("")).toMatchObject({ status: 401 });
  });

  it("forget revoked sessions once every copy has expired", async () => {
    const erin = await user();
    const old = await signIn(erin.id);
    const recent = await signIn(erin.id);
    const t0 = new Date();
    await revokeSession({ token: old.token, now: t0 });
    expect(await db.revokedSession.count({ where: { sessionId: old.token.sid as string } })).toBe(1);
    await revokeSession({ token: recent.token, now: new Date(t0.getTime() + 13 * 3600_000) });
    expect(await db.revokedSession.count({ where: { sessionId: old.token.sid as string } })).toBe(0);
    expect(await db.revokedSession.count({ where: { sessionId: recent.token.sid as string } })).toBe(1);
  });
});
