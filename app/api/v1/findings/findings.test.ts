import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, type Role } from "@/lib/db";
import { getFindingOrThrow, recomputeFindings } from "@/lib/findings/store";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";

const list = await import("./route");
const one = await import("./[id]/route");
const status = await import("./status/route");

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let repoName: string;
let dupRepoId: string;
const tokens: Partial<Record<Role, string>> = {};

async function tokenFor(role: Role, scopes: ("specs:read" | "admin")[]) {
  const owner = await db.user.create({
    data: { email: `${randomName(role)}@findings-api.test`, name: role, role },
    select: { id: true, email: true, role: true },
  });
  return (await createToken(owner, { name: "t", scopes, expiresInDays: 1 })).token;
}

function req(url: string, token: string | undefined, body?: unknown) {
  return new NextRequest(`http://localhost${url}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}
const noParams = { params: Promise.resolve({}) };

beforeAll(async () => {
  tokens.viewer = await tokenFor("viewer", ["specs:read"]);
  tokens.reviewer = await tokenFor("reviewer", ["specs:read", "admin"]);
  tokens.maintainer = await tokenFor("maintainer", ["specs:read", "admin"]);
  const repo = TestRepo.create();
  repos.push(repo);
  repoName = randomName("fapi");
  // Unique words, so no other test's repository holds a duplicate of this file.
  repo.commit("agents", { "AGENTS.md": `# Agents for ${repoName}\n\n- Read \`docs/missing.md\` first.\n- Ship on 2026-12-01 for TICKET-4411.\n` });
  const { id } = await db.repository.create({ data: { name: repoName, source: repo.path } });
  await importRepository({ repositoryId: id });
  await recomputeFindings({ repositoryId: id });
  // Two copies of one spec: a duplicate finding.
  const copies = TestRepo.create();
  repos.push(copies);
  const text = `# Copies ${repoName}\n\n${Array.from({ length: 12 }, (_, i) => `- Rule ${i}: ${randomName("w")} ${randomName("w")}.`).join("\n")}\n`;
  copies.commit("copies", { "specs/a/spec.md": text, "specs/b/spec.md": text });
  dupRepoId = (await db.repository.create({ data: { name: randomName("fapi-dup"), source: copies.path } })).id;
  await importRepository({ repositoryId: dupRepoId });
  await recomputeFindings({ repositoryId: dupRepoId });
});

describe("/api/v1/findings", () => {
  it("lists a repository's findings with filters, and one finding by id", async () => {
    const response = await list.GET(req(`/api/v1/findings?repository=${repoName}&type=lint,broken-reference&sort=type`, tokens.viewer), noParams);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { findings: { id: string; type: string; rule: string; repository: string; evidence: unknown }[]; total: number };
    expect(body.findings.map((f) => `${f.type}/${f.rule}`).sort()).toEqual(["broken-reference/broken-reference", "lint/agent-task-specific"]);
    expect(body.total).toBe(2);
    const lint = await list.GET(req(`/api/v1/findings?repository=${repoName}&type=lint,stale&severity=warning`, tokens.viewer), noParams);
    expect(((await lint.json()) as { total: number }).total).toBe(1);

    const found = await one.GET(req(`/api/v1/findings/${body.findings[0].id}`, tokens.viewer), { params: Promise.resolve({ id: body.findings[0].id }) });
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ id: body.findings[0].id, repository: repoName });
    const missing = await one.GET(req("/api/v1/findings/nope", tokens.viewer), { params: Promise.resolve({ id: "nope" }) });
    expect(missing.status).toBe(404);
  });

  it("rejects bad filters, bad bodies and a missing scope; changes status with the right one", async () => {
    expect((await list.GET(req("/api/v1/findings?status=bogus", tokens.viewer), noParams)).status).toBe(422);
    const ids = (
      (await (await list.GET(req(`/api/v1/findings?repository=${repoName}&type=lint,broken-reference`, tokens.viewer), noParams)).json()) as {
        findings: { id: string }[];
      }
    ).findings.map((f) => f.id);
    expect((await status.POST(req("/api/v1/findings/status", tokens.viewer, { ids, action: "acknowledge" }), noParams)).status).toBe(403);
    expect((await status.POST(req("/api/v1/findings/status", tokens.reviewer, "{oops"), noParams)).status).toBe(400);
    expect((await status.POST(req("/api/v1/findings/status", tokens.reviewer, { ids, action: "close" }), noParams)).status).toBe(422);
    const done = await status.POST(req("/api/v1/findings/status", tokens.reviewer, { ids, action: "acknowledge", note: "triaged" }), noParams);
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ changed: 2 });
    // Acknowledging again changes nothing.
    expect(await (await status.POST(req("/api/v1/findings/status", tokens.reviewer, { ids, action: "acknowledge" }), noParams)).json()).toEqual({ changed: 0 });
    const after = await list.GET(req(`/api/v1/findings?repository=${repoName}&type=lint,broken-reference&status=acknowledged`, tokens.viewer), noParams);
    expect(((await after.json()) as { total: number }).total).toBe(2);
  });

  it("refuses a reviewer's dismissal of a duplicate finding (it decides the cluster) but takes their acknowledgement and a maintainer's dismissal", async () => {
    const duplicate = await db.finding.findFirstOrThrow({ where: { repositoryId: dupRepoId, type: "duplicate", status: "open" } });
    const refused = await status.POST(req("/api/v1/findings/status", tokens.reviewer, { ids: [duplicate.id], action: "dismiss" }), noParams);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/cluster/);
    expect((await db.finding.findUniqueOrThrow({ where: { id: duplicate.id } })).status).toBe("open");
    const acknowledged = await status.POST(req("/api/v1/findings/status", tokens.reviewer, { ids: [duplicate.id], action: "acknowledge" }), noParams);
    expect(await acknowledged.json()).toEqual({ changed: 1 });
    const dismissed = await status.POST(req("/api/v1/findings/status", tokens.maintainer, { ids: [duplicate.id], action: "dismiss" }), noParams);
    expect(dismissed.status).toBe(200);
    expect(await dismissed.json()).toEqual({ changed: 1 });
    expect(await db.duplicateDecision.findUniqueOrThrow({ where: { key: duplicate.fingerprint.slice("duplicate:".length) } })).toMatchObject({
      dismissed: true,
    });
  });

  it("refuses ids and filters the database cannot store with 422, not 500", async () => {
    for (const filter of ["spec=%00", "repository=a%00b", "owner=%00", "rule=x%00"]) {
      expect((await list.GET(req(`/api/v1/findings?${filter}`, tokens.viewer), noParams)).status).toBe(422);
    }
    for (const ids of [["\u0000"], ["\ud800"], [""]]) {
      expect((await status.POST(req("/api/v1/findings/status", tokens.reviewer, { ids, action: "acknowledge" }), noParams)).status).toBe(422);
    }
    // The finding page reads through the same function: such an id is simply not found.
    await expect(getFindingOrThrow({ role: "viewer" }, "a\u0000b")).rejects.toMatchObject({ code: "not_found" });
  });

  it("answers a finding whose stored evidence is in an older shape, saying so, instead of failing", async () => {
    const finding = await db.finding.create({
      data: {
        fingerprint: `lint:old:${randomName("f")}`,
        type: "lint",
        rule: "old-rule",
        severity: "info",
        message: "An old finding",
        evidence: { path: "AGENTS.md", lines: { nested: "not a detail this version knows" } },
      },
    });
    const response = await one.GET(req(`/api/v1/findings/${finding.id}`, tokens.viewer), { params: Promise.resolve({ id: finding.id }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: finding.id, evidence: null, evidenceFormat: "older" });
    const listed = await list.GET(req(`/api/v1/findings?rule=old-rule&status=open`, tokens.viewer), noParams);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { findings: { id: string; evidenceFormat: string }[] }).findings).toContainEqual(
      expect.objectContaining({ id: finding.id, evidenceFormat: "older" }),
    );
    const current = await list.GET(req(`/api/v1/findings?repository=${repoName}&type=broken-reference&status=open,acknowledged`, tokens.viewer), noParams);
    expect(((await current.json()) as { findings: { evidence: unknown; evidenceFormat: string }[] }).findings[0]).toMatchObject({
      evidenceFormat: "current",
      evidence: expect.objectContaining({ resolved: "docs/missing.md", via: "code" }),
    });
  });
});
