import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { importRepository } from "@/lib/repositories/import";
import { diffSpecVersions, getRepositoryOrThrow, listOwners, listSpecs, listVersions } from "./queries";

const admin = { role: "admin" as const };

async function imported(files: Record<string, string>) {
  const repo = TestRepo.create();
  repo.commit("one", files);
  const record = await db.repository.create({ data: { name: randomName("q"), source: repo.path } });
  await importRepository({ repositoryId: record.id });
  repo.remove();
  return record;
}

describe("the lists the dashboard's cards open", () => {
  it("Approved lists the live files whose current content an approved change names; Agent files every agent kind; Versions every version", async () => {
    const word = randomName("lynx").replace("-", "");
    const repo = TestRepo.create();
    repo.commit("one", {
      "specs/a/spec.md": `a ${word}\n`,
      "specs/b/spec.md": `b ${word}\n`,
      "specs/c/spec.md": `c ${word}\n`,
      "AGENTS.md": `agents ${word}\n`,
      ".claude/skills/deploy/SKILL.md": `---\nname: deploy\ndescription: Deploys.\n---\n${word}\n`,
    });
    repo.commit("two", { "specs/a/spec.md": `a again ${word}\n`, "specs/c/spec.md": null });
    const record = await db.repository.create({ data: { name: randomName("cards"), source: repo.path } });
    await importRepository({ repositoryId: record.id });
    repo.remove();
    const specs = await db.spec.findMany({ where: { repositoryId: record.id }, include: { versions: { orderBy: { seq: "desc" }, take: 1 } } });
    const byPath = Object.fromEntries(specs.map((s) => [s.path, s]));
    const change = (path: string, state: "approved" | "proposed", hash: string) =>
      db.change.create({ data: { specId: byPath[path].id, origin: "proposal", title: path, currentHash: hash, state } });
    await change("specs/a/spec.md", "approved", byPath["specs/a/spec.md"].currentHash!);
    // An approval of content the file no longer has, an open proposal, and an approved file since deleted count for nothing.
    await change("specs/b/spec.md", "approved", "0".repeat(64));
    await change("AGENTS.md", "proposed", byPath["AGENTS.md"].currentHash!);
    await change("specs/c/spec.md", "approved", byPath["specs/c/spec.md"].versions[0].contentHash);

    const approved = await listSpecs(admin, { repositoryId: record.id, review: "approved" });
    expect([approved.total, approved.rows.map((s) => s.path)]).toEqual([1, ["specs/a/spec.md"]]);
    // The deleted file stays out even when the list is asked for deleted files, as the card counts live files only.
    expect((await listSpecs(admin, { repositoryId: record.id, review: "approved", deleted: "all" })).total).toBe(1);
    expect((await listSpecs(admin, { repositoryId: record.id, review: "approved", q: word })).rows.map((s) => s.path)).toEqual(["specs/a/spec.md"]);
    expect((await listSpecs(admin, { repositoryId: record.id })).total).toBe(4);

    const agents = await listSpecs(admin, { repositoryId: record.id, kind: "agents" });
    expect(agents.rows.map((s) => s.path).sort()).toEqual([".claude/skills/deploy/SKILL.md", "AGENTS.md"]);
    expect((await listSpecs(admin, { repositoryId: record.id, kind: "agents", q: word })).total).toBe(2);

    // The Versions card sums the files' version counts, deleted files' too: a has 2, the others 1 each.
    const versions = await listVersions(admin, { repositoryId: record.id });
    expect(versions.total).toBe(6);
    expect(versions.total).toBe(specs.reduce((sum, s) => sum + s.versionCount, 0));
    expect(versions.rows.filter((v) => v.path === "specs/a/spec.md").map((v) => v.seq)).toEqual([2, 1]);
    // A token without specs:read sees no versions.
    await expect(listVersions({ role: "viewer", scopes: ["runs:write"] }, {})).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("listSpecs", () => {
  it("searches full text within the filters, with right totals", async () => {
    const word = randomName("zebra").replace("-", "");
    const a = await imported({ "specs/a/spec.md": `# Payments\n\nThe ${word} refunds.\n`, "AGENTS.md": `Use ${word}.\n`, "specs/b/plan.md": "nothing\n" });
    const b = await imported({ "specs/c/spec.md": `The ${word} again.\n` });

    const all = await listSpecs(admin, { q: word });
    expect(all.total).toBe(3);
    const inA = await listSpecs(admin, { q: word, repositoryId: a.id });
    expect(inA.total).toBe(2);
    expect(inA.rows.map((s) => s.path).sort()).toEqual(["AGENTS.md", "specs/a/spec.md"]);
    const agentsOnly = await listSpecs(admin, { q: word, kind: "agent" });
    expect(agentsOnly.rows.map((s) => s.path)).toEqual(["AGENTS.md"]);
    expect((await listSpecs(admin, { q: word, repositoryId: b.id })).rows).toHaveLength(1);
    expect((await listSpecs(admin, { q: "payments", repositoryId: a.id })).rows.map((s) => s.path)).toEqual(["specs/a/spec.md"]);
  });

  it("filters by owner and lists the unowned", async () => {
    const team = `@acme/${randomName("team")}`;
    const a = await imported({ CODEOWNERS: `/specs/ ${team}\n`, "specs/x/spec.md": "x\n", "AGENTS.md": "y\n" });
    const owned = await listSpecs(admin, { repositoryId: a.id, owner: team });
    expect(owned.rows.map((s) => s.path)).toEqual(["specs/x/spec.md"]);
    const unowned = await listSpecs(admin, { repositoryId: a.id, owner: "unowned" });
    expect(unowned.rows.map((s) => s.path)).toEqual(["AGENTS.md"]);
    expect(await listOwners(admin)).toContain(team);
    const anyOwner = await listSpecs(admin, { repositoryId: a.id, owner: "owned" });
    expect(anyOwner.rows.map((s) => s.path)).toEqual(["specs/x/spec.md"]);
  });

  it("lists every kind but agent files, as the dashboard's Specs card counts them, with and without a search", async () => {
    const word = randomName("okapi").replace("-", "");
    const a = await imported({
      "specs/a/spec.md": `${word}
`,
      "specs/a/plan.md": `${word}
`,
      "AGENTS.md": `${word}
`,
      "CLAUDE.md": `${word}
`,
      ".claude/skills/deploy/SKILL.md": `---\nname: deploy\ndescription: Deploys ${word}.\n---\n${word}
`,
    });
    const listed = await listSpecs(admin, { repositoryId: a.id, kind: "not-agent" });
    expect(listed.rows.map((s) => s.path)).toEqual(["specs/a/plan.md", "specs/a/spec.md"]);
    expect(listed.total).toBe(2);
    expect((await listSpecs(admin, { q: word, kind: "not-agent" })).total).toBe(2);
  });

  it("refuses a role without read access and hides server paths", async () => {
    await expect(listSpecs({ role: "nobody" as never }, {})).rejects.toMatchObject({ code: "forbidden" });
    const a = await imported({ "CLAUDE.md": "x\n" });
    const repository = await getRepositoryOrThrow(admin, a.id);
    expect(repository).not.toHaveProperty("gitDir");
    await expect(getRepositoryOrThrow(admin, "missing")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("diffSpecVersions", () => {
  it("says a pure rename is a rename, and keeps the rename beside later edits", async () => {
    const repo = TestRepo.create();
    repo.commit("one", { "specs/001-a/spec.md": "# A\n\nSame.\n" });
    repo.git("mv", "specs/001-a", "specs/001-b");
    repo.commit("rename");
    repo.commit("edit", { "specs/001-b/spec.md": "# A\n\nEdited.\n" });
    const record = await db.repository.create({ data: { name: randomName("q"), source: repo.path } });
    await importRepository({ repositoryId: record.id });
    repo.remove();
    const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: record.id } });

    const renamed = await diffSpecVersions(admin, { specId: spec.id, fromSeq: 1, toSeq: 2 });
    expect(renamed.diff).toEqual({ status: "renamed", rename: { from: "specs/001-a/spec.md", to: "specs/001-b/spec.md" } });
    const both = await diffSpecVersions(admin, { specId: spec.id, fromSeq: 1, toSeq: 3 });
    expect(both.diff).toMatchObject({ status: "ok", added: 1, removed: 1, rename: { from: "specs/001-a/spec.md", to: "specs/001-b/spec.md" } });
    expect((await diffSpecVersions(admin, { specId: spec.id, fromSeq: 2, toSeq: 3 })).diff).not.toHaveProperty("rename");
  });
});
