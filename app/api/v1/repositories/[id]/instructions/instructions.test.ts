import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createToken } from "@/lib/operations/workspace";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";

const route = await import("./route");

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let token: string;
let noScopeToken: string;
let repositoryId: string;
const billing = "# Billing\n\n" + "Use minor units for money.\n".repeat(1300) + "## Refunds\nNever refund twice.\n";

beforeAll(async () => {
  const viewer = await db.user.create({
    data: { email: `${randomName("viewer")}@instructions.test`, name: "Viewer", role: "viewer" },
    select: { id: true, email: true, role: true },
  });
  token = (await createToken(viewer, { name: "t", scopes: ["specs:read"], expiresInDays: 1 })).token;
  noScopeToken = (await createToken(viewer, { name: "t2", scopes: ["runs:write"], expiresInDays: 1 })).token;
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("agents", {
    "AGENTS.md": "# Root\nUse pnpm.\n",
    "CLAUDE.md": "@AGENTS.md\n@docs/missing.md\n@../outside.md\n",
    "services/billing/AGENTS.md": billing,
    "services/billing/pay.ts": "export {};\n",
  });
  const { id } = await db.repository.create({ data: { name: randomName("instructions"), source: repo.path } });
  await importRepository({ repositoryId: id });
  repositoryId = id;
});

const ask = (query: string, bearer = token, id = repositoryId) =>
  route.GET(new NextRequest(`http://localhost/api/v1/repositories/${id}/instructions?${query}`, { headers: { authorization: `Bearer ${bearer}` } }), {
    params: Promise.resolve({ id }),
  });

describe("GET /api/v1/repositories/{id}/instructions", () => {
  it("answers what Codex loads in services/billing: the chain in order and the 32 KiB cut with what is lost", async () => {
    const res = await ask("agent=codex&path=services/billing");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.entries.map((e: { path: string }) => e.path)).toEqual(["AGENTS.md", "services/billing/AGENTS.md"]);
    expect(body.entries[1].status).toBe("truncated");
    expect(body.entries[1].cut.lostHeadings).toEqual(["## Refunds"]);
    expect(body.budget).toMatchObject({ unit: "bytes", total: 32768, over: true });
  });

  it("follows Claude Code imports and reports missing and outside targets without reading them", async () => {
    const body = await (await ask("agent=claude-code&path=")).json();
    expect(body.entries.map((e: { path: string }) => e.path)).toEqual(["CLAUDE.md", "AGENTS.md"]);
    expect(body.problems.map((p: { code: string }) => p.code).sort()).toEqual(["import-missing", "import-outside"]);
  });

  it("refuses an unknown agent and a path outside the repository with 400, an unknown directory or repository with 404", async () => {
    expect((await ask("agent=vim&path=")).status).toBe(400);
    expect((await ask("agent=codex&path=../../etc")).status).toBe(400);
    expect((await ask("agent=codex&path=%2Fetc")).status).toBe(400);
    expect((await ask("agent=codex&path=services/nowhere")).status).toBe(404);
    expect((await ask("agent=codex", token, "00000000-0000-0000-0000-000000000000")).status).toBe(404);
    expect((await ask("path=services")).status).toBe(422);
  });

  it("refuses a token whose scopes do not include reading repositories", async () => {
    expect((await ask("agent=codex", noScopeToken)).status).toBe(403);
  });
});
