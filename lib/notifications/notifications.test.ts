import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createSubscription, deleteSubscription, redeliverNotification, updateSubscription } from "@/lib/operations/notifications";
import { proposeChange } from "@/lib/operations/reviews";
import { createToken } from "@/lib/operations/workspace";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { decryptSecret } from "@/lib/crypto/secrets";
import { parseAllowList } from "./address";
import { listSubscriptions, sealSlackUrls } from "./subscriptions";
import { deliverNotification, handleDeliveryJobs } from "./deliver";
import { emitNotification, matchingSubscriptions } from "./emit";
import { webhookId } from "./format";

const list = await import("@/app/api/v1/notifications/subscriptions/route");
const one = await import("@/app/api/v1/notifications/subscriptions/[id]/route");
const redeliver = await import("@/app/api/v1/notifications/subscriptions/[id]/redeliver/route");
const remove = await import("@/app/api/v1/notifications/subscriptions/[id]/delete/route");

// Receivers listen on 127.0.0.1, which only the allow-list lets through; Specledger "itself" is specledger.test.
process.env.SPECLEDGER_WEBHOOK_ALLOW = "127.0.0.1";
process.env.NEXTAUTH_URL = "https://specledger.test";

type Seen = { headers: http.IncomingHttpHeaders; body: string };
type Receiver = { url: string; seen: Seen[]; close: () => void };

/** A real HTTP receiver: answers each request with the next status of `statuses` (the last repeats); "hang" never answers. */
async function receiver(statuses: (number | "hang")[]): Promise<Receiver> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      seen.push({ headers: req.headers, body });
      const status = statuses[Math.min(seen.length - 1, statuses.length - 1)];
      if (status !== "hang") res.writeHead(status).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { url: `http://127.0.0.1:${port}/hook`, seen, close: () => server.close() };
}

const servers: http.Server[] = [];
const repos: TestRepo[] = [];
afterAll(() => {
  servers.forEach((s) => s.closeAllConnections?.() ?? s.close());
  servers.forEach((s) => s.close());
  repos.forEach((r) => r.remove());
});

const user = async (role: "admin" | "maintainer" | "reviewer") =>
  db.user.create({ data: { email: `${randomName(role)}@notify.test`, name: role, role }, select: { id: true, email: true, role: true } });

let admin: Awaited<ReturnType<typeof user>>;
let payMaintainer: Awaited<ReturnType<typeof user>>;
let otherMaintainer: Awaited<ReturnType<typeof user>>;
let payTeam: { id: string; slug: string };
let otherTeam: { id: string; slug: string };

beforeAll(async () => {
  admin = await user("admin");
  payMaintainer = await user("maintainer");
  otherMaintainer = await user("maintainer");
  payTeam = await db.team.create({ data: { slug: `@acme/${randomName("pay")}`, name: "pay" } });
  otherTeam = await db.team.create({ data: { slug: `@acme/${randomName("other")}`, name: "other" } });
  await db.teamMember.create({ data: { teamId: payTeam.id, userId: payMaintainer.id } });
  await db.teamMember.create({ data: { teamId: otherTeam.id, userId: otherMaintainer.id } });
});

/** The event's data as emitted for a test: a unique marker so only this test's subscriptions matter. */
const emit = (type: "gate.denied" | "change.proposed", facts: { repositoryId?: string; path?: string; teams?: string[] } = {}) =>
  emitNotification({ type, ...facts, data: { service: "pay", version: "1.0.0", environment: "prod", reasons: "unreviewed", marker: randomName("m") } });

const noParams = { params: Promise.resolve({}) };
const req = (token: string, path: string, body?: unknown) =>
  new NextRequest(`http://localhost/api/v1${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const deliveries = (subscriptionId: string) => db.notificationDelivery.findMany({ where: { subscriptionId }, orderBy: { id: "asc" } });

describe("delivery", () => {
  it("signs with Standard Webhooks headers the receiver verifies, with a stable webhook-id", async () => {
    const hook = await receiver([200]);
    const sub = await createSubscription(admin, { url: hook.url, events: ["gate.denied"] });
    expect(sub.secret).toMatch(/^whsec_/);
    const eventId = await emit("gate.denied");
    expect(eventId).not.toBeNull();
    await handleDeliveryJobs([{ data: { eventId: eventId!, subscriptionId: sub.id } }]);
    expect(hook.seen).toHaveLength(1);
    const { headers, body } = hook.seen[0];
    expect(headers["webhook-id"]).toBe(webhookId(eventId!, sub.id));
    const verified = new Webhook(sub.secret).verify(body, headers as Record<string, string>) as { type: string; data: { id: string; service: string } };
    expect(verified).toMatchObject({ type: "gate.denied", data: { id: eventId, service: "pay" } });
    // A different secret does not verify: the signature is really checked.
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString("base64")}`).verify(body, headers as Record<string, string>)).toThrow();
    expect(await deliveries(sub.id)).toMatchObject([{ attempt: 1, status: "delivered", responseCode: 200 }]);
  });

  it("slack format: the body is only { text }", async () => {
    const hook = await receiver([200]);
    const sub = await createSubscription(admin, { url: hook.url, events: ["gate.denied"], format: "slack" });
    const eventId = await emit("gate.denied");
    await handleDeliveryJobs([{ data: { eventId: eventId!, subscriptionId: sub.id } }]);
    const body = JSON.parse(hook.seen[0].body);
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toContain("can-i-deploy said no: pay 1.0.0 to prod");
  });

  it("slack format: the URL is a secret, stored encrypted, shown and audited as scheme and host only, still delivered to in full", async () => {
    const hook = await receiver([200]);
    const token = randomName("T0KEN");
    const url = `${hook.url}/services/${token}`;
    const sub = await createSubscription(admin, { url, events: ["gate.denied"], format: "slack" });
    const host = new URL(hook.url).host;
    expect(sub.url).toBe(`http://${host}/…`);
    const row = await db.notificationSubscription.findUniqueOrThrow({ where: { id: sub.id } });
    expect(row.url).toBe(`http://${host}/…`);
    expect(row.urlSecret).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain(token);
    // Changing its events keeps the URL; switching it to standard brings the URL back into the clear column.
    const updated = await updateSubscription(admin, { id: sub.id, events: ["gate.denied", "change.proposed"] });
    expect(updated.url).toBe(`http://${host}/…`);
    const eventId = await emit("gate.denied");
    await handleDeliveryJobs([{ data: { eventId: eventId!, subscriptionId: sub.id } }]);
    expect(hook.seen).toHaveLength(1);
    const audit = await db.auditEvent.findMany({ where: { subject: `subscription:${sub.id}` } });
    expect(audit.length).toBe(2);
    expect(JSON.stringify(audit)).not.toContain(token);
    const apiToken = (await createToken(admin, { name: randomName("t"), scopes: ["admin"], expiresInDays: 1 })).token;
    const listed = await list.GET(req(apiToken, "/notifications/subscriptions"), noParams);
    expect(listed.status).toBe(200);
    expect(await listed.text()).not.toContain(token);
    const standard = await updateSubscription(admin, { id: sub.id, format: "standard" });
    expect(standard.url).toBe(url);
    expect(await db.notificationSubscription.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({ url, urlSecret: null });
  });

  it("slack format: a URL stored in clear before sealing is sealed at the worker's start and never shown meanwhile", async () => {
    const token = randomName("LEGACY");
    const url = `https://hooks.example.com/services/${token}`;
    const legacy = await db.notificationSubscription.create({
      data: { url, format: "slack", events: ["gate.denied"], secret: "v1:unused", createdById: admin.id },
    });
    expect(JSON.stringify(await listSubscriptions(admin))).not.toContain(token);
    expect(await sealSlackUrls()).toBeGreaterThanOrEqual(1);
    const sealed = await db.notificationSubscription.findUniqueOrThrow({ where: { id: legacy.id } });
    expect(sealed.url).toBe("https://hooks.example.com/…");
    expect(decryptSecret(sealed.urlSecret!)).toBe(url);
    // A standard subscription's URL is not a credential: left as it is.
    expect(await db.notificationSubscription.count({ where: { format: "standard", urlSecret: { not: null } } })).toBe(0);
  });

  it("a 500 fails the attempt (pg-boss retries it), the retry succeeds: two attempts logged, one webhook-id", async () => {
    const hook = await receiver([500, 200]);
    const sub = await createSubscription(admin, { url: hook.url, events: ["gate.denied"] });
    const eventId = await emit("gate.denied");
    const job = { data: { eventId: eventId!, subscriptionId: sub.id } };
    await expect(handleDeliveryJobs([job])).rejects.toThrow(/attempt 1 failed/);
    await handleDeliveryJobs([job]);
    expect((await deliveries(sub.id)).map((d) => [d.attempt, d.status, d.responseCode])).toEqual([
      [1, "failed", 500],
      [2, "delivered", 200],
    ]);
    expect(hook.seen.map((s) => s.headers["webhook-id"])).toEqual([webhookId(eventId!, sub.id), webhookId(eventId!, sub.id)]);
  });

  it("queues one pg-boss job per matching subscription with the retry policy (backoff, about a day)", async () => {
    const hook = await receiver([200]);
    // A glob of its own, so that only this test's subscriptions match.
    const pathGlob = `specs/${randomName("only")}/**`;
    const subs = [
      await createSubscription(admin, { url: hook.url, events: ["gate.denied"], pathGlob }),
      await createSubscription(admin, { url: hook.url, events: ["gate.denied"], pathGlob }),
    ];
    const eventId = await emit("gate.denied", { path: `${pathGlob.slice(0, -3)}/spec.md` });
    const jobs = await db.$queryRaw<{ subscriptionId: string; retry_limit: number; retry_backoff: boolean }[]>`
      SELECT data->>'subscriptionId' AS "subscriptionId", retry_limit, retry_backoff FROM pgboss.job
      WHERE name = 'deliver-notification' AND data->>'eventId' = ${eventId}`;
    // Subscriptions without filters (other tests') get the event too; each subscription gets one job.
    const ids = jobs.map((j) => j.subscriptionId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(subs.map((s) => s.id)));
    expect(jobs.every((j) => j.retry_limit === 10 && j.retry_backoff)).toBe(true);
  });

  it("a receiver that never answers: the causing request succeeds at once; the attempt is logged as a timeout", async () => {
    const hook = await receiver(["hang"]);
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit("spec", { "specs/pay/spec.md": "# Pay\n\nv1\n" });
    const repository = await db.repository.create({ data: { name: randomName("notify"), source: repo.path } });
    await importRepository({ repositoryId: repository.id });
    const sub = await createSubscription(admin, { url: hook.url, events: ["change.proposed"], repositoryId: repository.id });
    const change = await proposeChange(admin, { repository: repository.name, path: "specs/pay/spec.md", content: "# Pay\n\nv2\n", title: "v2" });
    expect(change.number).toBeGreaterThan(0);
    // The receiver has not been called: delivery belongs to the worker.
    expect(hook.seen).toHaveLength(0);
    const event = await db.notificationEvent.findFirstOrThrow({ where: { type: "change.proposed", repositoryId: repository.id } });
    expect(event.data).toMatchObject({ number: change.number, path: "specs/pay/spec.md", repository: repository.name });
    await expect(handleDeliveryJobs([{ data: { eventId: event.id, subscriptionId: sub.id } }], { timeoutMs: 300 })).rejects.toThrow(/timeout/);
    expect(await deliveries(sub.id)).toMatchObject([{ attempt: 1, status: "timeout", responseCode: null }]);
  });

  it("at delivery, the address actually resolved is checked again (DNS rebinding): a name now resolving to loopback is refused", async () => {
    const hook = await receiver([200]);
    const port = new URL(hook.url).port;
    process.env.SPECLEDGER_WEBHOOK_ALLOW = "127.0.0.1,localhost";
    const sub = await createSubscription(admin, { url: `https://localhost:${port}/hook`, events: ["gate.denied"] });
    process.env.SPECLEDGER_WEBHOOK_ALLOW = "127.0.0.1";
    const eventId = await emit("gate.denied");
    const result = await deliverNotification({ eventId: eventId!, subscriptionId: sub.id }, { allow: parseAllowList("") });
    expect(result.status).toBe("refused");
    expect(hook.seen).toHaveLength(0);
    expect((await deliveries(sub.id))[0]).toMatchObject({ status: "refused", error: expect.stringContaining("loopback") });
  });

  it("redeliver sends the event again with the same webhook-id; a disabled subscription is skipped", async () => {
    const hook = await receiver([200]);
    const sub = await createSubscription(admin, { url: hook.url, events: ["gate.denied"] });
    const eventId = (await emit("gate.denied"))!;
    await handleDeliveryJobs([{ data: { eventId, subscriptionId: sub.id } }]);
    await expect(redeliverNotification(admin, { id: sub.id, eventId: "never-sent" })).rejects.toMatchObject({ code: "not_found" });
    expect(await redeliverNotification(admin, { id: sub.id, eventId })).toEqual({ subscriptionId: sub.id, eventId, queued: true });
    const queued = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'deliver-notification' AND data->>'eventId' = ${eventId} AND data->>'subscriptionId' = ${sub.id}`;
    expect(queued[0].n).toBe(2);
    await handleDeliveryJobs([{ data: { eventId, subscriptionId: sub.id } }]);
    expect((await deliveries(sub.id)).map((d) => [d.attempt, d.status])).toEqual([
      [1, "delivered"],
      [2, "delivered"],
    ]);
    expect(hook.seen[1].headers["webhook-id"]).toBe(hook.seen[0].headers["webhook-id"]);
    await updateSubscription(admin, { id: sub.id, enabled: false });
    expect(await deliverNotification({ eventId, subscriptionId: sub.id })).toEqual({ status: "skipped", attempt: 0 });
    expect(hook.seen).toHaveLength(2);
    expect(await db.auditEvent.count({ where: { subject: `subscription:${sub.id}`, action: "notification.redelivered" } })).toBe(1);
  });

  it("a secret that no longer decrypts: nothing unsigned is sent, the attempt is logged and not retried", async () => {
    const hook = await receiver([200]);
    const sub = await createSubscription(admin, { url: hook.url, events: ["gate.denied"] });
    await db.notificationSubscription.update({ where: { id: sub.id }, data: { secret: "v1:AAAA:BBBB:CCCC" } });
    const eventId = (await emit("gate.denied"))!;
    await handleDeliveryJobs([{ data: { eventId, subscriptionId: sub.id } }]);
    expect(hook.seen).toHaveLength(0);
    expect(await deliveries(sub.id)).toMatchObject([{ attempt: 1, status: "refused", error: expect.stringContaining("SPECLEDGER_SECRET_KEY") }]);
  });
});

describe("refused URLs (422 with a sentence)", () => {
  it.each([
    ["https://127.0.0.1/hook", "loopback"],
    ["https://10.1.2.3/hook", "private"],
    ["https://[::1]/hook", "loopback"],
    ["https://169.254.169.254/latest/meta-data", "linkLocal"],
    ["https://localhost/hook", "loopback"],
    ["https://specledger.test/api/v1/me", "Specledger itself"],
    ["http://127.0.0.2/hook", "https"],
    ["https://does-not-exist.invalid/hook", "does not resolve"],
  ])("%s", async (url, reason) => {
    process.env.SPECLEDGER_WEBHOOK_ALLOW = "";
    try {
      const before = await db.notificationSubscription.count({ where: { url } });
      await expect(createSubscription(admin, { url, events: ["gate.denied"] })).rejects.toMatchObject({
        code: "unprocessable",
        message: expect.stringContaining(reason),
      });
      expect(await db.notificationSubscription.count({ where: { url } })).toBe(before);
    } finally {
      process.env.SPECLEDGER_WEBHOOK_ALLOW = "127.0.0.1";
    }
  });

  it("the allow-list lets http and a private address through", async () => {
    const sub = await createSubscription(admin, { url: "http://127.0.0.1:9/hook", events: ["gate.denied"] });
    expect(sub.url).toBe("http://127.0.0.1:9/hook");
    await expect(updateSubscription(admin, { id: sub.id, url: "https://10.0.0.1/x" })).rejects.toMatchObject({ code: "unprocessable" });
  });
});

describe("filters", () => {
  it("repository, path glob and team select the right subscriptions", async () => {
    const repo = await db.repository.create({ data: { name: randomName("filter"), source: `/tmp/${randomName("none")}` } });
    const url = "http://127.0.0.1:9/hook";
    const any = await createSubscription(admin, { url, events: ["change.proposed"] });
    const byRepo = await createSubscription(admin, { url, events: ["change.proposed"], repositoryId: repo.id });
    const byGlob = await createSubscription(admin, { url, events: ["change.proposed"], pathGlob: "specs/pay/**" });
    const byTeam = await createSubscription(admin, { url, events: ["change.proposed"], filterTeamId: payTeam.id });
    const otherEvent = await createSubscription(admin, { url, events: ["gate.denied"] });
    const ours = new Set([any.id, byRepo.id, byGlob.id, byTeam.id, otherEvent.id]);
    const match = async (facts: { repositoryId?: string; path?: string; teams?: string[] }) =>
      (await matchingSubscriptions({ type: "change.proposed", ...facts })).filter((id) => ours.has(id)).sort();
    expect(await match({})).toEqual([any.id].sort());
    expect(await match({ repositoryId: repo.id, path: "specs/pay/api.md", teams: [payTeam.slug.toUpperCase()] })).toEqual(
      [any.id, byRepo.id, byGlob.id, byTeam.id].sort(),
    );
    expect(await match({ repositoryId: "elsewhere", path: "specs/billing/spec.md", teams: [otherTeam.slug] })).toEqual([any.id]);
    await updateSubscription(admin, { id: byGlob.id, pathGlob: null });
    expect(await match({ path: "specs/billing/spec.md" })).toEqual([any.id, byGlob.id].sort());
  });
});

describe("who manages subscriptions", () => {
  const url = "http://127.0.0.1:9/hook";

  it("a team has at most 25 subscriptions, so its maintainers cannot hold every delivery worker", async () => {
    const team = await db.team.create({ data: { slug: `@acme/${randomName("cap")}`, name: "cap" } });
    await db.notificationSubscription.createMany({
      data: Array.from({ length: 25 }, () => ({ url, events: ["gate.denied"], teamId: team.id, secret: "x", createdById: admin.id })),
    });
    await expect(createSubscription(admin, { url, events: ["gate.denied"], teamId: team.id })).rejects.toMatchObject({ code: "conflict" });
    await db.notificationSubscription.deleteMany({ where: { teamId: team.id } });
  });

  it("refuses a path glob that would backtrack without end", async () => {
    await expect(createSubscription(admin, { url, events: ["gate.denied"], pathGlob: "*a*a*a*a*a*a*b" })).rejects.toMatchObject({ code: "unprocessable" });
  });

  it("workspace subscriptions are the admins': a maintainer is refused", async () => {
    await expect(createSubscription(payMaintainer, { url, events: ["gate.denied"] })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("a maintainer manages their own team's, and not another team's (403 to create, 404 to see or change)", async () => {
    const own = await createSubscription(payMaintainer, { url, events: ["gate.denied"], teamId: payTeam.id });
    expect(own.team).toEqual({ id: payTeam.id, slug: payTeam.slug });
    await expect(createSubscription(otherMaintainer, { url, events: ["gate.denied"], teamId: payTeam.id })).rejects.toMatchObject({ code: "forbidden" });
    await expect(updateSubscription(otherMaintainer, { id: own.id, enabled: false })).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteSubscription(otherMaintainer, { id: own.id })).rejects.toMatchObject({ code: "not_found" });
    expect((await db.notificationSubscription.findUniqueOrThrow({ where: { id: own.id } })).enabled).toBe(true);
    expect(await deleteSubscription(payMaintainer, { id: own.id })).toEqual({ id: own.id, deleted: true });
    expect(await db.notificationSubscription.count({ where: { id: own.id } })).toBe(0);
  });

  it("a reviewer manages none", async () => {
    const reviewer = await user("reviewer");
    await expect(createSubscription(reviewer, { url, events: ["gate.denied"] })).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("the API", () => {
  it("creates (201, the secret once), never returns the secret again, refuses bad URLs and bodies", async () => {
    const token = (await createToken(admin, { name: "notify", scopes: ["admin"], expiresInDays: 1 })).token;
    const created = await list.POST(req(token, "/notifications/subscriptions", { url: "http://127.0.0.1:9/hook", events: ["finding.opened"] }), noParams);
    expect(created.status).toBe(201);
    const { id, secret } = (await created.json()) as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const stored = await db.notificationSubscription.findUniqueOrThrow({ where: { id } });
    expect(stored.secret).not.toContain(secret.slice(6));
    const params = { params: Promise.resolve({ id }) };
    for (const response of [
      await list.GET(req(token, "/notifications/subscriptions"), noParams),
      await one.GET(req(token, `/notifications/subscriptions/${id}`), params),
    ]) {
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain(id);
      expect(text).not.toContain(secret.slice(6));
      expect(text).not.toContain('"secret"');
    }
    const audit = await db.auditEvent.findFirstOrThrow({ where: { subject: `subscription:${id}`, action: "notification.subscription_created" } });
    expect(JSON.stringify(audit.payload)).not.toContain(secret.slice(6));

    const refused = await list.POST(req(token, "/notifications/subscriptions", { url: "https://10.0.0.1/hook", events: ["finding.opened"] }), noParams);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("private");
    const badEvent = await list.POST(req(token, "/notifications/subscriptions", { url: "http://127.0.0.1:9/hook", events: ["everything"] }), noParams);
    expect(badEvent.status).toBe(422);
    const notObject = await one.POST(req(token, `/notifications/subscriptions/${id}`, ["enabled"]), params);
    expect(notObject.status).toBe(422);

    const disabled = await one.POST(req(token, `/notifications/subscriptions/${id}`, { enabled: false }), params);
    expect(disabled.status).toBe(200);
    expect(((await disabled.json()) as { enabled: boolean }).enabled).toBe(false);
    expect((await redeliver.POST(req(token, `/notifications/subscriptions/${id}/redeliver`, { eventId: "nope" }), params)).status).toBe(404);
    expect((await remove.POST(req(token, `/notifications/subscriptions/${id}/delete`, {}), params)).status).toBe(200);
    expect((await one.GET(req(token, `/notifications/subscriptions/${id}`), params)).status).toBe(404);
  });

  it("a token without the admin scope is refused; a maintainer sees only their teams' subscriptions", async () => {
    const narrow = (await createToken(admin, { name: "narrow", scopes: ["specs:read"], expiresInDays: 1 })).token;
    expect((await list.GET(req(narrow, "/notifications/subscriptions"), noParams)).status).toBe(403);
    const other = await createSubscription(admin, { url: "http://127.0.0.1:9/hook", events: ["gate.denied"], teamId: otherTeam.id });
    const token = (await createToken(payMaintainer, { name: "m", scopes: ["admin"], expiresInDays: 1 })).token;
    const body = (await (await list.GET(req(token, "/notifications/subscriptions"), noParams)).json()) as { subscriptions: { id: string }[] };
    expect(body.subscriptions.map((s) => s.id)).not.toContain(other.id);
    expect((await one.GET(req(token, `/notifications/subscriptions/${other.id}`), { params: Promise.resolve({ id: other.id }) })).status).toBe(404);
  });
});
