import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { callRoute, userWithToken } from "@/lib/testing/api";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { fleetRequirementFigures } from "./fleet";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

const SPEC = "specs/001-login/spec.md";

/** A repository (TestRepo dates its commits in order) whose FR-001 is tested, FR-002 is untested and FR-003 changed after its test. */
async function importedLoginSpec() {
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("spec", { [SPEC]: "- **FR-001**: Users MUST sign in.\n- **FR-002**: Users MUST sign out.\n- **FR-003**: Sessions MUST expire.\n" });
  const testCommit = repo.commit("tests", { "test/login.test.ts": 'it("FR-001 signs in", () => {});\n// @req FR-003\n' });
  repo.commit("spec v2", {
    [SPEC]: "- **FR-001**: Users MUST sign in.\n- **FR-002**: Users MUST sign out.\n- **FR-003**: Sessions MUST expire after 30 minutes.\n",
  });
  const repository = await db.repository.create({ data: { name: randomName("reqs"), source: repo.path } });
  await importRepository({ repositoryId: repository.id });
  const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: repository.id, path: SPEC } });
  return { spec, testCommit };
}

describe("GET /specs/{id}/requirements and /requirements/{id}", () => {
  it("lists a spec's requirements with test status and figures, and a requirement with its history and links", async () => {
    const { spec, testCommit } = await importedLoginSpec();
    const { token } = await userWithToken("viewer", ["specs:read"]);
    const res = await callRoute("GET", "/specs/{id}/requirements", { params: { id: spec.id }, token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { summary: unknown; requirements: Array<{ id: string; key: string; status: string; tests: number }> };
    expect(body.requirements.map((r) => [r.key, r.status, r.tests])).toEqual([
      ["FR-001", "verified", 1],
      ["FR-002", "unverified", 0],
      ["FR-003", "suspect", 1],
    ]);
    expect(body.summary).toEqual({ count: 3, withTest: 2, suspect: 1, shareWithTest: 0.667, shareSuspect: 0.333 });

    const fr3 = body.requirements[2];
    const one = await callRoute("GET", "/requirements/{id}", { params: { id: fr3.id }, token });
    expect(one.status).toBe(200);
    const detail = (await one.json()) as {
      history: Array<{ seq: number; event: string }>;
      links: Array<{ path: string; line: number; how: string; testCommit: string; suspect: boolean }>;
    };
    expect(detail.history.map((h) => [h.seq, h.event])).toEqual([
      [1, "added"],
      [2, "changed"],
    ]);
    expect(detail.links).toEqual([{ path: "test/login.test.ts", line: 2, how: "annotation", testCommit, testChangedAt: expect.any(String), suspect: true }]);

    const fleet = await fleetRequirementFigures({ role: "viewer" });
    expect(fleet.count).toBeGreaterThanOrEqual(3);
    expect(fleet.suspect).toBeGreaterThanOrEqual(1);
  });

  it("answers 404 for a requirement or spec that does not exist, and 403 to a token without specs:read", async () => {
    const { token } = await userWithToken("viewer", ["specs:read"]);
    expect((await callRoute("GET", "/requirements/{id}", { params: { id: randomName("none") }, token })).status).toBe(404);
    expect((await callRoute("GET", "/specs/{id}/requirements", { params: { id: randomName("none") }, token })).status).toBe(404);
    const { spec } = await importedLoginSpec();
    const other = await userWithToken("viewer", ["runs:write"]);
    expect((await callRoute("GET", "/specs/{id}/requirements", { params: { id: spec.id }, token: other.token })).status).toBe(403);
    await expect(fleetRequirementFigures({ role: "admin", scopes: ["runs:write"] })).rejects.toMatchObject({ code: "forbidden" });
  });
});
