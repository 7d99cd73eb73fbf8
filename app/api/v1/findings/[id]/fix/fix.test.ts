// "Propose fix" end to end: a real repository is imported, its findings computed, and the fix of a
// finding is proposed through POST /findings/{id}/fix. The proposed bytes must be exactly what
// `specledger lint --fix` writes for the same file in a working tree.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { fixtureText } from "@/lib/findings/corpus/evaluate";
import { recomputeFindings } from "@/lib/findings/store";
import { main } from "@/lib/cli/main";
import { importRepository } from "@/lib/repositories/import";
import { callRoute, userWithToken, writesBy } from "@/lib/testing/api";
import { TestRepo, randomName } from "@/lib/testing/git-repo";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

const SKILL_PATH = ".claude/skills/multi-reviewer-patterns/SKILL.md";
// A Copilot instructions file: a Cursor rule's bare glob is how Cursor documents it, so it has no finding (decision 028).
const INSTRUCTIONS_PATH = ".github/instructions/python.instructions.md";
// wshobson/agents at the corpus commit: `version: 1.0.2` beside name and description.
const SKILL = fixtureText({ repo: "wshobson/agents", path: "plugins/agent-teams/skills/multi-reviewer-patterns/SKILL.md" });
const TAG = randomName("fix");
const INSTRUCTIONS = `---\ndescription: Python ${TAG}\napplyTo: **/*.py\n---\nUse ruff.\n`;
const FILES = {
  [SKILL_PATH]: SKILL,
  [INSTRUCTIONS_PATH]: INSTRUCTIONS,
  "app.py": "print(1)\n",
  "AGENTS.md": `# Agents ${TAG}\n\n- Read \`docs/missing-${TAG}.md\` first.\n`,
};

let repo: TestRepo;
let repositoryId: string;
let reviewer: Awaited<ReturnType<typeof userWithToken>>;
let viewer: Awaited<ReturnType<typeof userWithToken>>;

async function findingOf(rule: string) {
  return db.finding.findFirstOrThrow({ where: { repositoryId, rule, status: "open" }, select: { id: true, evidence: true, specId: true } });
}

const fix = (id: string, token: string, body: unknown = {}) => callRoute("POST", "/findings/{id}/fix", { params: { id }, token, body });

/** What `specledger lint --fix` writes for the same files in a working tree. */
async function cliFixed(file: string): Promise<string> {
  const tree = TestRepo.create("specledger-fix-cli-");
  repos.push(tree);
  tree.write(FILES);
  await main([
    "node",
    "specledger",
    "lint",
    "--fix",
    "--dir",
    tree.path,
    "--format",
    "json",
    "--output",
    path.join(tree.path, "..", `${path.basename(tree.path)}.json`),
  ]);
  return fs.readFileSync(path.join(tree.path, file), "utf8");
}

beforeAll(async () => {
  repo = TestRepo.create();
  repos.push(repo);
  repo.commit("agent files", FILES);
  repositoryId = (await db.repository.create({ data: { name: randomName("fixrepo"), source: repo.path } })).id;
  await importRepository({ repositoryId });
  await recomputeFindings({ repositoryId });
  reviewer = await userWithToken("reviewer", ["specs:read", "specs:propose"]);
  viewer = await userWithToken("viewer", ["specs:read", "specs:propose"]);
}, 120_000);

describe("POST /findings/{id}/fix", () => {
  it("proposes exactly what lint --fix writes, from the version the finding names, for both fixable rules", async () => {
    for (const [rule, file] of [
      ["agent-misplaced-field", SKILL_PATH],
      ["agent-frontmatter-yaml", INSTRUCTIONS_PATH],
    ] as const) {
      const finding = await findingOf(rule);
      const named = (finding.evidence as { contentHash: string }).contentHash;
      const response = await fix(finding.id, reviewer.token, { contentHash: named });
      expect(response.status).toBe(201);
      const body = (await response.json()) as { number: number; state: string; baseHash: string; currentHash: string; changes: string[] };
      expect(body.state).toBe("proposed");
      expect(body.baseHash).toBe(named);
      expect(body.changes.length).toBeGreaterThan(0);
      const change = await db.change.findUniqueOrThrow({ where: { number: body.number }, select: { specId: true, title: true, authorId: true, origin: true } });
      expect(change).toMatchObject({ specId: finding.specId, origin: "proposal", authorId: reviewer.user.id, title: `Fix ${rule} in ${file}` });
      const proposed = await db.content.findUniqueOrThrow({ where: { hash: body.currentHash }, select: { text: true } });
      const expected = await cliFixed(file);
      expect(expected).not.toBe(FILES[file]);
      expect(proposed.text).toBe(expected);
      const audit = await db.auditEvent.findFirst({ where: { action: "finding.fix_proposed", subject: `finding:${finding.id}` }, select: { payload: true } });
      expect(audit?.payload).toMatchObject({ rule, change: body.number, contentHash: named });
    }
  });

  it("refuses a role that may not propose (403), writing nothing", async () => {
    const finding = await findingOf("agent-misplaced-field");
    const before = await writesBy(viewer.user.id);
    const response = await fix(finding.id, viewer.token);
    expect(response.status).toBe(403);
    expect(await writesBy(viewer.user.id)).toEqual(before);
  });

  it("refuses a token without the propose scope (403), an unknown finding (404) and a malformed body (422)", async () => {
    const finding = await findingOf("agent-misplaced-field");
    const readOnly = await userWithToken("reviewer", ["specs:read"]);
    expect((await fix(finding.id, readOnly.token)).status).toBe(403);
    expect((await fix(randomName("nofinding"), reviewer.token)).status).toBe(404);
    expect((await fix(finding.id, reviewer.token, { contentHash: "not-a-hash" })).status).toBe(422);
    expect((await fix(finding.id, reviewer.token, { extra: true })).status).toBe(422);
    expect((await fix(finding.id, reviewer.token, [1])).status).toBe(422);
  });

  it("answers 422 for a finding whose rule has no safe fix", async () => {
    const broken = await db.finding.findFirstOrThrow({ where: { repositoryId, type: "broken-reference" }, select: { id: true } });
    const response = await fix(broken.id, reviewer.token);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/no safe fix/);
  });

  it("answers 409 when the file changed since the finding, or the caller saw another version; 201 once recomputed", async () => {
    const finding = await findingOf("agent-misplaced-field");
    const named = (finding.evidence as { contentHash: string }).contentHash;
    // A new commit still has the misplaced field, but the finding was computed on the old version.
    repo.commit("edit the skill", { [SKILL_PATH]: `${SKILL}\nOne more line ${TAG}.\n` });
    await importRepository({ repositoryId });
    const before = await writesBy(reviewer.user.id);
    const stale = await fix(finding.id, reviewer.token);
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { message: string } }).error.message).toMatch(/has changed since this finding was computed/);
    expect(await writesBy(reviewer.user.id)).toEqual(before);

    await recomputeFindings({ repositoryId });
    const refreshed = await findingOf("agent-misplaced-field");
    expect(refreshed.id).toBe(finding.id);
    const now = (refreshed.evidence as { contentHash: string }).contentHash;
    expect(now).not.toBe(named);
    // The caller looked at the old version: refused, not silently fixed on the new one.
    expect((await fix(finding.id, reviewer.token, { contentHash: named })).status).toBe(409);
    const response = await fix(finding.id, reviewer.token, { contentHash: now });
    expect(response.status).toBe(201);
    const proposed = await db.content.findUniqueOrThrow({
      where: { hash: ((await response.json()) as { currentHash: string }).currentHash },
      select: { text: true },
    });
    expect(proposed.text).toContain(`One more line ${TAG}.`);
    expect(proposed.text).toMatch(/\nmetadata:\n {2}version: "[^"]+"\n---\n/);
  });
});
