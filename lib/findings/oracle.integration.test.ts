import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { checkRepository } from "./checks";
import { findingsConfigSchema } from "./settings";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let repositoryId: string;

beforeAll(async () => {
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("specs and tests", {
    "specs/001-login/spec.md": [
      "- **FR-001**: Users MUST sign in.",
      "- **FR-002**: Users MUST sign out. [@test tests/logout.test.ts]",
      "- **FR-003**: Sessions MUST expire. [@test tests/gone.test.ts]",
      "- **FR-004**: Users MUST reset passwords.",
      "",
    ].join("\n"),
    "specs/002-cart/spec.md": "- **FR-004**: Carts MUST keep items.\n",
    "specs/001-login/plan.md": "- **FR-009**: a plan names requirements, it does not define them.\n",
    "tests/login.test.ts": "it('FR-001 signs in', () => {});\n// @req 002-cart:FR-004\n",
    "tests/logout.test.ts": "it('signs out', () => {});\n",
  });
  const { id } = await db.repository.create({ data: { name: randomName("oracle"), source: repo.path } });
  await importRepository({ repositoryId: id });
  repositoryId = id;
});

describe("requirement-oracle findings", () => {
  it("are off by default", async () => {
    const drafts = await checkRepository(repositoryId, findingsConfigSchema.parse({}));
    expect(drafts.filter((d) => d.type === "requirement-oracle")).toEqual([]);
  });

  it("report, as errors, each live requirement that no test names and no existing [@test] link backs", async () => {
    const config = findingsConfigSchema.parse({ types: { "requirement-oracle": true } });
    const drafts = (await checkRepository(repositoryId, config)).filter((d) => d.type === "requirement-oracle");
    // FR-001 is named by a test, FR-002 has an explicit link, 002-cart's FR-004 a qualified one; 001-login's FR-004 is the other feature's.
    expect(drafts.map((d) => [(d.evidence as { path: string }).path, (d.evidence as { key: string }).key, d.severity, d.line])).toEqual([
      ["specs/001-login/spec.md", "FR-003", "error", 3],
      ["specs/001-login/spec.md", "FR-004", "error", 4],
    ]);
    expect(drafts[0].evidence).toMatchObject({ missingTests: ["tests/gone.test.ts"] });
    expect(drafts[0].message).toContain("tests/gone.test.ts, which does not exist");
  });
});
