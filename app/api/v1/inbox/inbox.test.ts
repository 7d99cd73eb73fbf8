import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { proposeChange } from "@/lib/operations/reviews";
import { createToken } from "@/lib/operations/workspace";
import { importRepository } from "@/lib/repositories/import";
import { callRoute, userWithToken } from "@/lib/testing/api";
import { TestRepo, randomName } from "@/lib/testing/git-repo";

let sessionUserId: string | null = null;
vi.mock("next/headers", async () => ({ cookies: (await import("@/lib/testing/session")).cookiesFor(() => sessionUserId) }));
vi.mock("react", async (original) => ({ ...(await original<typeof import("react")>()), cache: <T>(fn: T) => fn }));

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let owner: Awaited<ReturnType<typeof userWithToken>>;
let otherReviewer: string;
let number: number;
let imported: number;
let findingId: string;
beforeAll(async () => {
  owner = await userWithToken("reviewer", ["specs:read"]);
  const author = await userWithToken("maintainer", ["specs:read"]);
  otherReviewer = (await userWithToken("reviewer", ["admin"])).token;
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("specs", { CODEOWNERS: `specs/ ${owner.user.email}\n`, "specs/a/spec.md": "# A\n" });
  const record = await db.repository.create({ data: { name: randomName("repo"), source: repo.path } });
  await importRepository({ repositoryId: record.id });
  const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: record.id } });
  imported = (await db.change.findFirstOrThrow({ where: { specId: spec.id, origin: "import" } })).number;
  number = (await proposeChange(author.user, { specId: spec.id, content: "# A\n\nMore.\n", title: "More" })).number;
  findingId = (
    await db.finding.create({
      data: { fingerprint: randomName("fp"), type: "lint", rule: "r", severity: "error", specId: spec.id, message: "Broken", evidence: {} },
    })
  ).id;
});

describe("GET /api/v1/inbox", () => {
  it("answers the token owner's findings, and their reviews only with a scope that may decide", async () => {
    const response = await callRoute("GET", "/inbox", { token: owner.token });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toContain("no-store");
    const body = await response.json();
    expect(body.findings.map((f: { id: string }) => f.id)).toEqual([findingId]);
    expect(body.findings[0]).toMatchObject({ severity: "error", spec: { path: "specs/a/spec.md" } });
    // specs:read cannot reach reviews:decide, so nothing waits for this token's review.
    expect(body.review).toEqual([]);
    expect(body.counts).toMatchObject({ review: 0, findings: 1, total: body.counts.updates + 1 });
  });

  it("lists the proposal for its owner through a token that may decide, and not for another reviewer", async () => {
    const { token } = await createToken(owner.user, { name: "admin", scopes: ["admin"], expiresInDays: 1 });
    const mine = await (await callRoute("GET", "/inbox", { token })).json();
    expect(mine.review.map((c: { number: number }) => c.number)).toContain(number);
    const other = await (await callRoute("GET", "/inbox", { token: otherReviewer })).json();
    expect(other.review.map((c: { number: number }) => c.number)).not.toContain(number);
  });

  it("answers a signed-in owner with the proposal waiting for their review (a session has every permission of the role)", async () => {
    sessionUserId = owner.user.id;
    try {
      const body = await (await callRoute("GET", "/inbox")).json();
      // The imported first version waits for them too (unreviewed), oldest first.
      expect(body.review.map((c: { number: number }) => c.number)).toEqual([imported, number]);
      expect(body.review[0]).toMatchObject({ origin: "import", state: "unreviewed" });
      expect(body.review[1]).toMatchObject({ title: "More", state: "proposed", origin: "proposal", spec: { path: "specs/a/spec.md" } });
    } finally {
      sessionUserId = null;
    }
  });

  it.each([
    ["no credentials", undefined, 401],
    ["a token without a reading scope", "checks", 403],
    ["a malformed token", "sl_nonsense", 401],
  ])("refuses %s", async (_label, which, status) => {
    const token = which === "checks" ? (await userWithToken("admin", ["checks:write"])).token : which;
    const response = await callRoute("GET", "/inbox", token ? { token } : {});
    expect(response.status).toBe(status);
  });
});
