import { describe, expect, it } from "vitest";
import { extractPathReferences, frontMatter, governedPaths, referenceExists } from "./references";

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
