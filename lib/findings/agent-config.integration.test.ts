// The new kinds end to end: a real git repository with the files agents read is imported
// (versioned like any governed file) and the findings recomputation reports the agent-config rules.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { reportRun } from "@/lib/operations/provenance";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { recomputeFindings } from "./store";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

const TAG = randomName("cfg");
const TOKEN = "ghp_" + "Zq8Wm3Rt6Yp1Ks4Xv7Bn2Lc5Hd9Fj0Ga3Ue6Io";
const BUNDLED = 2_000;

let repositoryId: string;

beforeAll(async () => {
  const repo = TestRepo.create();
  repos.push(repo);
  const bundled = Object.fromEntries(Array.from({ length: BUNDLED }, (_, i) => [`.claude/skills/big/refs/r${i}.md`, `# Reference ${i}\n`]));
  repo.commit("agent configuration", {
    "src/app.ts": "export const app = 1;\n",
    "AGENTS.md": `# Agents ${TAG}\n\n- Run the tests before pushing.\n`,
    ".claude/skills/deploy/SKILL.md": `---\nname: deploy\ndescription: Deploy ${TAG}.\nallowed-tools: Bash, Read\n---\n# Deploy\n`,
    ".claude/skills/big/SKILL.md": `---\nname: big\ndescription: A skill with many bundled files ${TAG}.\n---\n# Big\n`,
    ...bundled,
    ".claude/agents/reviewer.md": `---\nname: reviewer\ndescription: Reviews ${TAG}.\n---\nReview.\n`,
    ".claude/settings.json": `{\n  // team settings\n  "env": { "GITHUB_TOKEN": "${TOKEN}" }\n}\n`,
    ".mcp.json": JSON.stringify({ mcpServers: { fs: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "."] } } }, null, 2),
    ".github/instructions/py.instructions.md": `---\napplyTo: '**/*.py'\n---\nUse ruff ${TAG}.\n`,
    ".github/prompts/review.prompt.md": `---\ndescription: Review ${TAG}\n---\nReview the diff.\n`,
    // Binary data under a governed name: the import skips it with a reason instead of failing.
    "skills/binary/SKILL.md": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
    // Bytes that are not UTF-8 in an MCP configuration, and an image a skill bundles (binary on purpose).
    ".cursor/mcp.json": Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d, 0x0a]),
    ".claude/skills/deploy/logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
  });
  repositoryId = (await db.repository.create({ data: { name: randomName("agentcfg"), source: repo.path } })).id;
  await importRepository({ repositoryId });
  await recomputeFindings({ repositoryId });
  // Since decision 046 the bundled files are versioned, so the import writes them all.
}, 300_000);

describe("agent configuration files", () => {
  it("are imported with their kinds; bundled skill files are versioned as skill-file, binary data is not", async () => {
    const all = await db.spec.findMany({ where: { repositoryId }, select: { path: true, kind: true, versionCount: true }, orderBy: { path: "asc" } });
    const bundledFiles = all.filter((s) => s.kind === "skill-file");
    expect(bundledFiles.length).toBe(BUNDLED);
    expect(bundledFiles.every((s) => s.path.startsWith(".claude/skills/big/refs/"))).toBe(true);
    const specs = all.filter((s) => s.kind !== "skill-file");
    expect(specs.map((s) => [s.path, s.kind])).toEqual([
      [".claude/agents/reviewer.md", "subagent"],
      [".claude/settings.json", "tool-config"],
      [".claude/skills/big/SKILL.md", "skill"],
      [".claude/skills/deploy/SKILL.md", "skill"],
      [".github/instructions/py.instructions.md", "agent"],
      [".github/prompts/review.prompt.md", "prompt"],
      [".mcp.json", "tool-config"],
      ["AGENTS.md", "agent"],
    ]);
    expect(specs.every((s) => s.versionCount === 1)).toBe(true);
  });

  it("get the agent-config findings, with the secret masked in what is stored", async () => {
    const found = await db.finding.findMany({
      where: { repositoryId, type: "lint", status: "open" },
      select: { rule: true, severity: true, evidence: true, message: true },
    });
    const rules = found.map((f) => f.rule).sort();
    expect(rules).toEqual([
      "agent-config-json",
      "agent-dangerous-grant",
      "agent-glob-no-match",
      "agent-mcp-unpinned",
      "agent-plaintext-secret",
      "agent-unreadable",
      "agent-unreadable",
    ]);
    expect(found.find((f) => f.rule === "agent-dangerous-grant")?.severity).toBe("error");
    expect(found.find((f) => f.rule === "agent-glob-no-match")?.evidence).toMatchObject({ pattern: "**/*.py" });
    expect(JSON.stringify(found)).not.toContain(TOKEN);
  });

  it("report the governed files the import could not store because they are not text, and not a skill's bundled image", async () => {
    const unreadable = await db.finding.findMany({
      where: { repositoryId, rule: "agent-unreadable", status: "open" },
      select: { severity: true, specId: true, message: true, evidence: true },
      orderBy: { message: "asc" },
    });
    expect(unreadable).toEqual([
      {
        severity: "error",
        specId: null,
        message: "No tool can read .cursor/mcp.json as text, and Specledger could not version it. Not valid UTF-8 text (another encoding, or a binary file).",
        evidence: expect.objectContaining({ path: ".cursor/mcp.json", line: null, matched: expect.stringMatching(/^Not valid UTF-8/) }),
      },
      {
        severity: "error",
        specId: null,
        message: "No tool can read skills/binary/SKILL.md as text, and Specledger could not version it. Binary file: it contains a NUL byte at offset 8.",
        evidence: expect.objectContaining({ path: "skills/binary/SKILL.md", matched: expect.stringMatching(/^Binary file: /) }),
      },
    ]);
    // The image was skipped as binary too, as a bundled skill file; that is no finding.
    expect(await db.skippedFile.count({ where: { repositoryId, path: ".claude/skills/deploy/logo.png" } })).toBe(1);
  });

  it("can be named by an agent run as the instructions it loaded, resolved to their versions", async () => {
    const reviewer = await db.user.create({
      data: { email: `${randomName("r")}@agentcfg.test`, name: "r", role: "reviewer" },
      select: { id: true, email: true, role: true },
    });
    const { name } = await db.repository.findUniqueOrThrow({ where: { id: repositoryId }, select: { name: true } });
    const head = repos[0].git("rev-parse", "HEAD").trim();
    const loaded = [".claude/skills/deploy/SKILL.md", ".claude/agents/reviewer.md", ".mcp.json"];
    const reported = await reportRun(reviewer, {
      externalId: randomName("run"),
      agent: "claude-code",
      repository: name,
      commit: head,
      outcome: "succeeded",
      instructions: loaded.map((path) => ({ repository: name, path, commit: head })),
    });
    expect(reported).toMatchObject({ created: true, unresolved: 0 });
    const refs = await db.runSpecRef.findMany({
      where: { runId: reported.id },
      select: { specVersion: { select: { spec: { select: { path: true, kind: true } } } } },
    });
    expect(refs.map((r) => [r.specVersion?.spec.path, r.specVersion?.spec.kind]).sort()).toEqual([
      [".claude/agents/reviewer.md", "subagent"],
      [".claude/skills/deploy/SKILL.md", "skill"],
      [".mcp.json", "tool-config"],
    ]);
  });

  it("report nothing once the causes are fixed", async () => {
    const repo = repos[0];
    repo.commit("fix the configuration", {
      ".claude/skills/deploy/SKILL.md": `---\nname: deploy\ndescription: Deploy ${TAG}.\nallowed-tools: Bash(./deploy.sh:*), Read\n---\n# Deploy\n`,
      ".claude/settings.json": `{\n  "env": { "GITHUB_TOKEN": "$GITHUB_TOKEN" }\n}\n`,
      ".mcp.json": JSON.stringify({ mcpServers: { fs: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "."] } } }, null, 2),
      ".github/instructions/py.instructions.md": `---\napplyTo: 'src/**/*.ts'\n---\nUse strict mode ${TAG}.\n`,
      "skills/binary/SKILL.md": `---\nname: binary\ndescription: Text now ${TAG}.\n---\n# Binary\n`,
      ".cursor/mcp.json": null,
    });
    await importRepository({ repositoryId });
    await recomputeFindings({ repositoryId });
    expect(await db.finding.count({ where: { repositoryId, type: "lint", status: "open" } })).toBe(0);
  });
});
