// Skills' bundled files end to end (decision 046): a real repository with a skill folder is
// imported; the files beside SKILL.md are versioned as skill-file, binary and oversized ones are
// recorded with their reason, and the skill's page data lists both.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { getSkillBundle } from "./skills";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

const TAG = randomName("bundle");
const SKILL = ".claude/skills/pdf/SKILL.md";
const MAX = 4096;
const reader = { role: "viewer" as const };

let repo: TestRepo;
let repositoryId: string;

const specAt = (path: string) => db.spec.findFirst({ where: { repositoryId, path }, select: { id: true, kind: true, versionCount: true, deleted: true } });

beforeAll(async () => {
  repo = TestRepo.create();
  repos.push(repo);
  repo.commit("a skill with bundled files", {
    // Listed by git before SKILL.md: it must still count as bundled.
    ".claude/skills/pdf/FORMS.md": `# Forms ${TAG}\n`,
    [SKILL]: `---\nname: pdf\ndescription: Fill PDF forms ${TAG}.\n---\n# PDF\n\nRun scripts/fill.py.\n`,
    ".claude/skills/pdf/scripts/fill.py": "print('fill')\n",
    ".claude/skills/pdf/assets/logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
    ".claude/skills/pdf/references/huge.md": "x".repeat(MAX + 1),
    // A nested skill owns its own files.
    ".claude/skills/pdf/forms/SKILL.md": `---\nname: forms\ndescription: Nested ${TAG}.\n---\n# Forms\n`,
    ".claude/skills/pdf/forms/template.txt": `template ${TAG}\n`,
    // A skills/ folder without SKILL.md is code, not a skill.
    "src/skills/combat/attack.ts": "export const attack = 1;\n",
  });
  repositoryId = (await db.repository.create({ data: { name: randomName("bundles"), source: repo.path } })).id;
  await importRepository({ repositoryId, maxFileBytes: MAX });
}, 120_000);

describe("a skill's bundled files", () => {
  it("are versioned as skill-file beside SKILL.md; code in an unrelated skills/ folder is not governed", async () => {
    expect(await specAt(SKILL)).toMatchObject({ kind: "skill" });
    expect(await specAt(".claude/skills/pdf/FORMS.md")).toMatchObject({ kind: "skill-file", versionCount: 1 });
    expect(await specAt(".claude/skills/pdf/scripts/fill.py")).toMatchObject({ kind: "skill-file", versionCount: 1 });
    expect(await specAt(".claude/skills/pdf/forms/template.txt")).toMatchObject({ kind: "skill-file" });
    expect(await specAt("src/skills/combat/attack.ts")).toBeNull();
    // Binary and oversized files get no spec and no crash: a skipped-file row with the reason.
    expect(await specAt(".claude/skills/pdf/assets/logo.png")).toBeNull();
    expect(await specAt(".claude/skills/pdf/references/huge.md")).toBeNull();
    const skipped = await db.skippedFile.findMany({ where: { repositoryId }, select: { path: true, reason: true }, orderBy: { path: "asc" } });
    expect(skipped).toEqual([
      { path: ".claude/skills/pdf/assets/logo.png", reason: "binary" },
      { path: ".claude/skills/pdf/references/huge.md", reason: "too-large" },
    ]);
  });

  it("are listed on the skill's page with the notes for the ones not versioned, nested skills apart", async () => {
    const bundle = await getSkillBundle(reader, { repositoryId, path: SKILL });
    expect(bundle.files.map((f) => f.path)).toEqual([".claude/skills/pdf/FORMS.md", ".claude/skills/pdf/scripts/fill.py"]);
    expect(bundle.files[1].size).toBe("print('fill')\n".length);
    expect(bundle.total).toBe(2);
    expect(bundle.skipped.map((s) => [s.path, s.reason])).toEqual([
      [".claude/skills/pdf/assets/logo.png", "binary"],
      [".claude/skills/pdf/references/huge.md", "too-large"],
    ]);
    expect(bundle.skipped.every((s) => s.detail.length > 0)).toBe(true);
    const nested = await getSkillBundle(reader, { repositoryId, path: ".claude/skills/pdf/forms/SKILL.md" });
    expect(nested.files.map((f) => f.path)).toEqual([".claude/skills/pdf/forms/template.txt"]);
    expect(nested.skipped).toEqual([]);
  });

  it("get new versions on the next import, and a new bundled file joins the skill", async () => {
    repo.commit("edit the script, add a reference", {
      ".claude/skills/pdf/scripts/fill.py": "print('fill v2')\n",
      ".claude/skills/pdf/references/api.md": `# API ${TAG}\n`,
    });
    await importRepository({ repositoryId, maxFileBytes: MAX });
    expect(await specAt(".claude/skills/pdf/scripts/fill.py")).toMatchObject({ kind: "skill-file", versionCount: 2 });
    expect(await specAt(".claude/skills/pdf/references/api.md")).toMatchObject({ kind: "skill-file", versionCount: 1 });
    expect((await getSkillBundle(reader, { repositoryId, path: SKILL })).total).toBe(3);
  });

  it("are read only by a role that may read specs", async () => {
    await expect(getSkillBundle({ role: "nobody" as never }, { repositoryId, path: SKILL })).rejects.toMatchObject({ code: "forbidden" });
  });
});
