import { encode } from "next-auth/jwt";
import { newSessionClaims } from "@/lib/auth/session-claims";

/** The session cookie's name over plain http, as next-auth names it. */
export const SESSION_COOKIE = "next-auth.session-token";

/** The secret tests sign sessions with: the environment's, or a fixed one. */
export function testAuthSecret(): string {
  return (process.env.NEXTAUTH_SECRET ??= "specledger-test-secret");
}

/** A real session cookie for `userId`, as a fresh sign-in would issue it. */
export async function sessionCookie(userId: string): Promise<string> {
  return encode({ token: { sub: userId, ...newSessionClaims() }, secret: testAuthSecret() });
}

/**
 * A stand-in for next/headers' `cookies()` holding a fresh session for whoever `userId()`
 * names at call time (none when null): route handlers and server actions then decode and
 * check it as they do for a browser.
 */
export function cookiesFor(userId: () => string | null) {
  return async () => {
    const id = userId();
    const value = id ? await sessionCookie(id) : null;
    return { getAll: () => (value ? [{ name: SESSION_COOKIE, value }] : []) };
  };
}
