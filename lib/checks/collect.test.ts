// Texts the server holds go by hash alone: what the CLI's collection leaves out, what the server
// answers it holds, and how a check reads the texts it was not sent (real git, real database).
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { runCheck } from "@/lib/operations/checks";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { collectCheck } from "./collect";
import { knownContents } from "./run";

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

// The base already has a duplicated requirement id (a lint error), which the PR keeps.
const WORD = randomName("w").replace("-", "");
const BASE = `# Refunds ${WORD}\n\n### FR-001: Refund\n\n- WHEN asked THE SYSTEM SHALL refund.\n\n### FR-001: Refund again\n\n- WHEN asked twice THE SYSTEM SHALL refuse.\n`;
const HEAD = `${BASE}\nOne more sentence.\n`;

let repo: TestRepo;
let repository: { id: string; name: string };
let base: string;
let head: string;
let maintainer: { id: string; email: string; role: "maintainer" };

beforeAll(async () => {
  maintainer = (await db.user.create({
    data: { email: `${randomName("m")}@collect.test`, name: "m", role: "maintainer" },
    select: { id: true, email: true, role: true },
  })) as typeof maintainer;
  repo = TestRepo.create();
  base = repo.commit("base", { "specs/refunds/spec.md": BASE });
  repository = await db.repository.create({ data: { name: randomName("collect"), source: repo.path }, select: { id: true, name: true } });
  await importRepository({ repositoryId: repository.id });
  head = repo.commit("pr", { "specs/refunds/spec.md": HEAD });
});
afterAll(() => repo.remove());

describe("texts sent by hash", () => {
  it("the server answers which of the hashes it holds, to whoever may run checks", async () => {
    expect(await knownContents(maintainer, { hashes: [hash(BASE), hash(HEAD)] })).toEqual({ known: [hash(BASE)] });
    const viewer = { id: maintainer.id, email: maintainer.email, role: "viewer" as const };
    await expect(knownContents(viewer, { hashes: [hash(BASE)] })).rejects.toMatchObject({ code: "forbidden" });
    await expect(knownContents(maintainer, { hashes: ["not-a-hash"] })).rejects.toThrow();
  });

  it("the CLI's collection leaves out what the server holds, and sends every text without the question", async () => {
    const asked: string[][] = [];
    const withQuestion = await collectCheck(repo.path, {
      base,
      head,
      known: async (hashes) => {
        asked.push(hashes);
        return (await knownContents(maintainer, { hashes })).known.reduce((s, h) => s.add(h), new Set<string>());
      },
    });
    expect(asked).toEqual([[hash(HEAD), hash(BASE)]]);
    expect(withQuestion.files).toEqual([
      expect.objectContaining({ path: "specs/refunds/spec.md", contentHash: hash(HEAD), baseContentHash: hash(BASE), content: HEAD }),
    ]);
    expect(withQuestion.files[0]).not.toHaveProperty("baseContent");
    const without = await collectCheck(repo.path, { base, head });
    expect(without.files[0]).toMatchObject({ content: HEAD, baseContent: BASE, baseContentHash: hash(BASE) });
  });

  it("a check reads a base text it holds, so a lint error the base already had is not the pull request's", async () => {
    const collected = await collectCheck(repo.path, { base, head, known: async () => new Set([hash(BASE)]) });
    const result = await runCheck(maintainer, { repository: repository.name, base, head, ...collected });
    expect(result.files[0].items.map((i) => i.rule)).not.toContain("spec-duplicate-requirement-id");
  });

  /** A check of the PR's head text, its base text sent as `sent` says (a hash, and a text or none). */
  const checkWithBase = (sent: { baseContentHash: string; baseContent?: string }) =>
    runCheck(maintainer, {
      repository: repository.name,
      base,
      head,
      files: [{ path: "specs/refunds/spec.md", status: "modified", kind: "spec", contentHash: hash(HEAD), content: HEAD, brokenReferences: [], ...sent }],
    });

  it("a base text it does not hold stays absent: the head's findings count as new (fail closed)", async () => {
    const other = `${BASE}\nNot imported anywhere ${randomName("x")}.\n`;
    const result = await checkWithBase({ baseContentHash: hash(other) });
    expect(result.files[0].items.map((i) => i.rule)).toContain("spec-duplicate-requirement-id");
  });

  it("refuses a base text that does not hash to its baseContentHash, and stores nothing", async () => {
    const before = await db.check.count({ where: { repositoryId: repository.id } });
    await expect(checkWithBase({ baseContentHash: hash(BASE), baseContent: "# Something else\n" })).rejects.toMatchObject({
      code: "unprocessable",
      message: expect.stringContaining("does not hash to its baseContentHash"),
    });
    expect(await db.check.count({ where: { repositoryId: repository.id } })).toBe(before);
  });
});

describe("contracts recognised by content", () => {
  it("sends a changed YAML or JSON file whose text declares a contract, added, changed or deleted, and no other", async () => {
    const other = TestRepo.create();
    try {
      const openapi = "openapi: 3.1.0\ninfo:\n  title: x\n  version: '1'\npaths: {}\n";
      const from = other.commit("base", {
        "api/old.yaml": openapi,
        "api/kept.json": '{"$schema": "https://json-schema.org/draft/2020-12/schema"}\n',
        "api/undeclared.yaml": openapi,
      });
      const to = other.commit("pr", {
        "api/old.yaml": null,
        // Edited into text that declares nothing: still the contract its base was.
        "api/undeclared.yaml": "paths: {}\n",
        "api/kept.json": '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}\n',
        "api/new.yml": "asyncapi: 2.6.0\ninfo:\n  title: y\n  version: '1'\nchannels: {}\n",
        "deploy/app.yaml": "kind: Service\n",
        "package.json": '{"name": "x"}\n',
      });
      const sent = await collectCheck(other.path, { base: from, head: to });
      expect(sent.files.map((f) => [f.path, f.status, f.kind])).toEqual([
        ["api/kept.json", "modified", "contract"],
        ["api/new.yml", "added", "contract"],
        ["api/old.yaml", "deleted", "contract"],
        ["api/undeclared.yaml", "modified", "contract"],
      ]);
      expect(sent.changedPaths.sort()).toEqual(["deploy/app.yaml", "package.json"]);
    } finally {
      other.remove();
    }
  });
});
