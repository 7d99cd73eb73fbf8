import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { diffTexts } from "@/lib/specs/diff";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { getDashboard } from "./index";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

describe("getDashboard", () => {
  it("counts an agent file's lines as its diff does, and its trend's Specs line counts specs only, as the card does", async () => {
    // Larger than any other test's agent file, so it is among the five largest.
    const agents = `${"Always run the tests before you push, and say which ones you ran.\n".repeat(13_000)}`;
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit("specs", {
      "AGENTS.md": agents,
      "CLAUDE.md": "# Claude\n\nSee AGENTS.md\n",
      "specs/001-a/spec.md": "# A\n",
      "specs/002-b/spec.md": "# B\n",
    });
    const record = await db.repository.create({ data: { name: randomName("dash"), source: repo.path } });
    await importRepository({ repositoryId: record.id });
    const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: record.id, path: "AGENTS.md" } });

    const dashboard = await getDashboard({ role: "viewer" });

    const listed = dashboard.largestAgentFiles.find((f) => f.specId === spec.id);
    const diff = diffTexts({ oldText: "", newText: agents, maxBytes: 4 * 1024 * 1024 });
    expect(diff.status === "ok" && diff.added).toBe(13_000);
    expect(listed?.lines).toBe(13_000);

    expect(dashboard.trend.at(-1)?.specs).toBe(dashboard.totals.specs);
  });
});
