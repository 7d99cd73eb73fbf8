import { afterAll, describe, expect, it } from "vitest";
import { TestRepo } from "@/lib/testing/git-repo";
import { parseSubjects, readCommitSubjects } from "./subjects";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

describe("parseSubjects", () => {
  it("reads sha and subject records and skips anything that is not a commit id", () => {
    const a = "a".repeat(40);
    expect(parseSubjects(`${a}\x1fAdd checkout spec\x1e\nnot-a-sha\x1fx\x1e`)).toEqual(new Map([[a, "Add checkout spec"]]));
  });
});

describe("readCommitSubjects", () => {
  it("gives each commit's subject line, leaving out commits the repository does not have", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    const first = repo.commit("Add the checkout spec\n\nA body that is not shown.", { "spec.md": "# A\n" });
    const second = repo.commit("Tighten refunds: FR-7", { "spec.md": "# B\n" });
    const subjects = await readCommitSubjects({ gitDir: `${repo.path}/.git`, shas: [second, first, "f".repeat(40)] });
    expect(subjects).toEqual(
      new Map([
        [second, "Tighten refunds: FR-7"],
        [first, "Add the checkout spec"],
      ]),
    );
  });
});
