import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { AGENT_IDS, AGENTS } from "./agents";
import { findImports } from "./imports";
import { normaliseDirectory, resolveEffectiveInstructions, type InstructionSource } from "./resolve";

const file = (path: string, text: string, kind: string | null = "agent"): InstructionSource => ({ path, kind, text });
const paths = (r: ReturnType<typeof resolveEffectiveInstructions>) => r.entries.map((e) => e.path);
const codes = (r: ReturnType<typeof resolveEffectiveInstructions>) => r.problems.map((p) => p.code);
const tree = (...p: string[]) => p.map((path) => ({ path, size: 10 }));

describe("the agent table", () => {
  it("has one row per agent, each citing its documentation", () => {
    expect(AGENT_IDS).toEqual(["codex", "claude-code", "copilot", "cursor", "gemini-cli", "kiro", "junie", "windsurf", "cline"]);
    for (const id of AGENT_IDS) {
      expect(AGENTS[id].id).toBe(id);
      expect(AGENTS[id].docs.length).toBeGreaterThan(0);
      expect(AGENTS[id].docs.every((d) => d.startsWith("https://"))).toBe(true);
    }
    expect(AGENTS.codex.budget).toMatchObject({ unit: "bytes", total: 32 * 1024 });
    expect(AGENTS.windsurf.budget).toMatchObject({ unit: "chars", total: null, perFile: 12_000 });
    expect(AGENTS.copilot.budget).toBeNull();
    expect(AGENTS["claude-code"].imports?.maxDepth).toBe(5);
    // The findings list the tree without sizes (lib/findings/checks/effective.ts): sizes count only for a file no rule
    // governs, which only an import reaches, so no agent that follows imports may have a budget.
    for (const id of AGENT_IDS) if (AGENTS[id].imports) expect(AGENTS[id].budget, id).toBeNull();
  });
});

describe("normaliseDirectory", () => {
  it("keeps canonical repository paths", () => {
    expect(normaliseDirectory("services/billing/")).toBe("services/billing");
    expect(normaliseDirectory("")).toBe("");
    expect(normaliseDirectory(".")).toBe("");
  });
  it.each(["../etc", "services/../../x", "/etc/passwd", "a//b", "a\\b", "a/\u0000", "./a"])("refuses %j", (input) => {
    expect(() => normaliseDirectory(input)).toThrow(AppError);
  });
});

describe("Codex", () => {
  const files = [
    file("AGENTS.md", "root"),
    file("services/AGENTS.md", "services"),
    file("services/AGENTS.override.md", "override"),
    file("services/billing/AGENTS.md", "billing"),
    file("services/other/AGENTS.md", "other"),
  ];
  it("concatenates root to leaf, one file per folder, AGENTS.override.md first", () => {
    const r = resolveEffectiveInstructions({ agent: "codex", directory: "services/billing", files });
    expect(paths(r)).toEqual(["AGENTS.md", "services/AGENTS.override.md", "services/billing/AGENTS.md"]);
    expect(r.skipped).toEqual([{ path: "services/AGENTS.md", reason: "AGENTS.override.md in the same folder is read instead" }]);
    expect(r.entries[2].reason).toContain("AGENTS.md in services/billing/");
  });

  it("cuts the chain at 32 KiB, shows the cut position and what is lost, and drops what follows", () => {
    const root = "# Root\n" + "r".repeat(30 * 1024 - 7);
    const billing = "# Billing\n" + "b".repeat(2040) + "\n## Money\nUse minor units.\n## Tests\nRun them.\n";
    const r = resolveEffectiveInstructions({
      agent: "codex",
      directory: "services/billing/api",
      files: [file("AGENTS.md", root), file("services/billing/AGENTS.md", billing), file("services/billing/api/AGENTS.md", "# API\nlast")],
    });
    expect(r.entries.map((e) => e.status)).toEqual(["loaded", "truncated", "dropped"]);
    const cut = r.entries[1].cut!;
    expect(cut.offset).toBe(2048);
    expect(billing.slice(0, 2048)).not.toContain("## Money");
    expect(cut.lostHeadings).toEqual(["## Money", "## Tests"]);
    expect(cut.lostBytes).toBe(Buffer.byteLength(billing) - 2048);
    expect(cut.line).toBe(2);
    expect(r.budget).toMatchObject({ used: 30 * 1024 + Buffer.byteLength(billing) + 10, over: true });
    expect(codes(r)).toEqual(["over-budget", "truncated", "dropped"]);
  });

  it("never cuts inside a multi-byte character", () => {
    const r = resolveEffectiveInstructions({ agent: "codex", directory: "", files: [file("AGENTS.md", "€".repeat(20_000))] });
    const cut = r.entries[0].cut!;
    expect(cut.offset).toBe(32 * 1024);
    // 32768 bytes hold 10,922 three-byte characters; the 10,923rd would straddle the limit.
    expect(cut.lostChars).toBe(20_000 - 10_922);
  });

  it("skips whitespace-only files without charging the budget, and a 10 MB file is cut, not read whole", () => {
    const big = "x".repeat(10 * 1024 * 1024);
    const r = resolveEffectiveInstructions({ agent: "codex", directory: "a", files: [file("AGENTS.md", "  \n"), file("a/AGENTS.md", big)] });
    expect(r.entries[0].status).toBe("loaded");
    expect(r.entries[1].status).toBe("truncated");
    expect(r.entries[1].loadedBytes).toBe(32 * 1024);
  });

  it("reports a binary instruction file as unreadable instead of loading it", () => {
    const r = resolveEffectiveInstructions({ agent: "codex", directory: "", files: [file("AGENTS.md", "\u0000\u0001PNG")] });
    expect(r.entries[0].status).toBe("unreadable");
    expect(codes(r)).toEqual(["unreadable"]);
    expect(r.totals.files).toBe(0);
  });
});

describe("Claude Code imports", () => {
  it("follows @path relative to the importing file, in order, outside code", () => {
    const r = resolveEffectiveInstructions({
      agent: "claude-code",
      directory: "app",
      files: [
        file("CLAUDE.md", "See @docs/style.md and `@docs/not-this.md`.\n```\n@docs/nor-this.md\n```\n"),
        file("docs/style.md", "Style: @./tone.md", "spec"),
        file("docs/tone.md", "Be brief.", "spec"),
        file("app/CLAUDE.md", "app"),
      ],
      tree: tree("CLAUDE.md", "docs/style.md", "docs/tone.md", "app/CLAUDE.md", "app/page.tsx"),
    });
    expect(paths(r)).toEqual(["CLAUDE.md", "docs/style.md", "docs/tone.md", "app/CLAUDE.md"]);
    expect(r.entries[2]).toMatchObject({ importedBy: "docs/style.md", depth: 2 });
    expect(r.problems).toEqual([]);
  });

  it("reports loops, missing targets, targets outside the repository and imports past depth 5, and reads none of them", () => {
    const chain = Array.from({ length: 7 }, (_, i) => file(`d/${i}.md`, `@./${i + 1}.md`, "spec"));
    const r = resolveEffectiveInstructions({
      agent: "claude-code",
      directory: "",
      files: [
        file("CLAUDE.md", "@a.md\n@missing/file.md\n@../../etc/passwd\n@~/.ssh/id_rsa\n@/etc/shadow\n@d/0.md\nmail me@example.com, @octocat"),
        file("a.md", "@b.md", "spec"),
        file("b.md", "@a.md", "spec"),
        ...chain,
      ],
    });
    expect(codes(r).sort()).toEqual(["import-cycle", "import-missing", "import-outside", "import-outside", "import-outside", "import-too-deep"]);
    expect(r.problems.find((p) => p.code === "import-cycle")!.message).toContain("CLAUDE.md → a.md → b.md → a.md");
    expect(paths(r)).not.toContain("d/5.md");
    expect(paths(r)).toContain("d/4.md");
    expect(paths(r).some((p) => p.includes("passwd") || p.includes("ssh"))).toBe(false);
  });

  it("applies .claude/rules by their paths globs, and rules without paths everywhere", () => {
    const files = [
      file(".claude/rules/api.md", '---\npaths:\n  - "services/**/*.ts"\n---\nAPI rule'),
      file(".claude/rules/web.md", '---\npaths: ["web/**"]\n---\nweb rule'),
      file(".claude/rules/all.md", "every rule"),
    ];
    const r = resolveEffectiveInstructions({
      agent: "claude-code",
      directory: "services/billing",
      files,
      tree: [...files, ...tree("services/billing/pay.ts")] as never,
    });
    expect(paths(r)).toEqual([".claude/rules/all.md", ".claude/rules/api.md"]);
    expect(r.entries[1].reason).toContain('paths "services/**/*.ts" matches services/billing/pay.ts');
    expect(r.skipped.map((s) => s.path)).toEqual([".claude/rules/web.md"]);
  });
});

describe("GitHub Copilot", () => {
  const files = [
    file(".github/copilot-instructions.md", "repo"),
    file(".github/instructions/ts.instructions.md", '---\napplyTo: "**/*.ts"\n---\nts'),
    file(".github/instructions/py.instructions.md", '---\napplyTo: "**/*.py"\n---\npy'),
    file(".github/instructions/none.instructions.md", "no applyTo"),
    file("AGENTS.md", "root"),
    file("services/AGENTS.md", "services"),
  ];
  it("combines repository-wide and matching path-specific instructions with the nearest AGENTS.md", () => {
    const r = resolveEffectiveInstructions({
      agent: "copilot",
      directory: "services/billing",
      files,
      tree: [...files, ...tree("services/billing/a.ts")] as never,
    });
    expect(paths(r)).toEqual([".github/copilot-instructions.md", ".github/instructions/ts.instructions.md", "services/AGENTS.md"]);
    expect(r.skipped).toEqual(
      expect.arrayContaining([
        { path: ".github/instructions/none.instructions.md", reason: "no applyTo: not applied automatically" },
        { path: "AGENTS.md", reason: "the nearer services/AGENTS.md takes precedence" },
      ]),
    );
  });
  it("cuts nothing: no size limit is documented (code review's former 4,000 characters, github/docs#42761)", () => {
    const r = resolveEffectiveInstructions({ agent: "copilot", directory: "", files: [file(".github/copilot-instructions.md", "a".repeat(4500))] });
    expect(r.entries[0]).toMatchObject({ status: "loaded", cut: null });
    expect(r.problems).toEqual([]);
  });
});

describe("Cursor", () => {
  it("loads alwaysApply and matching globs, lists description-only rules as may-load, skips manual rules, and reads nested rule folders", () => {
    const files = [
      file(".cursor/rules/always.mdc", "---\nalwaysApply: true\n---\nx"),
      file(".cursor/rules/ts.mdc", '---\nglobs: "**/*.ts"\nalwaysApply: false\n---\nx'),
      file(".cursor/rules/asked.mdc", "---\ndescription: database migrations\n---\nx"),
      file(".cursor/rules/manual.mdc", "---\n---\nx"),
      file("web/.cursor/rules/web.mdc", "---\nalwaysApply: true\n---\nx"),
      file("api/.cursor/rules/api.mdc", "---\nalwaysApply: true\n---\nx"),
      file("web/AGENTS.md", "web"),
    ];
    const r = resolveEffectiveInstructions({ agent: "cursor", directory: "web", files, tree: [...files, ...tree("web/index.js")] as never });
    expect(paths(r)).toEqual([".cursor/rules/always.mdc", ".cursor/rules/asked.mdc", "web/.cursor/rules/web.mdc", "web/AGENTS.md"]);
    expect(r.entries[1].status).toBe("may-load");
    expect(r.skipped.map((s) => s.path).sort()).toEqual([".cursor/rules/manual.mdc", ".cursor/rules/ts.mdc"]);
  });

  it("reads a rule's bare globs as Cursor does (YAML refuses them; Cursor documents them so), and reports front matter that is never closed", () => {
    const files = [file(".cursor/rules/ts.mdc", "---\ndescription: TypeScript\nglobs: **/*.ts, src/**/*.tsx\nalwaysApply: false\n---\nx")];
    const r = resolveEffectiveInstructions({ agent: "cursor", directory: "", files, tree: [...files, ...tree("src/a.ts")] as never });
    expect(codes(r)).toEqual([]);
    expect(paths(r)).toEqual([".cursor/rules/ts.mdc"]);
    expect(r.entries[0]).toMatchObject({ status: "loaded", reason: expect.stringContaining('globs "**/*.ts" matches src/a.ts') });
    const none = resolveEffectiveInstructions({ agent: "cursor", directory: "", files, tree: [...files, ...tree("src/a.py")] as never });
    expect(none.skipped.map((s) => s.path)).toEqual([".cursor/rules/ts.mdc"]);
    const always = [file(".cursor/rules/all.mdc", "---\nglobs: **/*.ts\nalwaysApply: true\n---\nx")];
    expect(paths(resolveEffectiveInstructions({ agent: "cursor", directory: "", files: always }))).toEqual([".cursor/rules/all.mdc"]);
    const open = resolveEffectiveInstructions({ agent: "cursor", directory: "", files: [file(".cursor/rules/bad.mdc", "---\nglobs: **/*.ts\nx")] });
    expect(codes(open)).toEqual(["frontmatter-invalid"]);
    expect(open.entries).toEqual([]);
  });
});

describe("Windsurf", () => {
  it("cuts each rule file at 12,000 characters and sets no total", () => {
    const files = [
      file(".windsurfrules", "w".repeat(13_000)),
      file(".windsurf/rules/a.md", "---\ntrigger: always_on\n---\n" + "a".repeat(11_000)),
      file(".windsurf/rules/b.md", '---\ntrigger: glob\nglobs: "**/*.go"\n---\nb'),
      file("svc/AGENTS.md", "s".repeat(3000)),
    ];
    const r = resolveEffectiveInstructions({ agent: "windsurf", directory: "svc", files, tree: [...files, ...tree("svc/main.py")] as never });
    expect(paths(r)).toEqual([".windsurfrules", ".windsurf/rules/a.md", "svc/AGENTS.md"]);
    expect(r.entries.map((e) => e.status)).toEqual(["truncated", "loaded", "loaded"]);
    expect(r.entries[0].cut!.offset).toBe(12_000);
    expect(codes(r)).toEqual(["truncated"]);
    // With no total, the budget is over when a file is cut.
    expect(r.budget!.over).toBe(true);
  });
});

describe("the other agents", () => {
  it("Gemini CLI concatenates GEMINI.md root to leaf and follows its imports", () => {
    const files = [file("GEMINI.md", "@./shared/base.md"), file("shared/base.md", "base", "spec"), file("pkg/GEMINI.md", "pkg")];
    const r = resolveEffectiveInstructions({ agent: "gemini-cli", directory: "pkg", files });
    expect(paths(r)).toEqual(["GEMINI.md", "shared/base.md", "pkg/GEMINI.md"]);
  });

  it("Kiro includes steering by inclusion mode and fileMatchPattern", () => {
    const files = [
      file(".kiro/steering/product.md", "always by default", "steering"),
      file(".kiro/steering/api.md", '---\ninclusion: fileMatch\nfileMatchPattern: "api/**"\n---\nx', "steering"),
      file(".kiro/steering/ui.md", '---\ninclusion: fileMatch\nfileMatchPattern: ["ui/**"]\n---\nx', "steering"),
      file(".kiro/steering/manual.md", "---\ninclusion: manual\n---\nx", "steering"),
    ];
    const r = resolveEffectiveInstructions({ agent: "kiro", directory: "api", files, tree: [...files, ...tree("api/x.ts")] as never });
    expect(paths(r)).toEqual([".kiro/steering/api.md", ".kiro/steering/product.md"]);
  });

  it("Junie reads one guidelines file, the first of its defaults", () => {
    const r = resolveEffectiveInstructions({ agent: "junie", directory: "", files: [file(".junie/guidelines.md", "g"), file("AGENTS.md", "a")] });
    expect(paths(r)).toEqual([".junie/guidelines.md"]);
    expect(r.skipped).toEqual([{ path: "AGENTS.md", reason: ".junie/guidelines.md is read instead" }]);
  });

  it("Cline reads .clinerules (not workflows), its paths condition, and Cursor rules whose globs it ignores", () => {
    const files = [
      file(".clinerules/general.md", "g"),
      file(".clinerules/web.md", '---\npaths: ["web/**"]\n---\nw'),
      file(".clinerules/workflows/release.md", "w", "prompt"),
      file(".cursor/rules/go.mdc", '---\nglobs: "**/*.go"\n---\ngo'),
      file("AGENTS.md", "a"),
    ];
    const r = resolveEffectiveInstructions({ agent: "cline", directory: "api", files, tree: [...files, ...tree("api/x.ts")] as never });
    expect(paths(r)).toEqual([".clinerules/general.md", ".cursor/rules/go.mdc", "AGENTS.md"]);
    expect(r.skipped.map((s) => s.path)).toEqual([".clinerules/web.md"]);
  });
});

describe("bad input", () => {
  it("refuses an unknown agent and a directory that is not in the repository", () => {
    expect(() => resolveEffectiveInstructions({ agent: "vim" as never, directory: "", files: [] })).toThrow(/Unknown agent/);
    expect(() => resolveEffectiveInstructions({ agent: "codex", directory: "nope", files: [], tree: tree("a/b.ts") })).toThrow(
      expect.objectContaining({ code: "not_found" }),
    );
  });
});

describe("findImports", () => {
  it("finds @paths outside code, strips trailing punctuation, and ignores e-mail addresses", () => {
    expect(findImports("Read @docs/a.md.\n`@b.md` and ``x @c.md``\n~~~\n@d.md\n~~~\n- @e\\ f.md, user@example.com")).toEqual([
      { target: "docs/a.md", line: 1 },
      { target: "e f.md", line: 6 },
    ]);
  });
});
