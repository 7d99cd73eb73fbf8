import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { versionImpact } from "@/lib/deployments";
import { decideChange, proposeChange } from "@/lib/operations/reviews";
import { hashContent } from "@/lib/specs/content";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";

const deployments = await import("./route");
const deployment = await import("./[id]/route");
const runs = await import("../runs/route");
const gate = await import("../can-i-deploy/route");
const versions = await import("../versions/[id]/route");
const environments = await import("../environments/route");

const noParams = { params: Promise.resolve({}) };
const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let token: string;
let repoName: string;
let repo: TestRepo;
let repositoryId: string;
let reviewer: { id: string; email: string; role: "reviewer" };
let commit: string;
const SPEC = "specs/pay/spec.md";

beforeAll(async () => {
  const owner = await db.user.create({
    data: { email: `${randomName("ci")}@deploy.test`, name: "ci", role: "maintainer" },
    select: { id: true, email: true, role: true },
  });
  reviewer = (await db.user.create({
    data: { email: `${randomName("rev")}@deploy.test`, name: "rev", role: "reviewer" },
    select: { id: true, email: true, role: true },
  })) as typeof reviewer;
  token = (await createToken(owner, { name: "ci", scopes: ["runs:write", "deployments:write", "specs:read"], expiresInDays: 1 })).token;
  repo = TestRepo.create();
  repos.push(repo);
  commit = repo.commit("specs", { [SPEC]: "# Pay\n\nv1\n", "AGENTS.md": "# Agents\n", "src/a.ts": "export {};\n" });
  repoName = randomName("deploy");
  repositoryId = (await db.repository.create({ data: { name: repoName, source: repo.path } })).id;
  await importRepository({ repositoryId });
});

const auth = { authorization: "" };
function req(url: string, body?: unknown) {
  auth.authorization = `Bearer ${token}`;
  return new NextRequest(`http://localhost${url}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { ...auth, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function approveAll() {
  const open = await db.change.findMany({ where: { spec: { repositoryId }, state: "unreviewed" } });
  for (const c of open) await decideChange(reviewer, { number: c.number, kind: "approve", contentHash: c.currentHash });
}

async function ask(service: string, version: string, environment: string, extra = "") {
  const response = await gate.GET(req(`/api/v1/can-i-deploy?service=${service}&version=${version}&environment=${environment}${extra}`), noParams);
  return { status: response.status, body: (await response.json()) as { ok: boolean; reasons: { code: string }[] } };
}

describe("deployments and the provenance questions", () => {
  it("links runs, named versions and the commit's baseline; a new deployment replaces the live one, side by side is possible", async () => {
    const service = randomName("svc");
    const run = await (
      await runs.POST(
        req("/api/v1/runs", { externalId: randomName("run"), agent: "codex", repository: repoName, specs: [{ repository: repoName, path: SPEC, commit }] }),
        noParams,
      )
    ).json();
    const first = await deployments.POST(
      req("/api/v1/deployments", {
        service,
        environment: "staging",
        version: "1.0.0",
        commit,
        repository: repoName,
        runs: [(run as { id: string }).id],
        specs: [{ contentHash: hashContent(Buffer.from("# Agents\n")) }],
      }),
      noParams,
    );
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };

    const tree = (await (await deployment.GET(req(`/api/v1/deployments/${id}`), { params: Promise.resolve({ id }) })).json()) as {
      live: boolean;
      direct: { version: { path: string } }[];
      baseline: { version: { path: string; reviewState: string } }[];
      runs: { refs: { version: { path: string; current: boolean } }[] }[];
    };
    expect(tree.live).toBe(true);
    expect(tree.direct.map((r) => r.version.path)).toEqual(["AGENTS.md"]);
    expect(tree.baseline.map((r) => r.version.path).sort()).toEqual(["AGENTS.md", SPEC]);
    expect(tree.runs[0].refs[0].version).toMatchObject({ path: SPEC, current: true });

    const specVersion = await db.specVersion.findFirstOrThrow({ where: { spec: { repositoryId, path: SPEC } } });
    const impact = (await (await versions.GET(req(`/api/v1/versions/${specVersion.id}`), { params: Promise.resolve({ id: specVersion.id }) })).json()) as {
      runs: { id: string }[];
      deployments: { id: string; how: string }[];
    };
    expect(impact.runs.map((r) => r.id)).toEqual([(run as { id: string }).id]);
    expect(impact.deployments).toEqual([expect.objectContaining({ id, how: "baseline" })]);
    // The API sends the database's JSON text: the same answer, key for key, as the object the spec page reads.
    expect(impact).toEqual(JSON.parse(JSON.stringify(await versionImpact(reviewer, specVersion.id))));
    const limited = await versions.GET(req(`/api/v1/versions/${specVersion.id}?limit=1`), { params: Promise.resolve({ id: specVersion.id }) });
    expect(await limited.json()).toEqual(JSON.parse(JSON.stringify(await versionImpact(reviewer, specVersion.id, { limit: 1 }))));
    const unknown = await versions.GET(req("/api/v1/versions/no-such-version"), { params: Promise.resolve({ id: "no-such-version" }) });
    expect(unknown.status).toBe(404);

    const second = (await (await deployments.POST(req("/api/v1/deployments", { service, environment: "staging", version: "1.0.1" }), noParams)).json()) as {
      id: string;
      replaced: { version: string }[];
    };
    expect(second.replaced.map((r) => r.version)).toEqual(["1.0.0"]);
    const canary = (await (
      await deployments.POST(req("/api/v1/deployments", { service, environment: "staging", version: "1.1.0-canary", alongside: true }), noParams)
    ).json()) as { replaced: unknown[] };
    expect(canary.replaced).toEqual([]);
    const envs = (await (await environments.GET(req("/api/v1/environments"), noParams)).json()) as {
      environments: { name: string; live: { service: string; version: string }[] }[];
    };
    const staging = envs.environments.find((e) => e.name === "staging")!;
    expect(
      staging.live
        .filter((d) => d.service === service)
        .map((d) => d.version)
        .sort(),
    ).toEqual(["1.0.1", "1.1.0-canary"]);
  });

  it("refuses unknown runs, unknown repositories and bad bodies, and records nothing", async () => {
    const before = await db.deployment.count();
    expect((await deployments.POST(req("/api/v1/deployments", { service: "s", environment: "e", version: "1", runs: ["nope"] }), noParams)).status).toBe(422);
    expect((await deployments.POST(req("/api/v1/deployments", { service: "s", environment: "e", version: "1", repository: "nope" }), noParams)).status).toBe(
      422,
    );
    expect((await deployments.POST(req("/api/v1/deployments", { service: "has space", environment: "e", version: "1" }), noParams)).status).toBe(422);
    expect(await db.deployment.count()).toBe(before);
  });
});

describe("can-i-deploy", () => {
  it("answers every outcome", async () => {
    const service = randomName("gate");
    expect((await ask(service, "1.0.0", "production")).status).toBe(404);

    // Unreviewed content behind the version: no, unless allowed.
    await deployments.POST(req("/api/v1/deployments", { service, environment: "staging", version: "1.0.0", commit, repository: repoName }), noParams);
    expect((await ask(service, "1.0.0", "production")).body).toMatchObject({ ok: false, reasons: [{ code: "unreviewed" }, { code: "unreviewed" }] });
    // Asking to let unreviewed specs through, where the environment does not, is an admin's call.
    expect((await ask(service, "1.0.0", "production", "&allowUnreviewed=true")).status).toBe(403);
    const admin = await db.user.create({
      data: { email: `${randomName("admin")}@deploy.test`, name: "a", role: "admin" },
      select: { id: true, email: true, role: true },
    });
    const adminToken = (await createToken(admin, { name: "admin", scopes: ["admin"], expiresInDays: 1 })).token;
    const asAdmin = await gate.GET(
      new NextRequest(`http://localhost/api/v1/can-i-deploy?service=${service}&version=1.0.0&environment=production&allowUnreviewed=true`, {
        headers: { authorization: `Bearer ${adminToken}` },
      }),
      noParams,
    );
    expect(((await asAdmin.json()) as { ok: boolean }).ok).toBe(true);

    // Approved: yes.
    await approveAll();
    expect((await ask(service, "1.0.0", "production")).body).toMatchObject({ ok: true, reasons: [] });

    // A proposal's content that is not approved: no.
    const spec = await db.spec.findFirstOrThrow({ where: { repositoryId, path: SPEC } });
    const proposal = await proposeChange(reviewer, { specId: spec.id, content: "# Pay\n\nproposed\n", title: "p" });
    await deployments.POST(
      req("/api/v1/deployments", { service, environment: "staging", version: "1.1.0", specs: [{ contentHash: proposal.currentHash }] }),
      noParams,
    );
    expect((await ask(service, "1.1.0", "production")).body.reasons.map((r) => r.code)).toEqual(["proposed"]);

    // Unresolvable: no (fails closed).
    await deployments.POST(
      req("/api/v1/deployments", { service, environment: "staging", version: "1.2.0", specs: [{ contentHash: "e".repeat(64) }] }),
      noParams,
    );
    expect((await ask(service, "1.2.0", "production")).body.reasons.map((r) => r.code)).toEqual(["unresolved"]);

    // A newer approved version marked breaking: the old one is refused; the new one passes.
    const next = repo.commit("v2", { [SPEC]: "# Pay\n\nv2, breaking\n" });
    await importRepository({ repositoryId });
    const change = await db.change.findFirstOrThrow({ where: { spec: { repositoryId, path: SPEC }, state: "unreviewed" } });
    await decideChange(reviewer, { number: change.number, kind: "approve", contentHash: change.currentHash, breaking: true });
    expect((await ask(service, "1.0.0", "production")).body.reasons.map((r) => r.code)).toEqual(["superseded-breaking"]);
    await deployments.POST(req("/api/v1/deployments", { service, environment: "staging", version: "2.0.0", commit: next, repository: repoName }), noParams);
    expect((await ask(service, "2.0.0", "production")).body.ok).toBe(true);

    // Rejected: no.
    const rejected = repo.commit("v3", { [SPEC]: "# Pay\n\nv3, wrong\n" });
    await importRepository({ repositoryId });
    const bad = await db.change.findFirstOrThrow({ where: { spec: { repositoryId, path: SPEC }, state: "unreviewed" } });
    await decideChange(reviewer, { number: bad.number, kind: "reject", contentHash: bad.currentHash, body: "no" });
    await deployments.POST(req("/api/v1/deployments", { service, environment: "staging", version: "3.0.0", commit: rejected, repository: repoName }), noParams);
    expect((await ask(service, "3.0.0", "production")).body.reasons.map((r) => r.code)).toEqual(["rejected"]);
  });
});

describe("an environment's policy", () => {
  it("lets admins allow unreviewed spec versions through to one environment, audited", async () => {
    const { setEnvironmentPolicy } = await import("@/lib/operations/provenance");
    const service = randomName("envpol");
    const environment = randomName("sandbox");
    const fresh = repo.commit("an unreviewed spec", { "specs/envpol/spec.md": `# ${service}\n` });
    await importRepository({ repositoryId });
    await deployments.POST(
      req("/api/v1/deployments", {
        service,
        environment: "staging",
        version: "1.0.0",
        specs: [{ repository: repoName, path: "specs/envpol/spec.md", commit: fresh }],
      }),
      noParams,
    );
    await deployments.POST(req("/api/v1/deployments", { service: randomName("x"), environment, version: "0" }), noParams);
    const env = await db.environment.findUniqueOrThrow({ where: { name: environment } });
    expect((await ask(service, "1.0.0", environment)).body).toMatchObject({ ok: false, reasons: [{ code: "unreviewed" }] });
    await expect(setEnvironmentPolicy(reviewer, { environmentId: env.id, allow: true })).rejects.toMatchObject({ code: "forbidden" });
    const admin = await db.user.create({
      data: { email: `${randomName("admin")}@deploy.test`, name: "a", role: "admin" },
      select: { id: true, email: true, role: true },
    });
    await setEnvironmentPolicy(admin, { environmentId: env.id, allow: true });
    expect((await ask(service, "1.0.0", environment)).body.ok).toBe(true);
    expect((await ask(service, "1.0.0", "staging")).body.ok).toBe(false);
    expect(await db.auditEvent.count({ where: { subject: `environment:${env.id}`, action: "environment.policy_changed" } })).toBe(1);
  });
});
