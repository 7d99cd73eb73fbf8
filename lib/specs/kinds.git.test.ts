import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyPath, DEFAULT_KIND_RULES, gitPathspecs, type KindRule } from "./kinds";

// Recognised files at several depths, near misses, and files a prefilter should drop.
const PATHS = [
  "specs/001-login/spec.md",
  "specs/001-login/plan.md",
  "specs/001-login/data-model.md",
  "specs/001-login/research.md",
  "specs/001-login/tasks.md",
  "specs/001-login/quickstart.md",
  "specs/001-login/checklists/requirements.md",
  "specs/001-login/contracts/api.yaml",
  "specs/001-login/contracts/v1/events.json",
  "specs/001-login/contracts/README.md",
  "specs/overview.md",
  "specs/notes.txt",
  "services/api/specs/003-pay/spec.md",
  "services/api/specs/003-pay/plan.md",
  "services/api/specs/003-pay/contracts/pay.openapi.yaml",
  "apps/web/specs/002-x/tasks.md",
  ".kiro/specs/checkout/requirements.md",
  ".kiro/specs/checkout/design.md",
  ".kiro/specs/checkout/tasks.md",
  ".kiro/steering/product.md",
  ".kiro/steering/nested/tech.md",
  ".specs/auth/login.md",
  "docs/specs/billing.md",
  "docs/specs/deep/er/still.md",
  ".specify/memory/constitution.md",
  ".specify/templates/spec-template.md",
  "memory/constitution.md",
  "memory/other.md",
  "AGENTS.md",
  "AGENTS.override.md",
  "CLAUDE.md",
  "GEMINI.md",
  "docs/AGENTS.md",
  "packages/core/CLAUDE.md",
  ".github/copilot-instructions.md",
  ".github/instructions/frontend.instructions.md",
  ".github/instructions/a/b/backend.instructions.md",
  ".github/instructions/notes.md",
  ".github/workflows/ci.yml",
  ".cursor/rules/style.mdc",
  ".cursor/rules/deep/style.mdc",
  ".cursorrules",
  ".windsurfrules",
  "openapi.yaml",
  "api/openapi.yml",
  "openapi.json",
  "openapi.toml",
  "petstore.openapi.yaml",
  "asyncapi.yaml",
  "events/asyncapi.json",
  "README.md",
  "src/foo.md",
  "src/index.ts",
  "src/specs.ts",
  "specsheet/a.md",
  "agents.md",
  "node_modules/pkg/AGENTS.md",
  "node_modules/pkg/specs/001/spec.md",
  "vendor/github.com/x/specs/a.md",
  "package.json",
];

let repo: string;

// Drop inherited GIT_* variables (set when tests run from a git hook) so git only sees the fixture repo.
const gitEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("GIT_"))) as NodeJS.ProcessEnv;

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8", env: gitEnv });
}

function selected(rules: readonly KindRule[]): Set<string> {
  return new Set(git("ls-files", "-z", "--", ...gitPathspecs(rules)).split("\0").filter(Boolean));
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "specledger-kinds-"));
  for (const path of PATHS) {
    mkdirSync(join(repo, dirname(path)), { recursive: true });
    writeFileSync(join(repo, path), `${path}\n`);
  }
  git("init", "--quiet");
  // node_modules and vendor are often git-ignored, but a repository may still have committed them.
  git("add", "--force", ".");
  git("-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "commit", "--quiet", "-m", "fixture");
});

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe("gitPathspecs against a real git repository", () => {
  it("holds every fixture path in the index", () => {
    expect(git("ls-files").trim().split("\n").sort()).toEqual([...PATHS].sort());
  });

  it("selects every path the default rules classify", () => {
    const picked = selected(DEFAULT_KIND_RULES);
    const classified = PATHS.filter((path) => classifyPath(path) !== null);
    expect(classified.length).toBeGreaterThan(40);
    for (const path of classified) expect(picked, path).toContain(path);
  });

  it("actually narrows the listing", () => {
    const picked = selected(DEFAULT_KIND_RULES);
    for (const path of ["src/index.ts", "package.json", ".github/workflows/ci.yml", "node_modules/pkg/AGENTS.md"]) {
      expect(picked, path).not.toContain(path);
    }
  });

  it("selects a superset for custom rules that use braces and extglobs", () => {
    const rules: KindRule[] = [
      { kind: "contract", pattern: "{api,events}/*.{yml,json}" },
      { kind: "spec", pattern: "**/@(docs|memory)/*.md" },
    ];
    const picked = selected(rules);
    const classified = PATHS.filter((path) => classifyPath(path, rules) !== null);
    expect(classified).toEqual(expect.arrayContaining(["api/openapi.yml", "events/asyncapi.json", "memory/other.md"]));
    for (const path of classified) expect(picked, path).toContain(path);
  });

  it("filters git log the same way", () => {
    const logged = git("log", "--name-only", "--format=", "--", ...gitPathspecs(DEFAULT_KIND_RULES));
    expect(logged).toContain("specs/001-login/spec.md");
    expect(logged).not.toContain("src/index.ts");
  });
});
