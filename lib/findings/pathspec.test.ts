import { afterAll, describe, expect, it } from "vitest";
import { git } from "@/lib/git/git";
import { TestRepo } from "@/lib/testing/git-repo";
import { compilePathspecs, includePathspecs } from "./pathspec";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

const FILES = [
  "README.md",
  "package.json",
  "src/a.ts",
  "src/deep/b.ts",
  "src/deep/notes.md",
  "specs/001-x/spec.md",
  "specs/001-x/contracts/api.yaml",
  "services/pay/src/pay.ts",
  "services/pay/specs/001-y/spec.md",
  "services/pay/README.md",
  ".kiro/specs/cart/requirements.md",
  ".github/workflows/ci.yml",
  "lib/x.ts",
];

// Each set is one spec's pathspecs as lib/findings/references.ts writes them.
const CASES: string[][] = [
  [":(glob)**", ":(exclude,glob)specs/**", ":(exclude,glob)**/*.md"],
  [":(glob)services/pay/**", ":(exclude,glob)services/pay/specs/**", ":(exclude,glob)**/*.md"],
  [":(glob)**", ":(exclude,glob).*/**", ":(exclude,glob)**/*.md"],
  [":(literal)src/deep", ":(literal)lib/x.ts"],
  [":(glob)src/*.ts"],
  [":(glob)src/**/*.ts", ":(glob)package.json"],
  [":(glob)src"],
];

describe("compilePathspecs", () => {
  it.each(CASES)("selects the same paths as git does for %s", async (...pathspecs) => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit("files", Object.fromEntries(FILES.map((f) => [f, `${f}\n`])));
    // git log, as the stale check reads it (git ls-files treats some exclude globs otherwise).
    const byGit = (await git(["log", "--format=", "--name-only", "--", ...pathspecs], { cwd: repo.path })).split("\n").filter(Boolean).sort();
    const matches = compilePathspecs(pathspecs);
    expect(FILES.filter((f) => matches(f)).sort()).toEqual(byGit);
  });

  it("keeps only the includes for the one shared log", () => {
    expect(includePathspecs([":(glob)**", ":(exclude,glob)specs/**", ":(literal)a", ":(exclude,literal)b"])).toEqual([":(glob)**", ":(literal)a"]);
  });
});
