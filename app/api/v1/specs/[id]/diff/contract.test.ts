import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createToken } from "@/lib/operations/workspace";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";

const diffRoute = await import("./route");

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

const openapi = (paths: object) => JSON.stringify({ openapi: "3.1.0", info: { title: "Pets", version: "1" }, paths }, null, 2);
const get = { responses: { "200": { description: "ok" } } };

let token: string;
let contractId: string;
let markdownId: string;

beforeAll(async () => {
  const viewer = await db.user.create({
    data: { email: `${randomName("viewer")}@contracts.test`, name: "Viewer", role: "viewer" },
    select: { id: true, email: true, role: true },
  });
  token = (await createToken(viewer, { name: "t", scopes: ["specs:read"], expiresInDays: 1 })).token;
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("v1", {
    "api/openapi.yaml": openapi({
      "/pets": { get: { ...get, parameters: [{ name: "limit", in: "query", schema: { type: "integer" } }] } },
      "/pets/{id}": { get },
    }),
    "specs/pets/spec.md": "# Pets\n\nList pets.\n",
  });
  repo.commit("v2", {
    "api/openapi.yaml": openapi({ "/pets": { get: { ...get, parameters: [{ name: "limit", in: "query", required: true, schema: { type: "integer" } }] } } }),
    "specs/pets/spec.md": "# Pets\n\nList all pets.\n",
  });
  const { id } = await db.repository.create({ data: { name: randomName("contracts"), source: repo.path } });
  await importRepository({ repositoryId: id });
  const specs = await db.spec.findMany({ where: { repositoryId: id }, select: { id: true, path: true, kind: true } });
  contractId = specs.find((s) => s.path === "api/openapi.yaml")!.id;
  markdownId = specs.find((s) => s.path === "specs/pets/spec.md")!.id;
});

const ask = (specId: string, query: string) =>
  diffRoute.GET(new NextRequest(`http://localhost/api/v1/specs/${specId}/diff?${query}`, { headers: { authorization: `Bearer ${token}` } }), {
    params: Promise.resolve({ id: specId }),
  });

describe("GET /api/v1/specs/{id}/diff on a contract", () => {
  it("classifies the interface changes between two imported versions", async () => {
    const res = await ask(contractId, "from=1&to=2");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.contract.format).toBe("openapi");
    expect(body.contract.summary).toBe("2 breaking: removed `GET /pets/{id}`; made `limit` required");
    expect(body.contract.breaking).toBe(2);
    expect(body.diff.status).toBe("ok");
  });

  it("reads the reverse direction as non-breaking", async () => {
    const body = await (await ask(contractId, "from=2&to=1")).json();
    expect(body.contract.summary).toBeNull();
    expect(body.contract.changes.map((c: { rule: string }) => c.rule).sort()).toEqual(["operation-added", "request-parameter-made-optional"]);
  });

  it("answers null for files that are not contracts", async () => {
    const body = await (await ask(markdownId, "from=1&to=2")).json();
    expect(body.contract).toBeNull();
  });

  it("answers 404 for a version that does not exist", async () => {
    expect((await ask(contractId, "from=1&to=9")).status).toBe(404);
  });
});
