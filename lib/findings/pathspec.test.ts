import { afterAll, describe, expect, it } from "vitest";
import { git } from "@/lib/git/git";
import { TestRepo } from "@/lib/testing/git-repo";
import { compileAttribution, compilePathspecs, includePathspecs } from "./pathspec";

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

describe("compileAttribution", () => {
  // Paths near every edge of the folder lookup: a folder's own path, a sibling sharing its prefix, hidden folders, deep files.
  const PATHS = [
    ...FILES,
    "src",
    "srcx/a.ts",
    "src.ts",
    "specs/001-x",
    "specs/001-xy/spec.md",
    "specs/0/spec.md",
    ".kiro/x.ts",
    "a/.hidden/b.md",
    "services/pay",
    "services/payments/x.ts",
    "deep/a/b/c/d/e.ts",
    "x.md",
    ".md",
  ];
  const SPECS: string[][] = [
    ...CASES,
    [":(glob)**", ":(exclude,glob)specs/001-x/**", ":(exclude,glob)**/*.md"],
    [":(glob)**", ":(exclude,glob)specs/0/**", ":(exclude,glob)**/*.md"],
    [":(glob)services/pay/**", ":(glob)services/pay/**", ":(exclude,literal)services/pay/README.md"],
    [":(exclude,glob)**/*.ts"],
    [":(glob)src/", ":(literal)specs/001-x"],
    [":(glob).*/**"],
    [":(glob)**/*.md", ":(exclude,glob)services/**"],
  ];

  it("selects, for every path, exactly the specs whose own pathspecs select it", () => {
    const attribute = compileAttribution(SPECS);
    const each = SPECS.map((pathspecs) => compilePathspecs(pathspecs));
    for (const path of PATHS) {
      const expected = each.flatMap((matches, index) => (matches(path) ? [index] : []));
      expect(attribute(path), path).toEqual(expected);
    }
  });

  it("answers a second time as the first, and nothing for no specs", () => {
    const attribute = compileAttribution(SPECS);
    const first = PATHS.map((p) => attribute(p));
    expect(PATHS.map((p) => attribute(p))).toEqual(first);
    expect(compileAttribution([])("src/a.ts")).toEqual([]);
    // The root-level spec of specs/001-x does not govern its own folder; its neighbour's does.
    expect(attribute("specs/001-x/contracts/api.yaml")).not.toContain(SPECS.length - 7);
    expect(attribute("specs/001-x/contracts/api.yaml")).toContain(SPECS.length - 6);
  });
});
