import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { setEnvironmentPolicy } from "@/lib/operations/provenance";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";

const gate = await import("./route");
const deployments = await import("../deployments/route");
const runs = await import("../runs/route");
const waivers = await import("../waivers/route");
const revoke = await import("../waivers/[id]/revoke/route");

const noParams = { params: Promise.resolve({}) };
const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let ciToken: string;
let adminToken: string;
let admin: { id: string; email: string };
let repoName: string;
let commit: string;
let unreviewedChange: number;
const SPEC = "specs/gate/spec.md";

beforeAll(async () => {
  const ci = await db.user.create({
    data: { email: `${randomName("ci")}@gate.test`, name: "ci", role: "maintainer" },
    select: { id: true, email: true, role: true },
  });
  ciToken = (await createToken(ci, { name: "ci", scopes: ["runs:write", "deployments:write", "specs:read"], expiresInDays: 1 })).token;
  const adminUser = await db.user.create({
    data: { email: `${randomName("maya")}@gate.test`, name: "maya", role: "admin" },
    select: { id: true, email: true, role: true },
  });
  admin = adminUser;
  adminToken = (await createToken(adminUser, { name: "admin", scopes: ["admin"], expiresInDays: 1 })).token;
  const repo = TestRepo.create();
  repos.push(repo);
  commit = repo.commit("spec", { [SPEC]: "# Gate\n\nnever reviewed\n" });
  repoName = randomName("gate");
  const { id } = await db.repository.create({ data: { name: repoName, source: repo.path } });
  await importRepository({ repositoryId: id });
  unreviewedChange = (await db.change.findFirstOrThrow({ where: { spec: { repositoryId: id, path: SPEC } } })).number;
});

function call(url: string, token: string, body?: unknown) {
  return new NextRequest(`http://localhost${url}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

type Answer = {
  ok: boolean;
  summary: string;
  checked: number;
  reasons: { code: string; message: string }[];
  waivedBy: { id: string; by: string; reason: string } | null;
  recordedIn: string[];
};

async function ask(service: string, version: string, environment: string): Promise<Answer> {
  const response = await gate.GET(call(`/api/v1/can-i-deploy?service=${service}&version=${version}&environment=${environment}`, ciToken), noParams);
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}

async function record(service: string, version: string, environment: string, extra: Record<string, unknown> = {}) {
  const response = await deployments.POST(call("/api/v1/deployments", ciToken, { service, version, environment, ...extra }), noParams);
  expect(response.status, await response.clone().text()).toBe(201);
}

async function unreviewedRun(): Promise<string> {
  const response = await runs.POST(
    call("/api/v1/runs", ciToken, { externalId: randomName("run"), agent: "codex", specs: [{ repository: repoName, path: SPEC, commit }] }),
    noParams,
  );
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function waive(service: string, version: string, environment: string, expiresAt = new Date(Date.now() + 86_400_000).toISOString()) {
  const response = await waivers.POST(
    call("/api/v1/waivers", adminToken, { service, version, environment, reason: "hotfix for incident 4711", expiresAt }),
    noParams,
  );
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; state: string; createdBy: string };
}

type Scenario = { setUp: (service: string) => Promise<void>; environment: string; ok: boolean; codes: string[]; waived?: boolean };

const SCENARIOS: [string, Scenario][] = [
  [
    "no spec references at all: no, unknown provenance (checked 0 is never a pass)",
    { setUp: (s) => record(s, "1.0.0", "production"), environment: "production", ok: false, codes: ["unknown-provenance"] },
  ],
  [
    "a second record of the version without references does not hide what the first one recorded",
    {
      setUp: async (s) => {
        await record(s, "1.0.0", "staging", { runs: [await unreviewedRun()] });
        await record(s, "1.0.0", "production");
      },
      environment: "production",
      ok: false,
      codes: ["unreviewed"],
    },
  ],
  [
    "references to an unapproved spec version: no",
    {
      setUp: (s) => record(s, "1.0.0", "staging", { specs: [{ repository: repoName, path: SPEC, commit }] }),
      environment: "production",
      ok: false,
      codes: ["unreviewed"],
    },
  ],
  [
    "recorded only in an environment that lets unreviewed specs through: the answer for production follows production's policy",
    {
      setUp: async (s) => {
        const lenient = `lenient-${s}`;
        await record(s, "1.0.0", lenient, { runs: [await unreviewedRun()] });
        const env = await db.environment.findUniqueOrThrow({ where: { name: lenient } });
        await setEnvironmentPolicy({ ...admin, role: "admin" }, { environmentId: env.id, allow: true });
        expect((await ask(s, "1.0.0", lenient)).ok).toBe(true);
      },
      environment: "production",
      ok: false,
      codes: ["unreviewed"],
    },
  ],
  [
    "a waiver for another environment changes nothing here",
    {
      setUp: async (s) => {
        await record(s, "1.0.0", "staging", { runs: [await unreviewedRun()] });
        await waive(s, "1.0.0", "staging");
      },
      environment: "production",
      ok: false,
      codes: ["unreviewed"],
    },
  ],
  [
    "an active waiver: yes, by the waiver, still listing what it waived",
    {
      setUp: async (s) => {
        await record(s, "1.0.0", "staging", { runs: [await unreviewedRun()] });
        await waive(s, "1.0.0", "production");
      },
      environment: "production",
      ok: true,
      codes: ["unreviewed"],
      waived: true,
    },
  ],
  [
    "an expired waiver: no",
    {
      setUp: async (s) => {
        await record(s, "1.0.0", "staging", { runs: [await unreviewedRun()] });
        // Written directly: the API refuses an expiry in the past.
        await db.gateWaiver.create({
          data: {
            service: s,
            version: "1.0.0",
            environment: "production",
            reason: "expired yesterday",
            expiresAt: new Date(Date.now() - 86_400_000),
            createdById: admin.id,
            createdAt: new Date(Date.now() - 2 * 86_400_000),
          },
        });
      },
      environment: "production",
      ok: false,
      codes: ["unreviewed"],
    },
  ],
  [
    "a revoked waiver: no",
    {
      setUp: async (s) => {
        await record(s, "1.0.0", "staging", { runs: [await unreviewedRun()] });
        const w = await waive(s, "1.0.0", "production");
        expect((await revoke.POST(call(`/api/v1/waivers/${w.id}/revoke`, adminToken, {}), { params: Promise.resolve({ id: w.id }) })).status).toBe(200);
      },
      environment: "production",
      ok: false,
      codes: ["unreviewed"],
    },
  ],
];

describe("can-i-deploy, per environment and failing closed", () => {
  it.each(SCENARIOS)("%s", async (_name, scenario) => {
    const service = randomName("svc");
    await scenario.setUp(service);
    const answer = await ask(service, "1.0.0", scenario.environment);
    expect(answer.ok).toBe(scenario.ok);
    expect(answer.reasons.map((r) => r.code)).toEqual(scenario.codes);
    if (scenario.waived) {
      expect(answer.waivedBy).toMatchObject({ by: admin.email, reason: "hotfix for incident 4711" });
      expect(answer.summary).toMatch(new RegExp(`^Yes, by waiver ${answer.waivedBy!.id} from ${admin.email}: hotfix for incident 4711, until `));
    } else {
      expect(answer.waivedBy).toBeNull();
    }
    if (!scenario.ok) expect(answer.summary).toMatch(/^No: /);
  });

  it("explains a no in sentences: which spec, which version and commit, and what to do", async () => {
    const service = randomName("svc");
    await record(service, "1.0.0", "staging", { runs: [await unreviewedRun()] });
    const [reason] = (await ask(service, "1.0.0", "production")).reasons;
    expect(reason.message).toBe(
      `${repoName}:${SPEC} version 1 (commit ${commit.slice(0, 7)}) was never approved. Approve change #${unreviewedChange}, or ask an admin to let unreviewed specs through to production.`,
    );
    const unknown = randomName("svc");
    await record(unknown, "2.0.0", "production");
    const answer = await ask(unknown, "2.0.0", "production");
    expect(answer).toMatchObject({ ok: false, checked: 0, recordedIn: ["production"] });
    expect(answer.reasons[0].message).toContain("record the runs that built 2.0.0 with `specledger run report`".replace(/^r/, "R"));
  });

  it("an open error finding on a current spec version blocks until a reviewer acknowledges it", async () => {
    const service = randomName("svc");
    await record(service, "1.0.0", "staging", { runs: [await unreviewedRun()] });
    const spec = await db.spec.findFirstOrThrow({ where: { repository: { name: repoName }, path: SPEC } });
    const finding = await db.finding.create({
      data: {
        fingerprint: randomName("gate-finding"),
        type: "lint",
        rule: "spec-needs-clarification",
        severity: "error",
        repositoryId: spec.repositoryId,
        specId: spec.id,
        message: "The spec still has an unresolved [NEEDS CLARIFICATION] marker.",
        evidence: {},
      },
    });
    // Unreviewed specs let through, so the finding is the only reason left.
    const lenient = randomName("sandbox");
    await record(service, "1.0.0", lenient);
    await db.environment.update({ where: { name: lenient }, data: { allowUnreviewed: true } });
    const blocked = await ask(service, "1.0.0", lenient);
    expect(blocked.reasons.map((r) => r.code)).toEqual(["blocking-finding"]);
    expect(blocked.reasons[0].message).toContain(`finding ${finding.id}`);
    await db.finding.update({ where: { id: finding.id }, data: { status: "acknowledged" } });
    expect((await ask(service, "1.0.0", lenient)).ok).toBe(true);
    await db.finding.delete({ where: { id: finding.id } });
  });

  it("an unapproved contract version that breaks consumers is a no even where unreviewed specs may pass", async () => {
    const api = (paths: object) => JSON.stringify({ openapi: "3.1.0", info: { title: "Pets", version: "1" }, paths }, null, 2);
    const get = { responses: { "200": { description: "ok" } } };
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit("v1", { "api/openapi.json": api({ "/pets": { get }, "/pets/{id}": { get } }) });
    const breaking = repo.commit("v2", { "api/openapi.json": api({ "/pets": { get } }) });
    const name = randomName("contract-gate");
    const { id } = await db.repository.create({ data: { name, source: repo.path } });
    await importRepository({ repositoryId: id });
    const service = randomName("svc");
    const lenient = randomName("sandbox");
    await record(service, "1.0.0", lenient, { specs: [{ repository: name, path: "api/openapi.json", commit: breaking }] });
    await db.environment.update({ where: { name: lenient }, data: { allowUnreviewed: true } });
    const answer = await ask(service, "1.0.0", lenient);
    expect(answer.ok).toBe(false);
    expect(answer.reasons.map((r) => r.code)).toEqual(["unapproved-breaking"]);
    expect(answer.reasons[0].message).toContain("1 breaking: removed `GET /pets/{id}`");

    // The same for a contract version that only adds: unreviewed is let through there.
    repo.commit("v3", { "api/openapi.json": api({ "/pets": { get }, "/owners": { get } }) });
    const additive = repo.commit("v4", { "api/openapi.json": api({ "/pets": { get }, "/owners": { get }, "/vets": { get } }) });
    await importRepository({ repositoryId: id });
    const other = randomName("svc");
    await record(other, "1.0.0", lenient, { specs: [{ repository: name, path: "api/openapi.json", commit: additive }] });
    expect((await ask(other, "1.0.0", lenient)).ok).toBe(true);
  });

  it("an unknown version is still a 404", async () => {
    const response = await gate.GET(call(`/api/v1/can-i-deploy?service=${randomName("svc")}&version=1&environment=production`, ciToken), noParams);
    expect(response.status).toBe(404);
  });
});

describe("waivers", () => {
  it("are recorded and revoked by admins only, audited, listed while active", async () => {
    const service = randomName("svc");
    await record(service, "1.0.0", "staging");
    const w = await waive(service, "1.0.0", "production");
    expect(w).toMatchObject({ state: "active", createdBy: admin.email });
    const listed = (await (await waivers.GET(call(`/api/v1/waivers?service=${service}`, ciToken), noParams)).json()) as { waivers: { id: string }[] };
    expect(listed.waivers.map((x) => x.id)).toEqual([w.id]);

    const params = { params: Promise.resolve({ id: w.id }) };
    expect((await revoke.POST(call(`/api/v1/waivers/${w.id}/revoke`, ciToken, {}), params)).status).toBe(403);
    const revoked = await revoke.POST(call(`/api/v1/waivers/${w.id}/revoke`, adminToken, {}), params);
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ state: "revoked", revokedBy: admin.email });
    expect((await revoke.POST(call(`/api/v1/waivers/${w.id}/revoke`, adminToken, {}), params)).status).toBe(409);
    expect((await revoke.POST(call("/api/v1/waivers/nope/revoke", adminToken, {}), { params: Promise.resolve({ id: "nope" }) })).status).toBe(404);

    const active = (await (await waivers.GET(call(`/api/v1/waivers?service=${service}`, ciToken), noParams)).json()) as { waivers: unknown[] };
    expect(active.waivers).toEqual([]);
    const all = (await (await waivers.GET(call(`/api/v1/waivers?service=${service}&state=all`, ciToken), noParams)).json()) as { waivers: { state: string }[] };
    expect(all.waivers.map((x) => x.state)).toEqual(["revoked"]);
    const audit = await db.auditEvent.findMany({ where: { subject: `waiver:${w.id}` }, orderBy: { seq: "asc" }, select: { action: true, actorId: true } });
    expect(audit).toEqual([
      { action: "waiver.created", actorId: admin.id },
      { action: "waiver.revoked", actorId: admin.id },
    ]);
    // The table itself refuses any other change.
    await expect(db.gateWaiver.update({ where: { id: w.id }, data: { reason: "rewritten after the fact" } })).rejects.toThrow();
    await expect(db.gateWaiver.delete({ where: { id: w.id } })).rejects.toThrow();
  });

  it("refuses the wrong role, short reasons, long or past expiries and unknown versions, and records nothing", async () => {
    const service = randomName("svc");
    await record(service, "1.0.0", "staging");
    const body = {
      service,
      version: "1.0.0",
      environment: "production",
      reason: "hotfix for incident 4711",
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const cases: [string, string, Record<string, unknown>, number][] = [
      ["a maintainer's token", ciToken, body, 403],
      ["a reason under 10 characters", adminToken, { ...body, reason: "because" }, 422],
      ["an expiry 31 days away", adminToken, { ...body, expiresAt: new Date(Date.now() + 31 * 86_400_000).toISOString() }, 422],
      ["an expiry in the past", adminToken, { ...body, expiresAt: new Date(Date.now() - 60_000).toISOString() }, 422],
      ["a version nobody recorded", adminToken, { ...body, version: "9.9.9" }, 422],
      ["an unknown field", adminToken, { ...body, extra: true }, 422],
      ["a NUL in the reason", adminToken, { ...body, reason: "hotfix\u0000 for incident" }, 422],
    ];
    for (const [name, token, payload, status] of cases) {
      const response = await waivers.POST(call("/api/v1/waivers", token, payload), noParams);
      expect(response.status, name).toBe(status);
    }
    expect(await db.gateWaiver.count({ where: { service } })).toBe(0);
  });
});
