import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Ajv from "ajv-draft-04";
import { afterAll, describe, expect, it } from "vitest";
import { fixtureText } from "@/lib/findings/corpus/evaluate";
import { TestRepo } from "@/lib/testing/git-repo";
import { main } from "./main";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

function repo(files: Record<string, string | Buffer>): TestRepo {
  const r = TestRepo.create("specledger-lint-");
  repos.push(r);
  return r.write(files);
}

interface Report {
  files: number;
  summary: { errors: number; warnings: number; infos: number };
  findings: { path: string; rule: string; severity: string; line: number | null; message: string }[];
}

async function lint(r: TestRepo, ...args: string[]): Promise<{ code: number; report: Report | null; out: string }> {
  const out = path.join(r.path, "..", `${path.basename(r.path)}.out`);
  fs.rmSync(out, { force: true });
  const code = await main(["node", "specledger", "lint", "--dir", r.path, "--output", out, ...args]);
  const text = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "";
  return { code, out: text, report: args.includes("sarif") || !text ? null : (JSON.parse(text) as Report) };
}

const SKILL = fixtureText({ repo: "wshobson/agents", path: "plugins/agent-teams/skills/multi-reviewer-patterns/SKILL.md" });
const GRANT = fixtureText({ repo: "github/awesome-copilot", path: "skills/git-commit/SKILL.md" });

describe("specledger lint", () => {
  it("reports the import's rules on a working tree, skips .gitignore'd folders, and exits 1 on an error", async () => {
    const r = repo({
      ".gitignore": "dist/\n",
      "skills/multi-reviewer-patterns/SKILL.md": SKILL,
      "skills/git-commit/SKILL.md": GRANT,
      "dist/skills/copy/SKILL.md": GRANT,
      // A skill's bundled reference names the user's project: not linted (decision 046).
      "skills/git-commit/references/guide.md": "Read `docs/their-project.md` first.\n",
      "AGENTS.md": "# Agents\n\nRead `docs/setup.md` first.\n\nSee [the guide](docs/guide.md).\n",
    });
    const { code, report } = await lint(r, "--format", "json");
    expect(code).toBe(1);
    expect(report!.files).toBe(3);
    const found = report!.findings.map((f) => `${f.path}:${f.line}:${f.rule}`);
    expect(found).toEqual([
      "AGENTS.md:3:broken-reference",
      "AGENTS.md:5:broken-reference",
      "skills/git-commit/SKILL.md:5:agent-dangerous-grant",
      "skills/multi-reviewer-patterns/SKILL.md:4:agent-misplaced-field",
    ]);
    expect(report!.summary).toEqual({ errors: 1, warnings: 3, infos: 0 });
    // Named paths (relative to the current folder) limit the run; a clean file exits 0.
    expect((await lint(r, "--format", "json", path.join(r.path, "AGENTS.md"))).report!.findings.map((f) => f.rule)).toEqual([
      "broken-reference",
      "broken-reference",
    ]);
    expect((await lint(r, "--format", "json", path.join(r.path, "skills/multi-reviewer-patterns"))).code).toBe(0);
  });

  it("reads .specledger.yml: it silences a rule, but never a security rule, and an invalid file silences nothing", async () => {
    const r = repo({ "skills/git-commit/SKILL.md": GRANT, "skills/multi-reviewer-patterns/SKILL.md": SKILL });
    r.write({ ".specledger.yml": "lint:\n  disable: [agent-misplaced-field, agent-dangerous-grant]\n" });
    const silenced = await lint(r, "--format", "json");
    expect(silenced.report!.findings.map((f) => f.rule)).toEqual(["agent-dangerous-grant"]);
    r.write({ ".specledger.yml": "lint: [not, a, mapping\n" });
    expect((await lint(r, "--format", "json")).report!.findings.map((f) => f.rule)).toEqual(["agent-dangerous-grant", "agent-misplaced-field"]);
  });

  it("writes SARIF 2.1.0 that validates against the OASIS schema", async () => {
    const r = repo({ "skills/git-commit/SKILL.md": GRANT, "docs/a b/AGENTS.md": "# A\n\nSee [x](missing/file.md).\n" });
    const { code, out } = await lint(r, "--format", "sarif");
    expect(code).toBe(1);
    const sarif = JSON.parse(out);
    const schemaPath = createRequire(import.meta.url).resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const results = sarif.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    expect(results.map((x) => [x.ruleId, x.level, x.locations[0].physicalLocation.artifactLocation.uri])).toEqual([
      ["broken-reference", "warning", "docs/a%20b/AGENTS.md"],
      ["agent-dangerous-grant", "error", "skills/git-commit/SKILL.md"],
    ]);
    // The validator is real: a log without results' messages is refused.
    delete sarif.runs[0].results[0].message;
    expect(validate(sarif)).toBe(false);
  });

  it("--fix rewrites only the fixable files, byte for byte elsewhere, and a second run changes nothing", async () => {
    const instructions = "---\ndescription: Python\napplyTo: **/*.py\n---\nUse ruff.\n";
    // Cursor documents a rule's globs bare and would match a quoted one with its quotes: left as written (decision 028).
    const mdc = "---\ndescription: Python\nglobs: **/*.py\n---\nUse ruff.\n";
    const r = repo({
      "skills/multi-reviewer-patterns/SKILL.md": SKILL,
      "skills/git-commit/SKILL.md": GRANT,
      ".github/instructions/python.instructions.md": instructions,
      ".cursor/rules/python.mdc": mdc,
      "app.py": "print(1)\n",
      // Not governed: the same mistake in a file no tool reads as a rule is left alone.
      "notes/python.md": instructions,
    });
    r.commit("start");
    const { code, report } = await lint(r, "--fix", "--format", "json");
    expect(code).toBe(1); // the unrestricted Bash grant has no safe fix and is still an error
    expect(report!.findings.map((f) => f.rule)).toEqual(["agent-dangerous-grant"]);
    expect(
      r
        .git("status", "--porcelain")
        .split("\n")
        .map((l) => l.trim())
        .sort(),
    ).toEqual(["M .github/instructions/python.instructions.md", "M skills/multi-reviewer-patterns/SKILL.md"]);
    expect(fs.readFileSync(path.join(r.path, ".github/instructions/python.instructions.md"), "utf8")).toBe(instructions.replace("**/*.py", '"**/*.py"'));
    expect(fs.readFileSync(path.join(r.path, ".cursor/rules/python.mdc"), "utf8")).toBe(mdc);
    expect(fs.readFileSync(path.join(r.path, "notes/python.md"), "utf8")).toBe(instructions);
    r.commit("fixed");
    await lint(r, "--fix", "--format", "json");
    expect(r.git("status", "--porcelain")).toBe("");
  });

  it("ends with 2 on usage errors: a path outside --dir, a missing path, an unknown format", async () => {
    const r = repo({ "AGENTS.md": "# A\n" });
    expect((await lint(r, "/")).code).toBe(2);
    expect((await lint(r, "nope")).code).toBe(2);
    expect((await lint(r, "--format", "xml")).code).toBe(2);
    expect((await lint(r, "--format", "json")).code).toBe(0);
  });

  it("turns bad input into findings, never a crash: binary SKILL.md, JSON with comments, a skill folder of 10,000 files", async () => {
    const bundled = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`skills/big/references/r${i}.md`, `# ${i}\n`]));
    const r = repo({
      "skills/bin/SKILL.md": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0xff, 0xfe]),
      ".claude/settings.json": '{\n  // allow git\n  "permissions": { "allow": ["Bash(git status:*)"] }\n}\n',
      ".mcp.json": "{ not json",
      "skills/big/SKILL.md": "---\nname: big\ndescription: A skill with many references.\n---\n# Big\n",
      ...bundled,
    });
    const { code, report } = await lint(r, "--format", "json");
    expect(code).toBe(1);
    expect(report!.findings.map((f) => `${f.path}:${f.rule}:${f.severity}`)).toEqual([
      ".claude/settings.json:agent-config-json:warning",
      ".mcp.json:agent-config-json:error",
      "skills/bin/SKILL.md:agent-unreadable:error",
    ]);
  });
});
