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
    expect(detail.links).toEqual([
      { path: "test/login.test.ts", line: 2, how: "annotation", testCommit, testChangedAt: expect.any(String), suspect: true, missing: false },
    ]);

    const fleet = await fleetRequirementFigures({ role: "viewer" });
    expect(fleet.count).toBeGreaterThanOrEqual(3);
    expect(fleet.suspect).toBeGreaterThanOrEqual(1);
  });

  it("links a feature-qualified id only to that feature's requirement, and shows explicit [@test path] links, a missing one marked", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit("tests", { "tests/cart.test.ts": "// @req 001-login:FR-001\nit('specs/002-cart:FR-002 totals', () => {});\n" });
    repo.commit("specs", {
      "specs/001-login/spec.md": "- **FR-001**: Users MUST sign in.\n- **FR-002**: Users MUST sign out. [@test tests/gone.test.ts]\n",
      "specs/002-cart/spec.md": "- **FR-001**: Carts MUST keep items. [@test tests/cart.test.ts]\n- **FR-002**: Carts MUST total prices.\n",
    });
    const repository = await db.repository.create({ data: { name: randomName("reqs"), source: repo.path } });
    await importRepository({ repositoryId: repository.id });
    const { token } = await userWithToken("viewer", ["specs:read"]);
    const list = async (path: string) => {
      const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: repository.id, path } });
      const res = await callRoute("GET", "/specs/{id}/requirements", { params: { id: spec.id }, token });
      expect(res.status).toBe(200);
      return ((await res.json()) as { requirements: Array<{ id: string; key: string; status: string; tests: number; missingTests: number }> }).requirements;
    };
    const login = await list("specs/001-login/spec.md");
    const cart = await list("specs/002-cart/spec.md");
    expect(login.map((r) => [r.key, r.status, r.tests, r.missingTests])).toEqual([
      ["FR-001", "suspect", 1, 0],
      ["FR-002", "unverified", 0, 1],
    ]);
    expect(cart.map((r) => [r.key, r.status, r.tests, r.missingTests])).toEqual([
      ["FR-001", "suspect", 1, 0],
      ["FR-002", "suspect", 1, 0],
    ]);
    const gone = await callRoute("GET", "/requirements/{id}", { params: { id: login[1].id }, token });
    expect(((await gone.json()) as { links: unknown[] }).links).toEqual([
      { path: "tests/gone.test.ts", line: null, how: "explicit", testCommit: null, testChangedAt: null, suspect: false, missing: true },
    ]);
    const explicit = await callRoute("GET", "/requirements/{id}", { params: { id: cart[0].id }, token });
    expect(((await explicit.json()) as { links: Array<{ how: string; path: string; missing: boolean }> }).links.map((l) => [l.how, l.path, l.missing])).toEqual(
      [["explicit", "tests/cart.test.ts", false]],
    );
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
