import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { db, type Role } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAuditEvent } from "@/lib/audit";
import { can, type Permission } from "./permissions";
import { sessionClaims } from "./session-claims";

export type CurrentUser = { id: string; email: string; name: string; role: Role };

/** How long a session lives without use; a revoked session is remembered this long. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/**
 * The user a decoded session JWT stands for, read fresh from the database (so role changes
 * apply at once), or null when the session was signed out, ended by an admin, or is malformed.
 */
export async function userForSession(token: Record<string, unknown> | null): Promise<CurrentUser | null> {
  const claims = sessionClaims(token);
  if (!claims) return null;
  const rows = await db.$queryRaw<CurrentUser[]>`
    SELECT u.id, u.email, u.name, u.role::text AS role FROM "User" u
    WHERE u.id = ${claims.userId}
      AND (u."sessionsRevokedAt" IS NULL OR u."sessionsRevokedAt" < ${claims.signedInAt})
      AND NOT EXISTS (SELECT 1 FROM "RevokedSession" r WHERE r."sessionId" = ${claims.sessionId})`;
  return rows[0] ?? null;
}

/**
 * The signed-in user: the session cookie decoded as next-auth does (chunked cookies, the
 * __Secure- name over https), then checked against the database on every request. Only the
 * cookie is read: an Authorization header is an API token, handled by the route wrapper.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const store = await cookies();
  const token = await getToken({ req: { cookies: store, headers: {} } as never, secret: process.env.NEXTAUTH_SECRET });
  return userForSession(token as Record<string, unknown> | null);
});

/** For pages: the user, or a redirect to sign-in. */
export async function requireUser(permission: Permission = "specs:read"): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  // A page the user may not see does not exist for them.
  if (!can(user.role, permission)) notFound();
  return user;
}

/** For route handlers and server actions: the user, or an AppError (401/403). */
export async function authorize(permission: Permission): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthenticated", "Sign in first.");
  if (!can(user.role, permission)) throw new AppError("forbidden", `Your role (${user.role}) may not do this.`);
  return user;
}

/**
 * Ends one session for good (sign-out): its JWT, and every copy of it, is refused from now
 * on, and the sign-out is audited. The row outlives any copy (a copy expires at most
 * SESSION_MAX_AGE after its last re-issue, which is before now); expired rows are cleared
 * on the way. Returns false for a token that names no session.
 */
export async function revokeSession(opts: { token: Record<string, unknown> | null; now?: Date }): Promise<boolean> {
  const claims = sessionClaims(opts.token);
  if (!claims) return false;
  const now = opts.now ?? new Date();
  const expiresAt = new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000);
  await db.$transaction(async (tx) => {
    await tx.revokedSession.deleteMany({ where: { expiresAt: { lt: now } } });
    const created = await tx.revokedSession.createMany({
      data: [{ sessionId: claims.sessionId, userId: claims.userId, expiresAt }],
      skipDuplicates: true,
    });
    const user = await tx.user.findUnique({ where: { id: claims.userId }, select: { email: true } });
    if (created.count === 0 || !user) return;
    await appendAuditEvent({ tx, actor: { id: claims.userId, label: user.email }, action: "user.signed_out", subject: `user:${claims.userId}`, payload: {} });
  });
  return true;
}
