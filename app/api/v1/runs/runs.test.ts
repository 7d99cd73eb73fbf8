import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { hashContent } from "@/lib/specs/content";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";

const runs = await import("./route");
const batch = await import("./batch/route");
const run = await import("./[id]/route");

const noParams = { params: Promise.resolve({}) };
const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let token: string;
let repoName: string;
let commits: { first: string; second: string; unrelated: string };
const SPEC_V1 = "# Checkout\n\nv1\n";
const SPEC_V2 = "# Checkout\n\nv2\n";

beforeAll(async () => {
  const owner = await db.user.create({
    data: { email: `${randomName("ci")}@runs.test`, name: "ci", role: "maintainer" },
    select: { id: true, email: true, role: true },
  });
  token = (await createToken(owner, { name: "ci", scopes: ["runs:write", "specs:read"], expiresInDays: 1 })).token;
  const repo = TestRepo.create();
  repos.push(repo);
  const first = repo.commit("spec", { "specs/checkout/spec.md": SPEC_V1, "AGENTS.md": "# Agents\n" });
  const second = repo.commit("spec v2", { "specs/checkout/spec.md": SPEC_V2 });
  const unrelated = repo.commit("code", { "src/index.ts": "export {};\n" });
  commits = { first, second, unrelated };
  repoName = randomName("runs");
  const record = await db.repository.create({ data: { name: repoName, source: repo.path } });
  await importRepository({ repositoryId: record.id });
});

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return new NextRequest(`http://localhost${url}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const aRun = (externalId = randomName("run")) => ({
  externalId,
  agent: "claude-code",
  model: "claude-sonnet-4",
  repository: repoName,
  commit: commits.second,
  branch: "main",
  startedAt: "2026-11-24T10:00:00Z",
  finishedAt: "2026-11-24T10:05:00Z",
  inputTokens: 12000,
  outputTokens: 3400,
  costUsd: 0.42,
  outcome: "succeeded",
  links: [{ label: "CI job", url: "https://ci.example/jobs/1" }],
  specs: [{ contentHash: hashContent(Buffer.from(SPEC_V1)) }, { repository: repoName, path: "specs/checkout/spec.md", commit: commits.second }],
  instructions: [{ repository: repoName, path: "AGENTS.md", commit: commits.unrelated }, { contentHash: "f".repeat(64) }],
});

describe("POST /api/v1/runs", () => {
  it("records a run with the spec versions it used, resolving each reference and flagging what does not resolve", async () => {
    const body = aRun();
    const response = await runs.POST(post("/api/v1/runs", body), noParams);
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; created: boolean; unresolved: number };
    expect(created).toMatchObject({ created: true, unresolved: 1 });

    const detail = await run.GET(new NextRequest(`http://localhost/api/v1/runs/${created.id}`, { headers: { authorization: `Bearer ${token}` } }), {
      params: Promise.resolve({ id: created.id }),
    });
    const shown = (await detail.json()) as {
      refs: { kind: string; resolved: boolean; version: { seq: number; reviewState: string; current: boolean } | null }[];
      costUsd: number;
    };
    expect(shown.costUsd).toBe(0.42);
    expect(shown.refs.map((r) => [r.kind, r.resolved, r.version?.seq ?? null, r.version?.current ?? null])).toEqual([
      ["spec", true, 1, false],
      ["spec", true, 2, true],
      ["instruction", true, 1, true], // AGENTS.md as the unrelated commit holds it, through git
      ["instruction", false, null, null],
    ]);
    expect(shown.refs[1].version?.reviewState).toBe("unreviewed");
  });

  it("is idempotent by externalId: a retry returns the first record and creates nothing", async () => {
    const body = aRun();
    const first = await (await runs.POST(post("/api/v1/runs", body), noParams)).json();
    const again = await runs.POST(post("/api/v1/runs", body), noParams);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe((first as { id: string }).id);
    expect(await db.agentRun.count({ where: { externalId: body.externalId } })).toBe(1);
  });

  it("turns 50 identical concurrent POSTs with one Idempotency-Key into one run and 50 identical answers", async () => {
    const body = aRun();
    const key = randomName("key");
    const responses = await Promise.all(Array.from({ length: 50 }, () => runs.POST(post("/api/v1/runs", body, { "idempotency-key": key }), noParams)));
    const answers = await Promise.all(responses.map(async (r) => `${r.status} ${JSON.stringify(await r.json())}`));
    expect([...new Set(answers)]).toEqual([answers[0]]);
    expect(answers[0].startsWith("201 ")).toBe(true);
    expect(await db.agentRun.count({ where: { externalId: body.externalId } })).toBe(1);
    expect(await db.runSpecRef.count({ where: { run: { externalId: body.externalId } } })).toBe(4);

    const different = await runs.POST(post("/api/v1/runs", { ...body, model: "other" }, { "idempotency-key": key }), noParams);
    expect(different.status).toBe(422);
    expect(JSON.stringify(await different.json())).toMatch(/different request body/);
  });

  it("refuses malformed, oversized and wrongly typed bodies, and writes nothing", async () => {
    const before = await db.agentRun.count();
    expect((await runs.POST(post("/api/v1/runs", "{ not json"), noParams)).status).toBe(400);
    expect((await runs.POST(post("/api/v1/runs", JSON.stringify({ ...aRun(), model: "x".repeat(1_100_000) })), noParams)).status).toBe(413);
    const wrong = await runs.POST(post("/api/v1/runs", { ...aRun(), inputTokens: "many", startedAt: "yesterday", specs: [{ contentHash: "abc" }] }), noParams);
    expect(wrong.status).toBe(422);
    const issues = ((await wrong.json()) as { error: { issues: { path: (string | number)[] }[] } }).error.issues.map((i) => i.path.join("."));
    expect(issues).toEqual(expect.arrayContaining(["inputTokens", "startedAt"]));
    expect((await runs.POST(post("/api/v1/runs", { ...aRun(), surprise: true }), noParams)).status).toBe(422);
    expect((await runs.POST(post("/api/v1/runs", { ...aRun(), agent: "claude\u0000code" }), noParams)).status).toBe(422);
    expect((await runs.POST(post("/api/v1/runs", { ...aRun(), costUsd: 1e9 }), noParams)).status).toBe(422);
    expect((await runs.POST(post("/api/v1/runs", [aRun()]), noParams)).status).toBe(422);
    expect((await runs.POST(post("/api/v1/runs", aRun(), { "idempotency-key": "" }), noParams)).status).toBe(400);
    expect(await db.agentRun.count()).toBe(before);
  });
});

describe("externalIds are scoped to the reporter", () => {
  async function otherReporter() {
    const user = await db.user.create({
      data: { email: `${randomName("team-b")}@runs.test`, name: "b", role: "maintainer" },
      select: { id: true, email: true, role: true },
    });
    return (await createToken(user, { name: "b", scopes: ["runs:write", "deployments:write", "specs:read"], expiresInDays: 1 })).token;
  }
  const as = (tokenOf: string, body: unknown) =>
    new NextRequest("http://localhost/api/v1/runs", {
      method: "POST",
      headers: { authorization: `Bearer ${tokenOf}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("two reporters use the same externalId without colliding", async () => {
    const other = await otherReporter();
    const externalId = randomName("build");
    const mine = await runs.POST(post("/api/v1/runs", aRun(externalId)), noParams);
    const theirs = await runs.POST(as(other, { ...aRun(externalId), agent: "kiro" }), noParams);
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    const [a, b] = (await Promise.all([mine.json(), theirs.json()])) as { id: string }[];
    expect(a.id).not.toBe(b.id);
    expect((await db.agentRun.findMany({ where: { externalId }, select: { agent: true }, orderBy: { agent: "asc" } })).map((r) => r.agent)).toEqual([
      "claude-code",
      "kiro",
    ]);
  });

  it("a replay answers 200 with the same run; the same id with another payload is a 409 naming what differs, and writes nothing", async () => {
    const body = aRun();
    const first = (await (await runs.POST(post("/api/v1/runs", body), noParams)).json()) as { id: string };
    const replay = await runs.POST(post("/api/v1/runs", { ...body, startedAt: "2026-11-24T11:00:00+01:00" }), noParams);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ id: first.id, created: false });

    const changed = await runs.POST(post("/api/v1/runs", { ...body, model: "other", outcome: "failed", specs: [] }), noParams);
    expect(changed.status).toBe(409);
    const error = ((await changed.json()) as { error: { message: string } }).error;
    expect(error.message).toContain(`run ${body.externalId} differs in model, outcome, specs`);
    const stored = await db.agentRun.findMany({ where: { externalId: body.externalId }, select: { model: true, outcome: true } });
    expect(stored).toEqual([{ model: "claude-sonnet-4", outcome: "succeeded" }]);

    // In a batch too, before anything of the batch is written.
    const fresh = aRun();
    const batchResponse = await batch.POST(post("/api/v1/runs/batch", { runs: [fresh, { ...body, agent: "kiro" }] }), noParams);
    expect(batchResponse.status).toBe(409);
    expect(await db.agentRun.count({ where: { externalId: fresh.externalId } })).toBe(0);
  });

  it("a deployment naming a run by externalId takes the caller's own run first", async () => {
    const deployments = await import("../deployments/route");
    const other = await otherReporter();
    const externalId = randomName("build");
    const theirs = (await (await runs.POST(as(other, aRun(externalId)), noParams)).json()) as { id: string };
    const mine = (await (await runs.POST(post("/api/v1/runs", aRun(externalId)), noParams)).json()) as { id: string };
    const service = randomName("svc");
    const recorded = await deployments.POST(
      new NextRequest("http://localhost/api/v1/deployments", {
        method: "POST",
        headers: { authorization: `Bearer ${other}`, "content-type": "application/json" },
        body: JSON.stringify({ service, environment: "staging", version: "1", runs: [externalId] }),
      }),
      noParams,
    );
    expect(recorded.status).toBe(201);
    const { id } = (await recorded.json()) as { id: string };
    expect((await db.deploymentRun.findMany({ where: { deploymentId: id } })).map((r) => r.runId)).toEqual([theirs.id]);
    expect(theirs.id).not.toBe(mine.id);
  });
});

describe("POST /api/v1/runs/batch", () => {
  it("records up to 1,000 runs in one go; a retry finds them all", async () => {
    const body = { runs: Array.from({ length: 1000 }, () => aRun()) };
    const response = await batch.POST(post("/api/v1/runs/batch", body), noParams);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ created: 1000, existing: 0, unresolvedRefs: 1000 });
    const again = await (await batch.POST(post("/api/v1/runs/batch", body), noParams)).json();
    expect(again).toMatchObject({ created: 0, existing: 1000 });
    expect(
      (await batch.POST(post("/api/v1/runs/batch", { runs: Array.from({ length: 1001 }, () => ({ externalId: "x", agent: "a" })) }), noParams)).status,
    ).toBe(422);
    const duplicate = aRun();
    expect((await batch.POST(post("/api/v1/runs/batch", { runs: [duplicate, duplicate] }), noParams)).status).toBe(422);
  });
});

describe("GET /api/v1/runs", () => {
  const get = (query: string) => runs.GET(new NextRequest(`http://localhost/api/v1/runs${query}`, { headers: { authorization: `Bearer ${token}` } }), noParams);
  type ListBody = { total: number; page: number; pageSize: number; runs: { id: string; agent: string; outcome: string }[] };

  it("filters by agent, repository, spec, outcome and time, and counts every match across pages", async () => {
    const agent = randomName("agent");
    const spec = await db.spec.findFirstOrThrow({ where: { repository: { name: repoName }, path: "specs/checkout/spec.md" } });
    const made = [];
    for (const outcome of ["succeeded", "failed", "failed"] as const) {
      const res = await runs.POST(post("/api/v1/runs", { ...aRun(), agent, outcome }), noParams);
      made.push(((await res.json()) as { id: string }).id);
    }
    const noSpecs = await runs.POST(post("/api/v1/runs", { ...aRun(), agent, outcome: "failed", specs: [], instructions: [] }), noParams);
    const bare = ((await noSpecs.json()) as { id: string }).id;

    const all = (await (await get(`?agent=${agent}`)).json()) as ListBody;
    expect(all.total).toBe(4);
    expect(all.runs.map((r) => r.id).sort()).toEqual([...made, bare].sort());
    const failed = (await (await get(`?agent=${agent}&outcome=failed&repository=${repoName}`)).json()) as ListBody;
    expect(failed.total).toBe(3);
    const usedSpec = (await (await get(`?agent=${agent}&spec=${spec.id}`)).json()) as ListBody;
    expect(usedSpec.runs.map((r) => r.id).sort()).toEqual([...made].sort());
    const today = new Date().toISOString().slice(0, 10);
    expect(((await (await get(`?agent=${agent}&since=${today}&until=${today}`)).json()) as ListBody).total).toBe(4);
    expect(((await (await get(`?agent=${agent}&until=2000-01-01`)).json()) as ListBody).total).toBe(0);
    const second = (await (await get(`?agent=${agent}&page=2`)).json()) as ListBody;
    expect(second).toMatchObject({ total: 4, page: 2, runs: [] });
  });

  it("refuses malformed filters with 422 instead of ignoring them", async () => {
    for (const query of ["?outcome=won", "?since=2026-13-01", "?page=0", "?page=abc", "?spec=a%20b"]) {
      expect((await get(query)).status, query).toBe(422);
    }
  });
});
