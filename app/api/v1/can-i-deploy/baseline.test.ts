// The gate must never say yes about spec content it did not check: a deployment's baseline is
// every governed file at its commit, and identical bytes get one answer whichever version names them.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { decideChange } from "@/lib/operations/reviews";
import { createToken } from "@/lib/operations/workspace";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { GET } from "./route";

const deployments = await import("../deployments/route");
const noParams = { params: Promise.resolve({}) };
const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

type Answer = { ok: boolean; checked: number; reasons: { code: string; message: string }[] };
type Recorded = { specs: { baseline: number; unresolved: number }; warning?: string };

// Its own environment, whose policy no other test file changes.
const ENV = randomName("prod");
let token: string;
let reviewer: { id: string; email: string; role: "reviewer" };

beforeAll(async () => {
  const ci = await db.user.create({
    data: { email: `${randomName("ci")}@base.test`, name: "ci", role: "maintainer" },
    select: { id: true, email: true, role: true },
  });
  reviewer = (await db.user.create({
    data: { email: `${randomName("rev")}@base.test`, name: "rev", role: "reviewer" },
    select: { id: true, email: true, role: true },
  })) as typeof reviewer;
  token = (await createToken(ci, { name: "ci", scopes: ["deployments:write", "specs:read"], expiresInDays: 1 })).token;
});

function req(url: string, body?: unknown) {
  return new NextRequest(`http://localhost${url}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function record(body: Record<string, unknown>): Promise<Recorded> {
  const response = await deployments.POST(req("/api/v1/deployments", body), noParams);
  expect(response.status).toBe(201);
  return (await response.json()) as Recorded;
}

async function ask(service: string, version: string, environment = ENV): Promise<Answer> {
  const response = await GET(req(`/api/v1/can-i-deploy?service=${service}&version=${version}&environment=${environment}`), noParams);
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}

async function setUp(files: Record<string, string | Buffer>) {
  const repo = TestRepo.create();
  repos.push(repo);
  const commit = repo.commit("specs", files);
  const name = randomName("gate");
  const repositoryId = (await db.repository.create({ data: { name, source: repo.path } })).id;
  await importRepository({ repositoryId });
  return { repo, commit, name, repositoryId };
}

async function decide(repositoryId: string, path: string, kind: "approve" | "reject") {
  const change = await db.change.findFirstOrThrow({ where: { spec: { repositoryId, path }, state: "unreviewed" }, orderBy: { number: "desc" } });
  await decideChange(reviewer, { number: change.number, kind, contentHash: change.currentHash, ...(kind === "reject" ? { body: "no" } : {}) });
}

describe("a deployment's baseline", () => {
  it("holds a governed file nobody imported as unresolved, so the gate says no, and resolves it once an import holds the bytes", async () => {
    const { repo, name, repositoryId } = await setUp({ "specs/pay/spec.md": "# Pay\n\nv1\n", "specs/ok/spec.md": "# OK\n" });
    await decide(repositoryId, "specs/pay/spec.md", "approve");
    await decide(repositoryId, "specs/ok/spec.md", "approve");
    // A branch rewrites a spec; only the default branch is imported.
    repo.git("checkout", "-q", "-b", "feature");
    const feature = repo.commit("unreviewed rewrite", { "specs/pay/spec.md": "# Pay\n\nIgnore the refund limits.\n" });
    repo.git("checkout", "-q", "main");
    await importRepository({ repositoryId });

    const service = randomName("svc");
    const recorded = await record({ service, version: "2.0.0", environment: ENV, commit: feature, repository: name });
    expect(recorded.specs).toMatchObject({ baseline: 2, unresolved: 1 });
    expect(recorded.warning).toMatch(/1 governed file at .* matches no imported spec version/);
    const before = await ask(service, "2.0.0");
    expect(before.ok).toBe(false);
    expect(before.checked).toBe(2);
    expect(before.reasons.map((r) => r.code)).toEqual(["unresolved"]);
    expect(before.reasons[0].message).toContain(`${name}:specs/pay/spec.md@${feature.slice(0, 7)}`);

    // Merged and imported: the same reference now resolves, to content nobody has reviewed yet.
    repo.git("merge", "-q", "--ff-only", "feature");
    await importRepository({ repositoryId });
    const after = await ask(service, "2.0.0");
    expect(after.ok).toBe(false);
    expect(after.reasons.map((r) => r.code)).toEqual(["unreviewed"]);
    await decide(repositoryId, "specs/pay/spec.md", "approve");
    expect((await ask(service, "2.0.0")).ok).toBe(true);
  });

  it("includes specs whose paths git would quote (non-ASCII)", async () => {
    const { commit, name, repositoryId } = await setUp({ "specs/ok/spec.md": "# OK\n", "specs/café/spec.md": "# Café\n\nnever reviewed\n" });
    await decide(repositoryId, "specs/ok/spec.md", "approve");
    const service = randomName("svc");
    const recorded = await record({ service, version: "1.0.0", environment: ENV, commit, repository: name });
    expect(recorded.specs).toMatchObject({ baseline: 2, unresolved: 0 });
    const answer = await ask(service, "1.0.0");
    expect(answer.ok).toBe(false);
    expect(answer.reasons.map((r) => r.code)).toEqual(["unreviewed"]);
  });

  it("says no about a governed file the import skipped, and says that it was skipped", async () => {
    const { commit, name, repositoryId } = await setUp({
      "specs/ok/spec.md": "# OK\n",
      "specs/logo.md": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0x0d, 0x0a]),
    });
    await decide(repositoryId, "specs/ok/spec.md", "approve");
    const service = randomName("svc");
    expect((await record({ service, version: "1", environment: ENV, commit, repository: name })).specs).toMatchObject({ baseline: 2, unresolved: 1 });
    const answer = await ask(service, "1");
    expect(answer.ok).toBe(false);
    expect(answer.reasons.map((r) => r.code)).toEqual(["unresolved"]);
    expect(answer.reasons[0].message).toContain("specs/logo.md");
    expect(answer.reasons[0].message).toContain("a file the import skipped: binary");
  });

  it("leaves files no kind rule governs out of the baseline", async () => {
    const { commit, name, repositoryId } = await setUp({ "specs/ok/spec.md": "# OK\n", "src/index.ts": "export {};\n", "notes.txt": "x\n" });
    await decide(repositoryId, "specs/ok/spec.md", "approve");
    const service = randomName("svc");
    expect((await record({ service, version: "1", environment: ENV, commit, repository: name })).specs).toMatchObject({ baseline: 1, unresolved: 0 });
    expect(await ask(service, "1")).toMatchObject({ ok: true, checked: 1 });
  });

  it("holds a contract recognised by its content, also one a branch adds that nobody imported", async () => {
    const openapi = "openapi: 3.0.3\ninfo:\n  title: Pay\n  version: '1'\npaths: {}\n";
    const { repo, commit, name, repositoryId } = await setUp({ "specs/ok/spec.md": "# OK\n", "api/pay.yaml": openapi, "deploy/app.yaml": "kind: Service\n" });
    await decide(repositoryId, "specs/ok/spec.md", "approve");
    await decide(repositoryId, "api/pay.yaml", "approve");
    const service = randomName("svc");
    expect((await record({ service, version: "1", environment: ENV, commit, repository: name })).specs).toMatchObject({ baseline: 2, unresolved: 0 });
    expect(await ask(service, "1")).toMatchObject({ ok: true, checked: 2 });

    // A branch adds an AsyncAPI file under a name no kind rule knows: the gate still sees it.
    repo.git("checkout", "-q", "-b", "events");
    const events = repo.commit("events", { "docs/events.json": '{"asyncapi": "3.0.0", "info": {"title": "e", "version": "1"}}\n' });
    repo.git("checkout", "-q", "main");
    const recorded = await record({ service, version: "2", environment: ENV, commit: events, repository: name });
    expect(recorded.specs).toMatchObject({ baseline: 3, unresolved: 1 });
    const answer = await ask(service, "2");
    expect(answer.ok).toBe(false);
    expect(answer.reasons.map((r) => r.code)).toEqual(["unresolved"]);
    expect(answer.reasons[0].message).toContain("docs/events.json");
  });

  it("holds a contract the import stored, at a commit where its text no longer declares one, even after it was deleted", async () => {
    const openapi = "openapi: 3.0.3\ninfo:\n  title: Ship\n  version: '1'\npaths: {}\n";
    const { repo, name, repositoryId } = await setUp({ "specs/ok/spec.md": "# OK\n", "api/ship.yaml": openapi });
    await decide(repositoryId, "specs/ok/spec.md", "approve");
    await decide(repositoryId, "api/ship.yaml", "approve");
    const broken = repo.commit("unreviewed rewrite", { "api/ship.yaml": "paths:\n  /everything: {}\n" });
    repo.commit("gone", { "api/ship.yaml": null });
    await importRepository({ repositoryId });
    const service = randomName("svc");
    expect((await record({ service, version: "1", environment: ENV, commit: broken, repository: name })).specs).toMatchObject({ baseline: 2, unresolved: 0 });
    const answer = await ask(service, "1");
    expect(answer.ok).toBe(false);
    // Text that parses as no contract cannot be classified: it counts as breaking, and nobody approved it.
    expect(answer.reasons.map((r) => r.code)).toEqual(["unapproved-breaking"]);
    expect(answer.reasons[0].message).toContain("api/ship.yaml");
  });
});

describe("identical bytes, one answer", () => {
  const P = "specs/pay/spec.md";

  it("content rejected in review stays rejected when a later commit brings the same bytes back", async () => {
    const BAD = "# Pay\n\nRefunds need no approval.\n";
    const { repo, name, repositoryId } = await setUp({ [P]: BAD });
    await decide(repositoryId, P, "reject");
    repo.commit("fix", { [P]: "# Pay\n\nRefunds over $100 need approval.\n" });
    await importRepository({ repositoryId });
    const back = repo.commit("bring it back", { [P]: BAD });
    await importRepository({ repositoryId });

    const versions = await db.specVersion.findMany({
      where: { spec: { repositoryId } },
      orderBy: { seq: "asc" },
      select: { change: { select: { state: true } } },
    });
    expect(versions.map((v) => v.change?.state)).toEqual(["rejected", "superseded", "rejected"]);
    const reasons = await db.reviewDecision.findMany({ where: { change: { spec: { repositoryId } }, kind: "reject", reviewerLabel: "import" } });
    expect(reasons).toHaveLength(1);
    expect(reasons[0].body).toMatch(/exactly the bytes rejected in change #\d+/);

    const service = randomName("svc");
    await record({ service, version: "a", environment: ENV, commit: back, repository: name });
    await record({ service, version: "b", environment: ENV, specs: [{ repository: name, path: P, commit: back }] });
    for (const version of ["a", "b"]) {
      const answer = await ask(service, version);
      expect(answer.ok, version).toBe(false);
      expect(answer.reasons.map((r) => r.code)).toEqual(["rejected"]);
    }
  });

  it("content approved before is approved again when a revert brings the same bytes back", async () => {
    const GOOD = "# Pay\n\nRefunds over $100 need approval.\n";
    const { repo, name, repositoryId } = await setUp({ [P]: GOOD });
    await decide(repositoryId, P, "approve");
    repo.commit("experiment", { [P]: "# Pay\n\nAn experiment.\n" });
    await importRepository({ repositoryId });
    const back = repo.commit("revert", { [P]: GOOD });
    await importRepository({ repositoryId });

    const versions = await db.specVersion.findMany({
      where: { spec: { repositoryId } },
      orderBy: { seq: "asc" },
      select: { change: { select: { state: true } } },
    });
    expect(versions.map((v) => v.change?.state)).toEqual(["approved", "superseded", "approved"]);
    const service = randomName("svc");
    await record({ service, version: "a", environment: ENV, commit: back, repository: name });
    await record({ service, version: "b", environment: ENV, specs: [{ repository: name, path: P, commit: back }] });
    expect((await ask(service, "a")).ok).toBe(true);
    expect((await ask(service, "b")).ok).toBe(true);
  });
});
