// Each event is emitted by the write that causes it, after that write committed.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { recomputeFindings } from "@/lib/findings/store";
import { createSubscription } from "@/lib/operations/notifications";
import { recordDeployment } from "@/lib/operations/provenance";
import { requestImportHere } from "@/lib/operations/repositories";
import { decideChange, proposeChange } from "@/lib/operations/reviews";
import { createToken } from "@/lib/operations/workspace";
import { importRepository } from "@/lib/repositories/import";
import { runImport, SYSTEM_VIEWER } from "@/lib/repositories";
import { TestRepo, randomName } from "@/lib/testing/git-repo";

process.env.SPECLEDGER_WEBHOOK_ALLOW = "127.0.0.1";
const gate = await import("@/app/api/v1/can-i-deploy/route");

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let admin: { id: string; email: string; role: "admin" };
let reviewer: { id: string; email: string; role: "reviewer" };
let repo: TestRepo;
let repository: { id: string; name: string };
let subscriptionId: string;
const SPEC = "specs/pay/spec.md";

beforeAll(async () => {
  admin = (await db.user.create({
    data: { email: `${randomName("admin")}@events.test`, name: "a", role: "admin" },
    select: { id: true, email: true, role: true },
  })) as typeof admin;
  reviewer = (await db.user.create({
    data: { email: `${randomName("rev")}@events.test`, name: "r", role: "reviewer" },
    select: { id: true, email: true, role: true },
  })) as typeof reviewer;
  repo = TestRepo.create();
  repos.push(repo);
  repo.commit("spec", {
    [SPEC]: "# Pay\n\nThe system shall pay.\n",
    // An open question: a lint finding for finding.opened.
    "specs/open/spec.md": "# Open\n\nThe system shall refund. [NEEDS CLARIFICATION: who pays?]\n",
    "AGENTS.md": "# Agents\n",
  });
  repository = await db.repository.create({ data: { name: randomName("events"), source: repo.path }, select: { id: true, name: true } });
  await importRepository({ repositoryId: repository.id });
  // Subscribed to everything about this repository, and to the events that have no repository.
  subscriptionId = (
    await createSubscription(admin, {
      url: "http://127.0.0.1:9/hook",
      events: ["change.proposed", "change.approved", "change.changes_requested", "finding.opened", "import.failed", "deployment.recorded"],
      repositoryId: repository.id,
    })
  ).id;
});

const eventsOf = (type: string) => db.notificationEvent.findMany({ where: { type, repositoryId: repository.id }, orderBy: { occurredAt: "asc" } });
const jobsFor = async (eventId: string) =>
  (
    await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'deliver-notification' AND data->>'eventId' = ${eventId} AND data->>'subscriptionId' = ${subscriptionId}`
  )[0].n;

describe("events", () => {
  it("change.proposed, change.changes_requested and change.approved come from the review operations", async () => {
    const change = await proposeChange(admin, { repository: repository.name, path: SPEC, content: "# Pay\n\nThe system shall pay twice.\n", title: "twice" });
    await decideChange(reviewer, { number: change.number, kind: "request_changes", contentHash: change.currentHash, body: "why?" });
    await decideChange(reviewer, { number: change.number, kind: "approve", contentHash: change.currentHash });
    const state = (await db.change.findUniqueOrThrow({ where: { number: change.number } })).state;
    // One reviewer's approval satisfies the default policy of an unowned spec.
    expect(state).toBe("approved");
    for (const type of ["change.proposed", "change.changes_requested", "change.approved"]) {
      const [event] = (await eventsOf(type)).filter((e) => (e.data as { number: number }).number === change.number);
      expect(event, type).toBeDefined();
      expect(event.path).toBe(SPEC);
      expect(await jobsFor(event.id)).toBe(1);
    }
    // A comment is not an event.
    const before = await db.notificationEvent.count({ where: { repositoryId: repository.id } });
    await decideChange(reviewer, { number: change.number, kind: "comment", contentHash: change.currentHash, body: "fine" }).catch(() => undefined);
    expect(await db.notificationEvent.count({ where: { repositoryId: repository.id } })).toBe(before);
  });

  it("finding.opened for each new finding, once", async () => {
    await recomputeFindings({ repositoryId: repository.id });
    const open = await db.finding.findMany({ where: { repositoryId: repository.id, status: "open" }, select: { id: true } });
    expect(open.length).toBeGreaterThan(0);
    const events = await eventsOf("finding.opened");
    expect(events.map((e) => (e.data as { findingId: string }).findingId).sort()).toEqual(open.map((f) => f.id).sort());
    await recomputeFindings({ repositoryId: repository.id });
    expect(await eventsOf("finding.opened")).toHaveLength(events.length);
  });

  it("deployment.recorded, and gate.denied when can-i-deploy says no, without changing its answer", async () => {
    const service = randomName("svc");
    await recordDeployment(admin, { service, environment: "staging", version: "1.0.0", repository: repository.name });
    const [recorded] = (await eventsOf("deployment.recorded")).filter((e) => (e.data as { service: string }).service === service);
    expect(recorded).toBeDefined();
    await createSubscription(admin, { url: "http://127.0.0.1:9/hook", events: ["gate.denied"] });
    const token = (await createToken(admin, { name: "gate", scopes: ["specs:read"], expiresInDays: 1 })).token;
    const response = await gate.GET(
      new NextRequest(`http://localhost/api/v1/can-i-deploy?service=${service}&version=1.0.0&environment=production`, {
        headers: { authorization: `Bearer ${token}` },
      }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { ok: boolean };
    const denied = await db.notificationEvent.findMany({ where: { type: "gate.denied", data: { path: ["service"], equals: service } } });
    expect(denied).toHaveLength(answer.ok ? 0 : 1);
    expect(answer.ok).toBe(false);
  });

  it("import.failed when an import fails", async () => {
    const broken = TestRepo.create();
    broken.commit("spec", { "specs/a.md": "# A\n" });
    const added = await db.repository.create({ data: { name: randomName("broken"), source: broken.path } });
    await createSubscription(admin, { url: "http://127.0.0.1:9/hook", events: ["import.failed"], repositoryId: added.id });
    broken.remove();
    const record = await requestImportHere(SYSTEM_VIEWER, { repositoryId: added.id });
    const failed = await runImport({ importId: record.id });
    expect(failed.status).toBe("failed");
    const events = await db.notificationEvent.findMany({ where: { type: "import.failed", repositoryId: added.id } });
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining({ importId: record.id, repository: added.name })]);
    // The import's own error names the missing local path (admins read it); the notification leaves the server without it.
    expect(failed.error).toContain(broken.path);
    const sent = (events[0].data as { error: string }).error;
    expect(sent).not.toContain(broken.path);
    expect(sent).not.toContain("\n");
    expect(sent).toContain("<path>");
  });
});
