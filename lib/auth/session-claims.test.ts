import { describe, expect, it } from "vitest";
import { newSessionClaims, sessionClaims } from "./session-claims";

describe("sessionClaims", () => {
  const fresh = { sub: "user1", ...newSessionClaims(new Date(1_700_000_000_000)) };

  it("reads the user, the session id and the sign-in time", () => {
    expect(sessionClaims(fresh)).toEqual({ userId: "user1", sessionId: fresh.sid, signedInAt: new Date(1_700_000_000_000) });
  });

  it("gives every sign-in its own session id", () => {
    expect(newSessionClaims().sid).not.toBe(newSessionClaims().sid);
  });

  it.each<[string, Record<string, unknown> | null]>([
    ["no token", null],
    ["a JWT from before session ids", { sub: "user1", iat: 1, jti: "x" }],
    ["no user", { ...fresh, sub: undefined }],
    ["a malformed session id", { ...fresh, sid: "'; drop" }],
    ["a sign-in time that is not a number", { ...fresh, signedInAt: "2026-01-01" }],
    ["a negative sign-in time", { ...fresh, signedInAt: -5 }],
  ])("refuses %s", (_name, token) => {
    expect(sessionClaims(token)).toBeNull();
  });
});
