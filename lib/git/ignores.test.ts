import { afterAll, describe, expect, it } from "vitest";
import { readTree } from "@/lib/findings/checks/context";
import { TestRepo } from "@/lib/testing/git-repo";
import { gitignoresAt } from "./ignores";

const repo = TestRepo.create();
afterAll(() => repo.remove());

describe("gitignoresAt", () => {
  it("reads every .gitignore of a tree in one batch, by folder, and not a symlink's target name", async () => {
    repo.write({ "shared.txt": "dist/\n" }).symlink("shared.txt", "docs/.gitignore");
    const commit = repo.commit("ignores", { ".gitignore": "node_modules/\n", "web/.gitignore": ".next/\n", "web/app.ts": "x\n" });
    const tree = await readTree(`${repo.path}/.git`, commit);
    expect(await gitignoresAt(`${repo.path}/.git`, tree.gitignoreIds)).toEqual({ "": "node_modules/\n", web: ".next/\n" });
  });

  it("gives nothing, not an error, when the blobs cannot be read", async () => {
    expect(await gitignoresAt("/nonexistent/git/dir", new Map([[".gitignore", "0".repeat(40)]]))).toEqual({});
  });
});
