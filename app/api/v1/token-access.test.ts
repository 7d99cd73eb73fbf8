// Tokens against the route handlers, called directly: the scope x role matrix, and a
// token whose owner loses a role loses the access with it.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { TOKEN_SCOPES, type TokenScope } from "@/lib/auth/permissions";
import { db, type Role } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";
import { setUserRole } from "@/lib/operations/workspace";
import { createToken } from "@/lib/operations/workspace";

const specs = await import("./specs/route");
const changes = await import("./changes/route");
const repositories = await import("./repositories/route");
const auditVerify = await import("./audit/verify/route");
const checks = await import("./checks/route");
const imports = await import("./repositories/[id]/imports/route");

const ROLES: Role[] = ["admin", "maintainer", "reviewer", "viewer"];
const noParams = { params: Promise.resolve({}) };

async function tokenFor(role: Role, scopes: TokenScope[]) {
  const owner = await db.user.create({ data: { email: `${randomName(role)}@scopes.test`, name: role, role }, select: { id: true, email: true, role: true } });
  return { owner, token: (await createToken(owner, { name: "t", scopes, expiresInDays: 1 })).token };
}

function call(token: string, url: string, body?: unknown) {
  return new NextRequest(`http://localhost${url}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const grants = (scope: TokenScope, needed: TokenScope) => scope === needed || scope === "admin";

describe.each(ROLES.flatMap((role) => TOKEN_SCOPES.map((scope) => [role, scope] as const)))("a %s's token with %s", (role, scope) => {
  it("reaches exactly what the scope grants and the role allows", async () => {
    const { token } = await tokenFor(role, [scope]);
    expect((await specs.GET(call(token, "/api/v1/specs"), noParams)).status).toBe(grants(scope, "specs:read") ? 200 : 403);
    // An empty body: 422 once authorized, 403 before.
    const propose = await changes.POST(call(token, "/api/v1/changes", {}), noParams);
    expect(propose.status).toBe(role !== "viewer" && grants(scope, "specs:propose") ? 422 : 403);
    const add = await repositories.POST(call(token, "/api/v1/repositories", {}), noParams);
    expect(add.status).toBe((role === "admin" || role === "maintainer") && scope === "admin" ? 422 : 403);
    const audit = await auditVerify.GET(call(token, "/api/v1/audit/verify"), noParams);
    expect(audit.status).toBe(role === "admin" && scope === "admin" ? 200 : 403);
    // checks:write runs pull-request checks and nothing else (an empty body: 422 once authorized).
    const check = await checks.POST(call(token, "/api/v1/checks", {}), noParams);
    expect(check.status).toBe(role !== "viewer" && grants(scope, "checks:write") ? 422 : 403);
    // repositories:sync triggers an import and nothing else (an unknown repository: 404 once authorized).
    const sync = await imports.POST(call(token, "/api/v1/repositories/nope/imports", {}), { params: Promise.resolve({ id: "nope" }) });
    expect(sync.status).toBe((role === "admin" || role === "maintainer") && grants(scope, "repositories:sync") ? 404 : 403);
  });
});

describe("token authentication at the route", () => {
  it("follows the owner's current role", async () => {
    const { owner, token } = await tokenFor("maintainer", ["specs:propose"]);
    expect((await changes.POST(call(token, "/api/v1/changes", {}), noParams)).status).toBe(422);
    const admin = await db.user.create({
      data: { email: `${randomName("admin")}@scopes.test`, name: "admin", role: "admin" },
      select: { id: true, email: true, role: true },
    });
    await setUserRole(admin, { userId: owner.id, role: "viewer" });
    expect((await changes.POST(call(token, "/api/v1/changes", {}), noParams)).status).toBe(403);
  });

  it("answers 401 for a malformed header, a mistyped token and an unknown one", async () => {
    const { token } = await tokenFor("viewer", ["specs:read"]);
    const basic = new NextRequest("http://localhost/api/v1/specs", { headers: { authorization: `Basic ${token}` } });
    expect((await specs.GET(basic, noParams)).status).toBe(401);
    const typo = token.slice(0, -1) + (token.endsWith("a") ? "b" : "a");
    const response = await specs.GET(call(typo, "/api/v1/specs"), noParams);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/checksum/);
    expect((await specs.GET(call("sl_" + "A".repeat(39), "/api/v1/specs"), noParams)).status).toBe(401);
  });
});
