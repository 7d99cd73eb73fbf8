import { randomUUID } from "node:crypto";

/**
 * What a Specledger session JWT carries beyond next-auth's own claims: `sid` names the session
 * from sign-in to sign-out (next-auth draws a new jti each time it re-issues the JWT, so the
 * jti cannot), and `signedInAt` (ms) lets an admin end every session issued before a moment.
 */
export type SessionClaims = { userId: string; sessionId: string; signedInAt: Date };

/** The claims a fresh sign-in adds to the JWT. */
export function newSessionClaims(now = new Date()): { sid: string; signedInAt: number } {
  return { sid: randomUUID(), signedInAt: now.getTime() };
}

/**
 * The session a decoded JWT stands for, or null when it lacks what a session needs: JWTs
 * issued before sessions had ids are refused (their holders sign in again).
 */
export function sessionClaims(token: Record<string, unknown> | null | undefined): SessionClaims | null {
  if (!token) return null;
  const { sub, sid, signedInAt } = token;
  if (typeof sub !== "string" || sub.length === 0 || sub.length > 100) return null;
  if (typeof sid !== "string" || !/^[0-9a-f-]{36}$/.test(sid)) return null;
  if (typeof signedInAt !== "number" || !Number.isSafeInteger(signedInAt) || signedInAt <= 0) return null;
  return { userId: sub, sessionId: sid, signedInAt: new Date(signedInAt) };
}
