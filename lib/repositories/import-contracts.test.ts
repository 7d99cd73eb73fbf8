import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { parseRawDiff } from "@/lib/contracts/recognised";
import { importRepository } from "./import";

// Contracts recognised by content (decision 051): YAML and JSON files whose name the kind rules do not know.

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));
function newRepo() {
  const repo = TestRepo.create();
  repos.push(repo);
  return repo;
}

const petsV1 =
  "openapi: 3.0.3\ninfo:\n  title: Pets\n  version: '1'\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n";
const petsV2 = petsV1 + "  /pets/{id}:\n    get:\n      responses:\n        '200':\n          description: ok\n";

async function specsOf(repositoryId: string) {
  const specs = await db.spec.findMany({ where: { repositoryId }, include: { versions: { orderBy: { seq: "asc" } } }, orderBy: { path: "asc" } });
  return specs.map((s) => ({ path: s.path, kind: s.kind, deleted: s.deleted, versions: s.versions.map((v) => v.commitSha) }));
}

describe("contracts recognised by content", () => {
  it("versions an OpenAPI, AsyncAPI or JSON Schema file whatever its name, with its whole history, and nothing else", async () => {
    const repo = newRepo();
    const c1 = repo.commit("api", {
      "api/pets.yaml": petsV1,
      "deploy/app.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: pets\n",
      "package.json": '{"name": "pets", "version": "1.0.0"}\n',
      "tsconfig.json": '{"$schema": "https://json.schemastore.org/tsconfig", "compilerOptions": {}}\n',
      "node_modules/dep/api.yaml": petsV1,
      "AGENTS.md": "# Agents\n",
    });
    const c2 = repo.commit("more api", {
      "api/pets.yaml": petsV2,
      "schemas/order.json": '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}\n',
    });
    const record = await db.repository.create({ data: { name: randomName("repo"), source: repo.path } });

    await importRepository({ repositoryId: record.id });
    expect(await specsOf(record.id)).toEqual([
      { path: "AGENTS.md", kind: "agent", deleted: false, versions: [c1] },
      { path: "api/pets.yaml", kind: "contract", deleted: false, versions: [c1, c2] },
      { path: "schemas/order.json", kind: "contract", deleted: false, versions: [c2] },
    ]);

    // Later commits: a new AsyncAPI file is picked up by the incremental import; an edit that breaks
    // the OpenAPI document keeps it governed; deleting it is recorded.
    const c3 = repo.commit("events", { "events/orders.yml": "asyncapi: 3.0.0\ninfo:\n  title: Orders\n  version: '1'\n" });
    const c4 = repo.commit("break it", { "api/pets.yaml": "openapi: [not: valid\n" });
    await importRepository({ repositoryId: record.id });
    const c5 = repo.commit("drop it", { "api/pets.yaml": null });
    await importRepository({ repositoryId: record.id });
    const specs = await specsOf(record.id);
    expect(specs.find((s) => s.path === "events/orders.yml")).toEqual({ path: "events/orders.yml", kind: "contract", deleted: false, versions: [c3] });
    expect(specs.find((s) => s.path === "api/pets.yaml")).toMatchObject({ kind: "contract", deleted: true, versions: [c1, c2, c4] });
    expect((await db.repository.findUniqueOrThrow({ where: { id: record.id } })).headCommit).toBe(c5);
    expect(specs.map((s) => s.path)).not.toContain("deploy/app.yaml");
  });

  it("replays the history when a file that was already there becomes a contract, so its earlier versions are kept", async () => {
    const repo = newRepo();
    const c1 = repo.commit("notes", { "docs/api.yaml": "title: Pets API (draft)\n", "AGENTS.md": "# Agents\n" });
    const c2 = repo.commit("more notes", { "docs/api.yaml": "title: Pets API (draft 2)\n" });
    const record = await db.repository.create({ data: { name: randomName("repo"), source: repo.path } });
    await importRepository({ repositoryId: record.id });
    expect((await specsOf(record.id)).map((s) => s.path)).toEqual(["AGENTS.md"]);

    const c3 = repo.commit("now an OpenAPI document", { "docs/api.yaml": petsV1 });
    await importRepository({ repositoryId: record.id });
    expect((await specsOf(record.id)).find((s) => s.path === "docs/api.yaml")).toEqual({
      path: "docs/api.yaml",
      kind: "contract",
      deleted: false,
      versions: [c1, c2, c3],
    });
  });
});

describe("contracts recognised by content, whatever the import's cadence", () => {
  it("replays the history when a contract comes back at a path that had a history before the last import", async () => {
    const repo = newRepo();
    const c1 = repo.commit("old notes", { "api/pets.yaml": "title: draft\n", "AGENTS.md": "# Agents\n" });
    const c2 = repo.commit("dropped", { "api/pets.yaml": null });
    const record = await db.repository.create({ data: { name: randomName("repo"), source: repo.path } });
    await importRepository({ repositoryId: record.id });
    const c3 = repo.commit("back as a contract", { "api/pets.yaml": petsV1 });
    await importRepository({ repositoryId: record.id });
    // As a first import of c3 stores it: the file that was there until c2, and the one c3 adds.
    const specs = (await specsOf(record.id)).filter((s) => s.path === "api/pets.yaml");
    expect(specs.map((s) => ({ kind: s.kind, deleted: s.deleted, versions: s.versions })).sort((a, b) => Number(b.deleted) - Number(a.deleted))).toEqual([
      { kind: "contract", deleted: true, versions: [c1] },
      { kind: "contract", deleted: false, versions: [c3] },
    ]);
    expect((await db.spec.findFirstOrThrow({ where: { repositoryId: record.id, path: "api/pets.yaml", deleted: true } })).deletedInCommit).toBe(c2);
  });
});

describe("parseRawDiff", () => {
  it("keeps added and changed regular files, with whether a file was there before", () => {
    const out = [
      ":000000 100644 0000000000000000000000000000000000000000 1111111111111111111111111111111111111111 A",
      "new.yaml",
      ":100644 100644 2222222222222222222222222222222222222222 3333333333333333333333333333333333333333 M",
      "changed.json",
      ":100644 000000 4444444444444444444444444444444444444444 0000000000000000000000000000000000000000 D",
      "gone.yaml",
      ":100644 120000 5555555555555555555555555555555555555555 6666666666666666666666666666666666666666 T",
      "now-a-link.yaml",
      ":120000 100644 7777777777777777777777777777777777777777 8888888888888888888888888888888888888888 T",
      "was-a-link.yaml",
      "",
    ].join("\0");
    expect(parseRawDiff(out)).toEqual([
      { path: "new.yaml", blob: "1111111111111111111111111111111111111111", existed: false },
      { path: "changed.json", blob: "3333333333333333333333333333333333333333", existed: true },
      { path: "was-a-link.yaml", blob: "8888888888888888888888888888888888888888", existed: false },
    ]);
  });
});
