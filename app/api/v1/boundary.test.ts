// Issue 12 §10: no input answers 500. Each class of bad input found by the fuzz, at the route
// handlers (called directly, as Next.js calls them) and at the proxy that runs before them.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { callRoute, routeHandler, userWithToken, writesBy } from "@/lib/testing/api";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { proxy, undecodableUrl } from "@/proxy";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let token: string;
let userId: string;
let specId: string;
let repoName: string;
let commit: string;

beforeAll(async () => {
  const admin = await userWithToken("admin", ["admin"]);
  token = admin.token;
  userId = admin.user.id;
  const repo = TestRepo.create();
  repos.push(repo);
  commit = repo.commit("spec", { "specs/a/spec.md": "# A\n\nv1\n" });
  repo.commit("spec v2", { "specs/a/spec.md": "# A\n\nv2\n" });
  repoName = randomName("boundary");
  const repository = await db.repository.create({ data: { name: repoName, source: repo.path } });
  await importRepository({ repositoryId: repository.id });
  specId = (await db.spec.findFirstOrThrow({ where: { repositoryId: repository.id } })).id;
});

const NUL = "\u0000";
const LONE = "\ud800";

describe("the proxy refuses URLs that cannot be decoded, before routing and authentication", () => {
  it.each([
    ["/api/v1/specs/%ff", "path"],
    ["/api/v1/runs/%ed%a0%80", "path"], // an encoded lone surrogate is not UTF-8
    ["/api/v1/runs/%00", "path"],
    ["/api/v1/specs?q=%00", "query"],
  ])("%s → 400 JSON", async (url) => {
    const response = await proxy(new NextRequest(`http://localhost${url}`));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("bad_request");
  });

  it("answers a plain 400 page for UI routes", async () => {
    const response = await proxy(new NextRequest("http://localhost/specs/%ff"));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(/not valid percent-encoded UTF-8/);
  });

  it("lets decodable URLs through", () => {
    expect(undecodableUrl("/api/v1/specs/caf%C3%A9", new URLSearchParams("q=%E2%9C%93"))).toBeNull();
    expect(undecodableUrl("/specs/%ff", new URLSearchParams())).not.toBeNull();
  });
});

describe("path parameters: NUL, lone surrogates, and integers that are not canonical or too large → 404", () => {
  it.each([
    ["/specs/{id}", { id: NUL }],
    ["/runs/{id}", { id: `r${NUL}` }],
    ["/deployments/{id}", { id: LONE }],
    ["/findings/{id}", { id: NUL }],
    ["/imports/{id}", { id: NUL }],
    ["/repositories/{id}", { id: NUL }],
    ["/versions/{id}", { id: NUL }],
  ])("GET %s %j", async (template, params) => {
    expect((await callRoute("GET", template, { token, params })).status).toBe(404);
  });

  it.each(["2147483648", "0x10", "+1", "01", " 1", "1e3", "-1", "0", "99999999999999999999"])("change number %j", async (number) => {
    const response = await callRoute("GET", "/changes/{number}", { token, params: { number } });
    expect(response.status).toBe(404);
    expect((await callRoute("GET", "/changes/{number}/patch", { token, params: { number } })).status).toBe(404);
  });

  it.each(["2147483648", "0x1", "+1", "01"])("version seq %j", async (seq) => {
    expect((await callRoute("GET", "/specs/{id}/versions/{seq}", { token, params: { id: specId, seq } })).status).toBe(404);
  });

  it("still answers a canonical seq", async () => {
    expect((await callRoute("GET", "/specs/{id}/versions/{seq}", { token, params: { id: specId, seq: "1" } })).status).toBe(200);
  });
});

describe("query values: NUL anywhere, and integers that are not canonical or too large → 422", () => {
  it.each([
    ["/specs", { q: NUL }],
    ["/specs", { owner: `a${NUL}` }],
    ["/specs", { repositoryId: NUL }],
    ["/findings", { owner: NUL }],
    ["/findings", { rule: NUL }],
    ["/runs", { repositoryId: NUL }],
    ["/deployments", { service: NUL }],
    ["/changes", { repositoryId: NUL }],
    ["/can-i-deploy", { service: NUL, version: "1", environment: "prod" }],
    ["/environments", { [`x${NUL}`]: "1" }],
    ["/specs", { page: "0x10" }],
    ["/specs", { page: "2147483648" }],
    ["/findings", { page: "+1" }],
    ["/changes", { take: "01" }],
  ])("GET %s %j", async (template, query) => {
    const response = await callRoute("GET", template, { token, query });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unprocessable");
  });

  it.each([
    { from: "2147483648", to: "1" },
    { from: "0x1", to: "2" },
    { from: "1", to: " 2" },
  ])("diff %j", async (query) => {
    expect((await callRoute("GET", "/specs/{id}/diff", { token, params: { id: specId }, query })).status).toBe(422);
  });

  it.each(["+1", "0x10", "201"])("impact limit %j", async (limit) => {
    expect((await callRoute("GET", "/versions/{id}", { token, params: { id: "nope" }, query: { limit } })).status).toBe(422);
  });

  it("still answers canonical values", async () => {
    expect((await callRoute("GET", "/specs/{id}/diff", { token, params: { id: specId }, query: { from: "1", to: "2" } })).status).toBe(200);
    expect((await callRoute("GET", "/specs", { token, query: { page: "1", q: "café" } })).status).toBe(200);
  });
});

describe("body strings and numbers the schemas used to let through → 422, nothing written", () => {
  const ref = () => ({ repository: repoName, path: "specs/a/spec.md", commit });
  const cases: [string, string, unknown][] = [
    ["POST", "/findings/status", { ids: [NUL], action: "dismiss" }],
    ["POST", "/findings/status", { ids: ["x"], action: "dismiss", note: LONE }],
    ["POST", "/changes", { specId: NUL, content: "x", title: "t" }],
    ["POST", "/changes", { repository: LONE, path: "specs/a/spec.md", content: "x", title: "t" }],
    ["POST", "/changes", { repository: "r", path: `a${NUL}`, content: "x", title: "t" }],
    ["POST", "/changes", { specId: "x", content: "x", title: "t", supersedes: 2147483648 }],
    ["POST", "/changes", { specId: "x", content: "x", title: "t".repeat(201) }],
    ["POST", "/changes", { specId: "x", content: "x", title: "t", description: "d".repeat(10_001) }],
    ["POST", "/runs", { externalId: `run-${LONE}`, agent: "codex" }],
    ["POST", "/runs", { externalId: randomName("run"), agent: "codex", links: [{ label: "l", url: `https://ci.example/${NUL}` }] }],
    ["POST", "/runs", { externalId: randomName("run"), agent: "codex", specs: [{ ...ref(), path: NUL }] }],
    ["POST", "/runs", { externalId: randomName("run"), agent: "codex", startedAt: "0000-01-01T00:00:00Z" }],
    ["POST", "/runs/batch", { runs: [{ externalId: randomName("run"), agent: "codex", instructions: [{ ...ref(), repository: LONE }] }] }],
    ["POST", "/deployments", { service: "svc", environment: "prod", version: "1", deployedAt: "0000-01-01T00:00:00Z" }],
    ["POST", "/deployments", { service: "svc", environment: "prod", version: "1", deployedAt: "9999-12-31T23:59:59Z" }],
    ["POST", "/deployments", { service: "svc", environment: "prod", version: "1", runs: [NUL] }],
    ["POST", "/deployments", { service: "svc", environment: "prod", version: LONE }],
    ["POST", "/repositories", { source: `/tmp/${NUL}` }],
    ["POST", "/repositories", { source: "/tmp/x", name: LONE }],
  ];

  it.each(cases)("%s %s %j", async (method, template, body) => {
    const before = await writesBy(userId);
    const response = await callRoute(method, template, { token, body, headers: { "idempotency-key": randomName("key") } });
    expect(response.status).toBe(422);
    expect(await writesBy(userId)).toEqual(before);
  });

  it("refuses a run id with a lone surrogate rather than storing a mangled one", async () => {
    const externalId = `${randomName("run")}-${LONE}`;
    const response = await callRoute("POST", "/runs", { token, body: { externalId, agent: "codex" } });
    expect(response.status).toBe(422);
    expect(await db.agentRun.count({ where: { externalId: { startsWith: externalId.slice(0, -1) } } })).toBe(0);
  });

  it("refuses change numbers in the body that are not canonical", async () => {
    for (const number of ["0x10", "+1", "2147483648"]) {
      const response = await callRoute("POST", "/changes/{number}/decisions", { token, params: { number }, body: { kind: "comment", body: "hi" } });
      expect(response.status, number).toBe(422);
    }
  });
});

describe("routes without path parameters", () => {
  // Next.js hands a static route's handler no params object (undefined), and the wrapper's
  // check of path parameters threw on it: POST /changes answered 500 in a real server.
  it.each([
    ["GET", "/specs"],
    ["POST", "/changes"],
    ["POST", "/runs"],
  ])("%s %s works when Next.js gives no params", async (method, template) => {
    const handler = await routeHandler(method, template);
    const body = method === "POST" ? JSON.stringify({}) : undefined;
    const request = new NextRequest(`http://localhost/api/v1${template}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
    });
    const response = await handler(request, { params: Promise.resolve(undefined as unknown as Record<string, string>) });
    expect(response.status).toBe(method === "POST" ? 422 : 200);
  });
});

describe("times", () => {
  it("a deployment's own page gives times with a zone, as the list does", async () => {
    const service = randomName("svc");
    const before = await writesBy(userId);
    const recorded = await callRoute("POST", "/deployments", {
      token,
      body: { service, environment: "staging", version: "1", deployedAt: "2026-11-24T10:00:00.123+01:00" },
    });
    expect(recorded.status).toBe(201);
    // The write counter the refusals above rely on does see a write.
    expect((await writesBy(userId)).deployments).toBe(before.deployments + 1);
    const { id } = (await recorded.json()) as { id: string };
    const tree = (await (await callRoute("GET", "/deployments/{id}", { token, params: { id } })).json()) as { deployedAt: string; undeployedAt: string | null };
    expect(tree.deployedAt).toBe("2026-11-24T09:00:00.123Z");
    expect(tree.undeployedAt).toBeNull();
    const list = (await (await callRoute("GET", "/deployments", { token, query: { service } })).json()) as {
      deployments: { id: string; deployedAt: string }[];
    };
    expect(list.deployments.find((d) => d.id === id)?.deployedAt).toBe(tree.deployedAt);
  });
});
