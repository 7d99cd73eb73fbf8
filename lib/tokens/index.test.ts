import { describe, expect, it } from "vitest";
import { RequestLimiter } from "@/lib/auth/rate-limit";
import { db, type Role } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";
import { authenticateToken, listTokens } from "./index";
import { createToken, revokeToken } from "@/lib/operations/workspace";

async function user(role: Role) {
  const email = `${randomName(role)}@tokens.test`;
  return db.user.create({ data: { email, name: role, role }, select: { id: true, email: true, role: true } });
}

describe("API tokens", () => {
  it("are shown once and stored only as a digest and a short prefix", async () => {
    const owner = await user("maintainer");
    const { token, record } = await createToken(owner, { name: "ci", scopes: ["runs:write", "specs:read"], expiresInDays: 30 });
    expect(token.startsWith(record.prefix)).toBe(true);
    const [{ found }] = await db.$queryRaw<{ found: number }[]>`
      SELECT count(*)::int AS found FROM "ApiToken" t WHERE strpos(t::text, ${token.slice(3)}) > 0`;
    expect(found).toBe(0);
    const [{ audited }] = await db.$queryRaw<{ audited: number }[]>`
      SELECT count(*)::int AS audited FROM "AuditEvent" e WHERE strpos(e.payload::text, ${token.slice(3)}) > 0`;
    expect(audited).toBe(0);
    expect((await listTokens(owner)).map((t) => t.id)).toContain(record.id);
    const authenticated = await authenticateToken(token);
    expect(authenticated).toMatchObject({ id: owner.id, role: "maintainer", scopes: ["runs:write", "specs:read"] });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: record.id } })).lastUsedAt).not.toBeNull();
  });

  it("refuse bad input: no scopes, unknown scopes, more than 365 days", async () => {
    const owner = await user("viewer");
    await expect(createToken(owner, { name: "x", scopes: [], expiresInDays: 30 })).rejects.toThrow(/at least one scope/);
    await expect(createToken(owner, { name: "x", scopes: ["root" as never], expiresInDays: 30 })).rejects.toThrow();
    await expect(createToken(owner, { name: "x", scopes: ["specs:read"], expiresInDays: 366 })).rejects.toThrow(/at most 365/);
    await expect(createToken(owner, { name: " ", scopes: ["specs:read"], expiresInDays: 1 })).rejects.toThrow(/Name/);
  });

  it("stop working when revoked or expired, and only their owner (or an admin) revokes them", async () => {
    const owner = await user("reviewer");
    const stranger = await user("maintainer");
    const { token, record } = await createToken(owner, { name: "laptop", scopes: ["specs:read"], expiresInDays: 1 });
    await expect(revokeToken(stranger, { tokenId: record.id })).rejects.toMatchObject({ code: "not_found" });
    await revokeToken(owner, { tokenId: record.id });
    await expect(authenticateToken(token)).rejects.toMatchObject({ code: "unauthenticated", message: expect.stringMatching(/revoked/) });

    const expiring = await createToken(owner, { name: "short", scopes: ["specs:read"], expiresInDays: 1 });
    await expect(authenticateToken(expiring.token, new Date(Date.now() + 2 * 86_400_000))).rejects.toMatchObject({ message: expect.stringMatching(/expired/) });
    const admin = await user("admin");
    await revokeToken(admin, { tokenId: expiring.record.id });
    const events = await db.auditEvent.findMany({ where: { subject: { in: [`token:${record.id}`, `token:${expiring.record.id}`] } }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["token.created", "token.revoked", "token.created", "token.revoked"]);
  });

  it("refuse malformed and unknown tokens", async () => {
    await expect(authenticateToken("sl_nope")).rejects.toMatchObject({ code: "unauthenticated", message: expect.stringMatching(/characters/) });
    const { token } = await createToken(await user("viewer"), { name: "x", scopes: ["specs:read"], expiresInDays: 1 });
    const other = token.slice(0, 10) + (token[10] === "a" ? "b" : "a") + token.slice(11);
    await expect(authenticateToken(other)).rejects.toMatchObject({ message: expect.stringMatching(/checksum/) });
  });
});

describe("RequestLimiter", () => {
  it("counts requests per key in fixed windows and says how long to wait", () => {
    const limiter = new RequestLimiter(3, 1000);
    expect([0, 1, 2].map(() => limiter.take("a", 100))).toEqual([0, 0, 0]);
    expect(limiter.take("a", 400)).toBe(700);
    expect(limiter.take("b", 400)).toBe(0);
    expect(limiter.take("a", 1100)).toBe(0);
  });

  it("answer not found, never an error, for someone else's token and for ids that cannot be tokens", async () => {
    const owner = await user("reviewer");
    const stranger = await user("maintainer");
    const { token, record } = await createToken(owner, { name: "mine", scopes: ["specs:read"], expiresInDays: 1 });
    for (const tokenId of [record.id, "a\u0000b", "x".repeat(500), "", "../../etc"]) {
      await expect(revokeToken(stranger, { tokenId })).rejects.toMatchObject({ code: "not_found" });
    }
    // Not a string at all: refused as input, still never a 500.
    for (const tokenId of [null, 42]) await expect(revokeToken(stranger, { tokenId } as never)).rejects.toMatchObject({ code: "unprocessable" });
    await expect(authenticateToken(token)).resolves.toMatchObject({ id: owner.id });
  });
});
