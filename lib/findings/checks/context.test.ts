import { afterAll, describe, expect, it } from "vitest";
import { TestRepo } from "@/lib/testing/git-repo";
import { headTreeOf, readTree, type RepoContext } from "./context";

const repo = TestRepo.create();
afterAll(() => repo.remove());

describe("the head tree the checks share", () => {
  const head = repo.commit("one", { "AGENTS.md": "# Agents\n", "services/billing/AGENTS.md": "# Billing\n", "docs/a b/notes.md": "x\n" });
  repo.commit("two", { "docs/a b/notes.md": null, "docs/readme.md": "y\n" });
  const ctx: RepoContext = { repositoryId: "r", gitDir: `${repo.path}/.git`, head, files: [] };

  it("lists files, folders and blobs of the named commit (not a later one), paths with spaces intact", async () => {
    const tree = await readTree(ctx.gitDir, head);
    expect([...tree.files].sort()).toEqual(["AGENTS.md", "docs/a b/notes.md", "services/billing/AGENTS.md"]);
    expect([...tree.paths].sort()).toEqual([
      "AGENTS.md",
      "docs",
      "docs/a b",
      "docs/a b/notes.md",
      "services",
      "services/billing",
      "services/billing/AGENTS.md",
    ]);
    expect(tree.blobs.map((b) => b.path).sort()).toEqual([...tree.files].sort());
    expect(tree.blobs.every((b) => b.size === null)).toBe(true);
  });

  it("is listed once per findings run, however many checks ask", async () => {
    const [a, b] = await Promise.all([headTreeOf(ctx), headTreeOf(ctx)]);
    expect(a).toBe(b);
    expect(await headTreeOf(ctx)).toBe(a);
    // Another run (another context) lists it again: a head can move between runs.
    expect(await headTreeOf({ ...ctx })).not.toBe(a);
  });
});
