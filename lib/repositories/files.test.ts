import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { countRepositoryFindings, listGovernedFiles } from "./files";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));
const viewer = { role: "viewer" as const };
let repositoryId: string;

beforeAll(async () => {
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("specs", { "specs/001-checkout/spec.md": "# Checkout\n", "specs/001-checkout/plan.md": "# Plan\n", "AGENTS.md": "# Agents\n" });
  repo.commit("drop plan", { "specs/001-checkout/plan.md": null });
  repositoryId = (await db.repository.create({ data: { name: randomName("files"), source: repo.path } })).id;
  await importRepository({ repositoryId });
});

describe("listGovernedFiles", () => {
  it("lists the live files with kind and the review state of their current content, not deleted ones", async () => {
    const files = await listGovernedFiles(viewer, repositoryId);
    expect(files.map((f) => [f.path, f.kind, f.review])).toEqual([
      ["AGENTS.md", "agent", "unreviewed"],
      ["specs/001-checkout/spec.md", "spec", "unreviewed"],
    ]);
  });

  it("shows an approved current version as approved, and counts open and acknowledged findings only", async () => {
    const spec = await db.spec.findFirstOrThrow({ where: { repositoryId, path: "specs/001-checkout/spec.md" } });
    await db.change.updateMany({ where: { specId: spec.id, origin: "import" }, data: { state: "approved" } });
    const base = { type: "lint", rule: "r", message: "m", evidence: {}, repositoryId, specId: spec.id };
    await db.finding.createMany({
      data: [
        { ...base, fingerprint: randomName("f"), severity: "error", status: "open" },
        { ...base, fingerprint: randomName("f"), severity: "warning", status: "acknowledged" },
        { ...base, fingerprint: randomName("f"), severity: "warning", status: "dismissed" },
      ],
    });
    const file = (await listGovernedFiles(viewer, repositoryId)).find((f) => f.id === spec.id)!;
    expect(file).toMatchObject({ review: "approved", openFindings: 2 });
    expect(await countRepositoryFindings(viewer, repositoryId)).toEqual({ total: 2, error: 1, warning: 1, info: 0 });
  });

  it("refuses a token without the specs:read scope", async () => {
    await expect(listGovernedFiles({ role: "admin", scopes: ["runs:write"] }, repositoryId)).rejects.toMatchObject({ code: "forbidden" });
    await expect(countRepositoryFindings({ role: "admin", scopes: ["checks:write"] }, repositoryId)).rejects.toMatchObject({ code: "forbidden" });
  });
});
