import { afterAll, describe, expect, it } from "vitest";
import { TestRepo } from "@/lib/testing/git-repo";
import { GitError, gitWithStdin } from "./git";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

describe("gitWithStdin", () => {
  it("writes the input to git's stdin and gives its whole stdout back", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    const sha = repo.commit("First", { "a.md": "alpha\n" });
    const blob = repo.git("rev-parse", `${sha}:a.md`);
    const out = await gitWithStdin([`--git-dir=${repo.path}/.git`, "cat-file", "--batch-check"], `${blob}\n${"f".repeat(40)}\n`);
    expect(out).toBe(`${blob} blob 6\n${"f".repeat(40)} missing\n`);
  });

  it("rejects with git's complaint when git fails", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    const failed = gitWithStdin([`--git-dir=${repo.path}/.git`, "log", "--no-walk", "--stdin"], "not-a-revision\n");
    await expect(failed).rejects.toBeInstanceOf(GitError);
    await expect(failed).rejects.toThrow(/not-a-revision/);
  });
});
