import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { addRepositoryHere } from "@/lib/operations/repositories";
import { runImport, SYSTEM_VIEWER } from "@/lib/repositories";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";

const one = await import("./[id]/route");

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let token: string;
let writeOnly: string;
let importId: string;

const get = (id: string, bearer?: string) =>
  one.GET(new NextRequest(`http://localhost/api/v1/imports/${id}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} }), {
    params: Promise.resolve({ id }),
  });

beforeAll(async () => {
  const viewer = await db.user.create({
    data: { email: `${randomName("viewer")}@imports-api.test`, name: "viewer", role: "viewer" },
    select: { id: true, email: true, role: true },
  });
  token = (await createToken(viewer, { name: "t", scopes: ["specs:read"], expiresInDays: 1 })).token;
  writeOnly = (await createToken(viewer, { name: "w", scopes: ["runs:write"], expiresInDays: 1 })).token;
  // Four commits, two of which change a recognised file.
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("code", { "src/a.ts": "1\n" });
  repo.commit("spec", { "specs/001-a/spec.md": "# A\n" });
  repo.commit("code", { "src/a.ts": "2\n" });
  repo.commit("agents", { "AGENTS.md": "# Agents\n" });
  const { import: record } = await addRepositoryHere(SYSTEM_VIEWER, { source: repo.path, name: randomName("imports-api") });
  importId = (await runImport({ importId: record.id, findings: "skip" })).id;
});

describe("GET /api/v1/imports/:id", () => {
  it("names each figure for what it counts, and keeps the deprecated one", async () => {
    const res = await get(importId, token);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: "succeeded", commitsScanned: 4, commitsWithSpecChanges: 2, versionsAdded: 2, specsAdded: 2 });
    expect(body.commitsRead).toBe(body.commitsWithSpecChanges);
  });

  it("refuses an unknown token and a token without the read scope, and answers 404 for an unknown import", async () => {
    expect((await get(importId, "sl_" + "A".repeat(39))).status).toBe(401);
    expect((await get(importId, writeOnly)).status).toBe(403);
    expect((await get("no-such-import", token)).status).toBe(404);
  });
});
