import os from "node:os";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { stopQueue } from "@/lib/jobs/queue";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";

// Issue 12 §5 and §9: concurrent adds and re-scans answer 201/202 or 409, never 500, and
// the database's uniqueness (not a check before the insert) keeps one row per source.

const repositories = await import("./route");
const imports = await import("./[id]/imports/route");
const noParams = { params: Promise.resolve({}) };
const repos: TestRepo[] = [];
let token: string;
let viewerToken: string;

beforeAll(async () => {
  process.env.SPECLEDGER_LOCAL_ROOTS = os.tmpdir();
  const admin = await db.user.create({ data: { email: `${randomName("admin")}@repos.test`, name: "admin", role: "admin" } });
  const viewer = await db.user.create({ data: { email: `${randomName("viewer")}@repos.test`, name: "viewer", role: "viewer" } });
  token = (await createToken(admin, { name: "load", scopes: ["admin"], expiresInDays: 1 })).token;
  viewerToken = (await createToken(viewer, { name: "read", scopes: ["specs:read"], expiresInDays: 1 })).token;
});
afterAll(async () => {
  // Nobody runs this file's queued imports, and their folders go now: their jobs would only
  // hold up the workers of other test files that share the database.
  await db.$executeRaw`DELETE FROM pgboss.job WHERE name = 'import-repository'
    AND data->>'importId' IN (SELECT i.id FROM "Import" i JOIN "Repository" r ON r.id = i."repositoryId" WHERE r.source = ANY(${repos.map((r) => r.path)}::text[]) OR r.source LIKE ANY(${repos.map((r) => `${r.path}/%`)}::text[]))`;
  repos.forEach((r) => r.remove());
  await stopQueue();
});

function newRepo() {
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("one", { "specs/a/spec.md": `# ${randomName()}\n` });
  return repo;
}

function post(url: string, body: unknown, bearer = token) {
  return new NextRequest(`http://localhost${url}`, {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

describe("POST /api/v1/repositories under concurrency", () => {
  it("20 concurrent adds of one source: one 201, nineteen 409 that say so, one row", async () => {
    const repo = newRepo();
    const responses = await Promise.all(Array.from({ length: 20 }, () => repositories.POST(post("/api/v1/repositories", { source: repo.path }), noParams)));
    expect(tally(responses.map((r) => r.status))).toEqual({ 201: 1, 409: 19 });
    const refused = (await Promise.all(responses.filter((r) => r.status === 409).map((r) => r.json()))) as {
      error: { message: string; details: { repositoryId: string } };
    }[];
    expect(refused[0].error.message).toMatch(/has already been added/);
    expect(await db.repository.count({ where: { source: repo.path } })).toBe(1);
    const [row] = await db.repository.findMany({ where: { source: repo.path } });
    expect(new Set(refused.map((r) => r.error.details.repositoryId))).toEqual(new Set([row.id]));
    expect(await db.import.count({ where: { repositoryId: row.id } })).toBe(1);
  });

  it("20 concurrent adds of distinct sources: all 201, one row each", async () => {
    const sources = Array.from({ length: 20 }, () => newRepo().path);
    const responses = await Promise.all(sources.map((source) => repositories.POST(post("/api/v1/repositories", { source }), noParams)));
    expect(tally(responses.map((r) => r.status))).toEqual({ 201: 20 });
    const rows = await db.repository.findMany({ where: { source: { in: sources } }, select: { source: true } });
    expect(rows.map((r) => r.source).sort()).toEqual([...sources].sort());
  });

  it("20 concurrent adds of distinct sources sharing a folder name get distinct names, never a 500", async () => {
    const name = randomName("twin");
    const sources = Array.from({ length: 20 }, () => {
      const parent = TestRepo.create();
      repos.push(parent);
      const child = `${parent.path}/${name}`;
      parent.git("init", "-q", "-b", "main", child);
      return child;
    });
    const responses = await Promise.all(sources.map((source) => repositories.POST(post("/api/v1/repositories", { source }), noParams)));
    expect(tally(responses.map((r) => r.status))).toEqual({ 201: 20 });
    const rows = await db.repository.findMany({ where: { source: { in: sources } }, select: { name: true } });
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r) => r.name)).size).toBe(20);
    expect(rows.map((r) => r.name)).toContain(name);
  });

  it("refuses malformed bodies, wrong roles and sources outside the roots without writing anything", async () => {
    const repo = newRepo();
    const cases: [NextRequest, number][] = [
      [post("/api/v1/repositories", { source: repo.path }, viewerToken), 403],
      [post("/api/v1/repositories", { source: 42 }), 422],
      [post("/api/v1/repositories", { source: `${repo.path}\u0000` }), 422],
      [post("/api/v1/repositories", { source: repo.path, extra: true }), 422],
      [post("/api/v1/repositories", { source: "/etc" }), 422],
      [post("/api/v1/repositories", { source: `file://${repo.path}` }), 422],
    ];
    for (const [request, status] of cases) expect((await repositories.POST(request, noParams)).status).toBe(status);
    expect(await db.repository.count({ where: { source: { in: [repo.path, "/etc"] } } })).toBe(0);
  });
});

describe("POST /api/v1/repositories/{id}/imports under concurrency", () => {
  it("20 concurrent re-scans answer 202 with one and the same import", async () => {
    const repo = newRepo();
    const added = (await (await repositories.POST(post("/api/v1/repositories", { source: repo.path }), noParams)).json()) as {
      repository: { id: string };
      import: { id: string };
    };
    const id = added.repository.id;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => imports.POST(post(`/api/v1/repositories/${id}/imports`, undefined), { params: Promise.resolve({ id }) })),
    );
    expect(tally(responses.map((r) => r.status))).toEqual({ 202: 20 });
    const ids = new Set(((await Promise.all(responses.map((r) => r.json()))) as { import: { id: string } }[]).map((b) => b.import.id));
    expect(ids).toEqual(new Set([added.import.id]));
    expect(await db.import.count({ where: { repositoryId: id } })).toBe(1);
    const unknown = await imports.POST(post("/api/v1/repositories/nope/imports", undefined), { params: Promise.resolve({ id: "nope" }) });
    expect(unknown.status).toBe(404);
  });
});
