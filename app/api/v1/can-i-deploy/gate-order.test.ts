import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";

// can-i-deploy answers from one statement (decision 041): these pin what that statement must keep
// doing with several references at once, which the scenario tests (one spec each) do not reach.
const gate = await import("./route");
const deployments = await import("../deployments/route");

const noParams = { params: Promise.resolve({}) };
const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let token: string;
let repoName: string;
let commit: string;

beforeAll(async () => {
  const ci = await db.user.create({
    data: { email: `${randomName("ci")}@gate-order.test`, name: "ci", role: "maintainer" },
    select: { id: true, email: true, role: true },
  });
  token = (await createToken(ci, { name: "ci", scopes: ["runs:write", "deployments:write", "specs:read"], expiresInDays: 1 })).token;
  const repo = TestRepo.create();
  repos.push(repo);
  commit = repo.commit("specs", { "specs/b/spec.md": "# B\n\nnever reviewed\n", "specs/a/spec.md": "# A\n\nnever reviewed\n" });
  repoName = randomName("order");
  const { id } = await db.repository.create({ data: { name: repoName, source: repo.path } });
  await importRepository({ repositoryId: id });
});

function call(url: string, body?: unknown) {
  return new NextRequest(`http://localhost${url}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

type Answer = { ok: boolean; checked: number; reasons: { code: string; message: string; version?: { path: string } }[] };

describe("can-i-deploy with several references", () => {
  it("lists each version once, in repository and path order, and every unresolved reference once, after them", async () => {
    const service = randomName("svc");
    const unknownHash = "f".repeat(64);
    const specs = [
      { repository: repoName, path: "specs/b/spec.md", commit },
      { contentHash: unknownHash },
      { repository: repoName, path: "specs/a/spec.md", commit },
      // The same version twice and the same unknown content twice: counted and reported once each.
      { repository: repoName, path: "specs/b/spec.md", commit },
      { contentHash: unknownHash },
    ];
    const recorded = await deployments.POST(call("/api/v1/deployments", { service, version: "1.0.0", environment: "production", specs }), noParams);
    expect(recorded.status, await recorded.clone().text()).toBe(201);

    const response = await gate.GET(call(`/api/v1/can-i-deploy?service=${service}&version=1.0.0&environment=production`), noParams);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Answer;
    expect(answer.ok).toBe(false);
    expect(answer.checked).toBe(3);
    expect(answer.reasons.map((r) => [r.code, r.version?.path ?? null])).toEqual([
      ["unreviewed", "specs/a/spec.md"],
      ["unreviewed", "specs/b/spec.md"],
      ["unresolved", null],
    ]);
    expect(answer.reasons[2].message).toContain(`sha256:${unknownHash.slice(0, 12)}`);
  });

  it("asks for an unknown version of a known service: 404, and a malformed query: 422, never a 500", async () => {
    const service = randomName("svc");
    const recorded = await deployments.POST(call("/api/v1/deployments", { service, version: "1.0.0", environment: "production" }), noParams);
    expect(recorded.status).toBe(201);
    expect((await gate.GET(call(`/api/v1/can-i-deploy?service=${service}&version=2.0.0&environment=production`), noParams)).status).toBe(404);
    const malformed = await gate.GET(call(`/api/v1/can-i-deploy?service=${service}&version=1.0.0&environment=${encodeURIComponent("prod env")}`), noParams);
    expect(malformed.status).toBe(422);
  });
});
