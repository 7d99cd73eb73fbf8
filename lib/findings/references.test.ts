import { describe, expect, it } from "vitest";
import { brokenReferences, extractPathReferences, frontMatter, governedPaths, referenceExists } from "./references";

const paths = (md: string, filePath = "AGENTS.md", plainText = false) => extractPathReferences(md, { filePath, plainText }).map((r) => r.path);

describe("extractPathReferences", () => {
  it("finds paths in inline code and relative links, with their lines", () => {
    const md = [
      "# Agents",
      "",
      "- Handlers live in `src/orders/`.",
      "- See [the plan](specs/001-x/plan.md) and `./scripts/dev.sh`.",
      "- Old: `src/legacy/router.ts:42`",
    ].join("\n");
    const refs = extractPathReferences(md, { filePath: "AGENTS.md" });
    expect(refs.map((r) => [r.path, r.line, r.via])).toEqual([
      ["src/orders/", 3, "code"],
      ["scripts/dev.sh", 4, "code"],
      ["specs/001-x/plan.md", 4, "link"],
      ["src/legacy/router.ts", 5, "code"],
    ]);
  });

  it("ignores what is not a location: commands, globs, placeholders, URLs, bare names, packages, MIME types, fenced code", () => {
    const md = [
      "Run `npm test`, then `pnpm -r build`.",
      "Globs: `src/**/*.ts`, `specs/NNN-feature/`, `<dir>/file.md`, `src/.../x.ts`.",
      "Links: [site](https://example.com/a/b.md), [top](#setup), [mail](mailto:a@b.c).",
      "Names: `spec.md`, `@acme/payments`, `application/json`, `~/notes/x.md`.",
      "```sh",
      "cat src/missing/file.ts",
      "```",
    ].join("\n");
    expect(paths(md)).toEqual([]);
  });

  it("resolves links against the file's folder, keeps dot-folders, and drops paths escaping the repository", () => {
    const md = "[design](../design.md) [tech](.kiro/steering/tech.md) [up](../../../../etc/passwd) `.github/workflows/ci.yml`";
    expect(paths(md, "docs/specs/a.md")).toEqual([".github/workflows/ci.yml", "docs/design.md", "docs/specs/.kiro/steering/tech.md"]);
  });

  it("reads bare paths in prose only when asked (task lists)", () => {
    const md = "- [ ] T003 Create checkout sessions (FR-001) in src/checkout/session.ts\n- [ ] T004 wire it, see docs/x.md.";
    expect(paths(md)).toEqual([]);
    expect(paths(md, "specs/001/tasks.md", true)).toEqual(["src/checkout/session.ts", "docs/x.md"]);
  });
});

describe("referenceExists", () => {
  const tree = new Set(["src", "src/orders", "src/orders/history.ts", "services/ledger", "services/ledger/src", "services/ledger/src/ledger.ts"]);
  it("accepts files and folders at the root, and code paths relative to the file's folder", () => {
    const [dir, file, nested] = extractPathReferences("`src/orders/` `src/orders/history.ts` `src/ledger.ts`", { filePath: "services/ledger/AGENTS.md" });
    expect(referenceExists(dir, tree, "services/ledger/AGENTS.md")).toBe(true);
    expect(referenceExists(file, tree, "services/ledger/AGENTS.md")).toBe(true);
    expect(referenceExists(nested, tree, "services/ledger/AGENTS.md")).toBe(true);
    expect(referenceExists(nested, tree, "AGENTS.md")).toBe(false);
  });
});

describe("governedPaths", () => {
  const spec = (front: string) => `---\n${front}\n---\n# Spec\n`;
  it("prefers the front matter's governs globs (a list or one string)", () => {
    expect(
      governedPaths({ specPath: "specs/001/spec.md", text: spec('governs: ["src/checkout/**", "./lib/pay.ts"]'), featureKey: "specs/001", siblings: [] }),
    ).toEqual({
      source: "front matter",
      pathspecs: [":(glob)src/checkout/**", ":(glob)lib/pay.ts"],
      describe: ["src/checkout/**", "lib/pay.ts"],
    });
    expect(governedPaths({ specPath: "x/spec.md", text: spec("governs: src/a/**"), featureKey: null, siblings: [] })?.describe).toEqual(["src/a/**"]);
  });

  it("falls back to the paths the feature's tasks and design name, then to the tree beside the specs folder", () => {
    const siblings = [
      {
        path: "specs/002-refunds/tasks.md",
        kind: "tasks",
        text: "- [ ] T001 Add the endpoint in src/refunds/refund.ts\n- [ ] T002 Update specs/002-refunds/spec.md",
      },
      { path: "specs/002-refunds/plan.md", kind: "plan", text: "Code goes in `src/refunds/`." },
    ];
    expect(governedPaths({ specPath: "specs/002-refunds/spec.md", text: "# Refunds", featureKey: "specs/002-refunds", siblings })).toEqual({
      source: "tasks and design",
      pathspecs: [":(literal)src/refunds", ":(literal)src/refunds/refund.ts"],
      describe: ["src/refunds/", "src/refunds/refund.ts"],
    });
    expect(governedPaths({ specPath: "services/a/specs/003/spec.md", text: "# X", featureKey: "services/a/specs/003", siblings: [] })).toMatchObject({
      source: "feature folder",
      pathspecs: [":(glob)services/a/**", ":(exclude,glob)services/a/specs/**", ":(exclude,glob)**/*.md"],
    });
    expect(governedPaths({ specPath: "notes/spec.md", text: "# X", featureKey: null, siblings: [] })).toBeNull();
  });

  it("ignores front matter that does not parse", () => {
    expect(frontMatter("---\ngoverns: [unclosed\n---\n# X")).toBeNull();
    expect(frontMatter("# no front matter")).toBeNull();
  });
});

describe("brokenReferences (regressions from the lint corpus, decision 028)", () => {
  const broken = (filePath: string, text: string, tree: string[], gitignores: Record<string, string> = {}) =>
    brokenReferences({ filePath, text, tree: new Set(tree), gitignores }).broken.map((b) => b.ref.path);

  it("still reports a path that moved away (cline's .github/copilot-instructions.md after the monorepo move)", () => {
    const tree = ["apps", "apps/vscode", "apps/vscode/src", "apps/vscode/src/services/mcp/McpHub.ts", ".github"];
    expect(broken(".github/copilot-instructions.md", "- **MCP**: `src/services/mcp/McpHub.ts`.", tree)).toEqual(["src/services/mcp/McpHub.ts"]);
    const [b] = brokenReferences({ filePath: "AGENTS.md", text: "See `docs/gone.md`.", tree: new Set(["docs"]) }).broken;
    expect(b.reason).toMatch(/not relative to the root, and not ignored by \.gitignore/);
  });

  it("reads paths relative to a folder above the file (pydantic-ai models/AGENTS.md)", () => {
    const tree = ["pydantic_ai_slim/pydantic_ai/settings.py", "pydantic_ai_slim/pydantic_ai/models", "pydantic_ai_slim/pydantic_ai/capabilities"];
    const text = "- add it to that field's `Supported by:` list in `pydantic_ai/settings.py`, and `capabilities/` too.";
    expect(broken("pydantic_ai_slim/pydantic_ai/models/AGENTS.md", text, tree)).toEqual([]);
    expect(broken("AGENTS.md", text, tree)).toEqual(["pydantic_ai/settings.py", "capabilities/"]);
  });

  it("reads paths relative to a folder named in a parent bullet, on the line, or by a heading", () => {
    const tree = [
      ...["sdk", "sdk/packages", "sdk/packages/core", "sdk/packages/core/src", "sdk/packages/core/src/hub"],
      ...["extensions", "extensions/canvas", "extensions/canvas/assets", "extensions/canvas/assets/preview.png"],
      ...["src", "src/specify_cli", "src/specify_cli/integrations", "src/specify_cli/integrations/gemini"],
      ...["app", "app/src", "app/src/core", "app/src/core/system-prompt", "app/src/core/system-prompt/components"],
    ];
    // cline sdk/AGENTS.md: `core` in the bullet names sdk/packages/core.
    expect(broken("sdk/AGENTS.md", "- `core` owns the shared-hub daemon under `src/hub/`", tree)).toEqual([]);
    // awesome-copilot AGENTS.md: the heading names extensions/*.
    expect(broken("AGENTS.md", "#### Canvas Extensions (extensions/\\*)\n\n- Each extension must have `assets/preview.png`", tree)).toEqual([]);
    // spec-kit AGENTS.md: `<package_dir>` under src/specify_cli/integrations/, named on the line.
    expect(broken("AGENTS.md", 'Create `src/specify_cli/integrations/<package_dir>/__init__.py` (e.g., key `"gemini"` → `gemini/`).', tree)).toEqual([]);
    expect(broken("AGENTS.md", "## Modifying System Prompt\nModular: `components/` (shared).", tree)).toEqual([]);
    expect(broken("AGENTS.md", "## Modifying the Router\nModular: `components/` (shared).", tree)).toEqual(["components/"]);
  });

  it("skips placeholders, branch prefixes and examples of what not to create", () => {
    const text = [
      "- Open [the guide](link) and `path/to/file.ts`, `foo/bar.md`, `your-app/config.yml`, `skills/SKILL_NAME/`.",
      "| `feat/` | New features | `feat/2342-workflow-cli-alignment` |",
      "| `community/` | Community catalog additions | branch `community/2492-add-mde-extension` |",
      "- Do not create flat top-level provider files like `src/stream-text/openai.ts`",
    ].join("\n");
    expect(broken("AGENTS.md", text, ["src"])).toEqual([]);
  });

  it("skips folders the repository's .gitignore files ignore, also in nested .gitignore files", () => {
    const text =
      "- SDK packages resolve each other through compiled `dist/` and `sdk/packages/x/build/out.js`.\n- Evals are cloned into `evals/`; see `evals/README.md`.";
    expect(broken("AGENTS.md", text, ["sdk/packages/x"], { "": "dist\nevals/\n", "sdk/packages/x": "build/\n" })).toEqual([]);
    expect(broken("AGENTS.md", text, ["sdk/packages/x"])).toEqual(["dist/", "sdk/packages/x/build/out.js", "evals/", "evals/README.md"]);
  });

  it("skips a tool's configuration locations and paths in files installed into other projects", () => {
    expect(broken("extensions/cli/AGENTS.md", "- `.claude/settings.json`, `.continue/settings.json` (project)", [".claude"])).toEqual([]);
    expect(broken("AGENTS.md", "- Commands use `.agent.md` extension under `.github/agents/`", [".github"])).toEqual([]);
    expect(broken("instructions/nextjs.instructions.md", "- **Use the `app/` directory** (App Router)", ["instructions"])).toEqual([]);
    expect(broken("plugins/plugin-dev/skills/hooks/SKILL.md", "**For plugin hooks** in `hooks/hooks.json`", [])).toEqual([]);
    // A link in such a file is still checked: it points at the file's own folder.
    expect(broken("skills/x/SKILL.md", "See [the reference](references/missing.md).", ["skills/x"])).toEqual(["skills/x/references/missing.md"]);
  });

  it("skips paths of another repository, and reports sibling repositories as external, not broken", () => {
    expect(broken("docs/AGENTS.md", "- check those too (see `agent_docs/docs-conventions.md` in that repo).", ["docs"])).toEqual([]);
    const check = brokenReferences({ filePath: "AGENTS.md", text: "See [the SDK](../other-repo/README.md).", tree: new Set() });
    expect(check.broken).toEqual([]);
    expect(check.external.map((r) => r.path)).toEqual(["../other-repo/README.md"]);
  });

  it("does not read a link shown inside inline code as a link (threat-model orchestrator.md)", () => {
    expect(broken("skills/t/references/o.md", "Format: `[T02.S](2-stride-analysis.md#component-name)`", ["skills/t/references"])).toEqual([]);
  });

  it("honours <!-- specledger-disable-next-line broken-reference -->", () => {
    const text = "<!-- specledger-disable-next-line broken-reference -->\n- See `docs/gone.md`.\n- See `docs/also-gone.md`.";
    expect(broken("AGENTS.md", text, ["docs"])).toEqual(["docs/also-gone.md"]);
  });
});
