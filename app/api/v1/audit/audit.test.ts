// POST /api/v1/audit/verify against the route handler: admins only, the body parsed as a
// checkpoint, and a verdict that names what is wrong.
import { generateKeyPairSync } from "node:crypto";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { exportAuditCheckpoint, type SignedCheckpoint } from "@/lib/audit";
import { db, type Role } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";

const verifyRoute = await import("./verify/route");
const noParams = { params: Promise.resolve({}) };

async function tokenFor(role: Role) {
  const owner = await db.user.create({ data: { email: `${randomName(role)}@audit.test`, name: role, role }, select: { id: true, email: true, role: true } });
  return (await createToken(owner, { name: "t", scopes: ["admin"], expiresInDays: 1 })).token;
}

function post(token: string, body: string) {
  return new NextRequest("http://localhost/api/v1/audit/verify", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body,
  });
}

let saved: SignedCheckpoint;
beforeAll(async () => {
  process.env.SPECLEDGER_AUDIT_SIGNING_KEY = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  saved = await exportAuditCheckpoint({ role: "admin" });
});

describe("POST /api/v1/audit/verify", () => {
  it("answers that the log extends a checkpoint it signed", async () => {
    const response = await verifyRoute.POST(post(await tokenFor("admin"), JSON.stringify(saved)), noParams);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, signedBy: "this server", checkpoint: saved.checkpoint });
  });

  it("names an edited checkpoint", async () => {
    const edited = { ...saved, checkpoint: { ...saved.checkpoint, length: saved.checkpoint.length + 5 } };
    const response = await verifyRoute.POST(post(await tokenFor("admin"), JSON.stringify(edited)), noParams);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: false, problem: "signature", reason: expect.stringMatching(/forged or edited/) });
  });

  it.each(["maintainer", "reviewer", "viewer"] as const)("refuses a %s", async (role) => {
    expect((await verifyRoute.POST(post(await tokenFor(role), JSON.stringify(saved)), noParams)).status).toBe(403);
  });

  it.each([
    ["not JSON", "{ checkpoint", 400],
    ["an empty object", "{}", 422],
    ["a negative length", JSON.stringify({ ...saved, checkpoint: { length: -1, head: "a".repeat(64), verifiedAt: "x" } }), 422],
  ])("answers %s with %i", async (_, body, status) => {
    expect((await verifyRoute.POST(post(await tokenFor("admin"), body), noParams)).status).toBe(status);
  });
});
