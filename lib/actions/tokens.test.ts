// The server action is called directly; only the request's cookie store is supplied.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";

let sessionUserId: string | null = null;
vi.mock("next/headers", async () => ({ cookies: (await import("@/lib/testing/session")).cookiesFor(() => sessionUserId) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("react", async (original) => ({ ...(await original<typeof import("react")>()), cache: <T>(fn: T) => fn }));

const { revokeTokenAction } = await import("./tokens");

const form = (tokenId: string) => {
  const f = new FormData();
  f.set("tokenId", tokenId);
  return f;
};

describe("revokeTokenAction", () => {
  it("returns 'not found' for someone else's token instead of throwing, and leaves it working", async () => {
    const owner = await db.user.create({ data: { email: `${randomName("owner")}@tokens.test`, name: "o", role: "reviewer" } });
    const stranger = await db.user.create({ data: { email: `${randomName("stranger")}@tokens.test`, name: "s", role: "maintainer" } });
    const { record } = await createToken(owner, { name: "ci", scopes: ["specs:read"], expiresInDays: 1 });
    sessionUserId = stranger.id;
    await expect(revokeTokenAction({ error: null }, form(record.id))).resolves.toEqual({ error: "Token not found" });
    await expect(revokeTokenAction({ error: null }, form("bad\u0000id"))).resolves.toEqual({ error: "Token not found" });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: record.id } })).revokedAt).toBeNull();
    sessionUserId = owner.id;
    await expect(revokeTokenAction({ error: null }, form(record.id))).resolves.toEqual({ error: null });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: record.id } })).revokedAt).not.toBeNull();
  });

  it("returns 'sign in first' without a session", async () => {
    sessionUserId = null;
    await expect(revokeTokenAction({ error: null }, form("whatever"))).resolves.toEqual({ error: "Sign in first." });
  });
});
