// GitHub webhooks against the route handler, with GitHub's own recorded payloads
// (@octokit/webhooks-examples) signed the way GitHub signs them (@octokit/webhooks-methods).
import { randomUUID } from "node:crypto";
import examples from "@octokit/webhooks-examples";
import { sign } from "@octokit/webhooks-methods";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { stopQueue } from "@/lib/jobs/queue";
import { setWebhookSecret } from "@/lib/operations/webhooks";
import { randomName } from "@/lib/testing/git-repo";
import { POST } from "./route";

afterAll(() => stopQueue());

type Example = { name: string; examples: Record<string, unknown>[] };
const all = examples as unknown as Example[];

/**
 * A recorded payload of `event` (the first matching `pick`), re-addressed to `fullName`: the
 * payload stays GitHub's, only the repository it names is ours, so tests run in parallel.
 */
function payload(event: string, fullName: string, pick: (p: Record<string, unknown>) => boolean = () => true): string {
  const found = all.find((e) => e.name === event)!.examples.find(pick);
  if (!found) throw new Error(`no ${event} example`);
  const original = (found.repository as { full_name: string }).full_name;
  return JSON.stringify(found).replaceAll(original, fullName).replaceAll(original.toLowerCase(), fullName.toLowerCase());
}

function deliver(opts: { event: string; body: string; signature?: string | null; delivery?: string; contentType?: string }) {
  const headers: Record<string, string> = {
    "content-type": opts.contentType ?? "application/json",
    "x-github-event": opts.event,
    "x-github-delivery": opts.delivery ?? randomUUID(),
  };
  if (opts.signature) headers["x-hub-signature-256"] = opts.signature;
  return POST(new NextRequest("http://localhost/api/v1/webhooks/github", { method: "POST", headers, body: opts.body }));
}

let admin: { id: string; email: string; role: "admin" };
let repositoryId: string;
let fullName: string;
let secret: string;

beforeAll(async () => {
  admin = (await db.user.create({
    data: { email: `${randomName("admin")}@hooks.test`, name: "admin", role: "admin" },
    select: { id: true, email: true, role: true },
  })) as typeof admin;
  fullName = `${randomName("octo")}/${randomName("hello")}`;
  repositoryId = (await db.repository.create({ data: { name: randomName("hooked"), source: `https://github.com/${fullName}.git`, defaultBranch: "master" } }))
    .id;
  secret = (await setWebhookSecret(admin, { repositoryId })).secret;
});

describe("POST /api/v1/webhooks/github", () => {
  it("queues an import for a push to the tracked branch (202), and acknowledges its replay without acting (200)", async () => {
    const body = payload("push", fullName, (p) => p.ref === "refs/heads/master");
    const delivery = randomUUID();
    const response = await deliver({ event: "push", body, signature: await sign(secret, body), delivery });
    expect(response.status).toBe(202);
    const answer = await response.json();
    expect(answer).toMatchObject({ status: "queued", deliveryId: delivery });
    expect(await db.import.findUniqueOrThrow({ where: { id: answer.importId } })).toMatchObject({ repositoryId, status: "queued" });

    const replay = await deliver({ event: "push", body, signature: await sign(secret, body), delivery });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ status: "duplicate" });
    expect(await db.webhookDelivery.count({ where: { id: delivery } })).toBe(1);
    expect(await db.import.count({ where: { repositoryId } })).toBe(1);
  });

  it("ignores a push of a tag (202) and records the delivery", async () => {
    const body = payload("push", fullName, (p) => p.ref === "refs/tags/simple-tag");
    const delivery = randomUUID();
    const response = await deliver({ event: "push", body, signature: await sign(secret, body), delivery });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: "ignored" });
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery } })).toMatchObject({ event: "push", repositoryId, outcome: "ignored" });
  });

  it("records a pull request when opened, and its state when closed", async () => {
    const opened = payload("pull_request", fullName, (p) => p.action === "opened");
    expect((await deliver({ event: "pull_request", body: opened, signature: await sign(secret, opened) })).status).toBe(202);
    const pr = JSON.parse(opened).pull_request;
    expect(await db.pullRequest.findUniqueOrThrow({ where: { repositoryId_number: { repositoryId, number: JSON.parse(opened).number } } })).toMatchObject({
      title: pr.title,
      state: "open",
      headSha: pr.head.sha,
      baseRef: pr.base.ref,
      url: pr.html_url,
    });
    // New commits on the pull request (synchronize): its head moves.
    const sync = JSON.parse(payload("pull_request", fullName, (p) => p.action === "synchronize"));
    sync.pull_request.head.sha = "f".repeat(40);
    const synchronize = JSON.stringify(sync);
    expect((await deliver({ event: "pull_request", body: synchronize, signature: await sign(secret, synchronize) })).status).toBe(202);
    expect((await db.pullRequest.findUniqueOrThrow({ where: { repositoryId_number: { repositoryId, number: sync.number } } })).headSha).toBe("f".repeat(40));
    const closed = payload("pull_request", fullName, (p) => p.action === "closed");
    expect((await deliver({ event: "pull_request", body: closed, signature: await sign(secret, closed) })).status).toBe(202);
    expect((await db.pullRequest.findUniqueOrThrow({ where: { repositoryId_number: { repositoryId, number: JSON.parse(closed).number } } })).state).toBe(
      "closed",
    );
    // GitHub does not deliver in order: a "reopened" about the state before the close, arriving
    // after it, is acknowledged and changes nothing.
    const late = payload("pull_request", fullName, (p) => p.action === "reopened");
    const lateResponse = await deliver({ event: "pull_request", body: late, signature: await sign(secret, late) });
    expect(lateResponse.status).toBe(202);
    expect(await lateResponse.json()).toMatchObject({ status: "ignored", reason: expect.stringContaining("updated after") });
    expect((await db.pullRequest.findUniqueOrThrow({ where: { repositoryId_number: { repositoryId, number: JSON.parse(closed).number } } })).state).toBe(
      "closed",
    );
    // An action that changes nothing recorded is acknowledged and ignored.
    const labeled = payload("pull_request", fullName, (p) => p.action === "labeled");
    const response = await deliver({ event: "pull_request", body: labeled, signature: await sign(secret, labeled) });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: "ignored" });
  });

  it("acknowledges an unknown event with 202 and records it", async () => {
    const body = payload("issues", fullName, (p) => p.action === "opened");
    const delivery = randomUUID();
    const response = await deliver({ event: "issues", body, signature: await sign(secret, body), delivery });
    expect(response.status).toBe(202);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery } })).toMatchObject({ event: "issues", outcome: "ignored" });
  });

  it("answers 401 and writes nothing for a missing, malformed or forged signature, and for a repository it does not have", async () => {
    const body = payload("push", fullName, (p) => p.ref === "refs/heads/master");
    const imports = await db.import.count({ where: { repositoryId } });
    for (const signature of [null, "sha1=abc", `sha256=${"0".repeat(64)}`, await sign("not-the-secret", body), await sign(secret, `${body} `)]) {
      const delivery = randomUUID();
      const response = await deliver({ event: "push", body, signature, delivery });
      expect(response.status, String(signature)).toBe(401);
      expect(await db.webhookDelivery.count({ where: { id: delivery } })).toBe(0);
    }
    // Signed with a real secret, but for a repository we do not have: the same 401, so nothing leaks.
    const stranger = payload("push", `${randomName("x")}/${randomName("y")}`, (p) => p.ref === "refs/heads/master");
    expect((await deliver({ event: "push", body: stranger, signature: await sign(secret, stranger) })).status).toBe(401);
    expect(await db.import.count({ where: { repositoryId } })).toBe(imports);
  });

  it("tries no secret on a payload that names no repository: 401 even when the signature is right, 400 for a body that is not JSON", async () => {
    // Before, such a body was tried against every repository's secret: one HMAC each, for anyone.
    const anonymous = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    const delivery = randomUUID();
    expect((await deliver({ event: "ping", body: anonymous, signature: await sign(secret, anonymous), delivery })).status).toBe(401);
    expect((await deliver({ event: "ping", body: "not json", signature: `sha256=${"0".repeat(64)}` })).status).toBe(400);
    expect(await db.webhookDelivery.count({ where: { id: delivery } })).toBe(0);
  });

  it("answers 400 for a truncated payload signed with the secret, 413 above 1 MB and 415 for a form-encoded body, writing nothing", async () => {
    const body = payload("push", fullName, (p) => p.ref === "refs/heads/master");
    const truncated = body.slice(0, body.length / 2);
    const delivery = randomUUID();
    expect((await deliver({ event: "push", body: truncated, signature: await sign(secret, truncated), delivery })).status).toBe(400);
    expect(await db.webhookDelivery.count({ where: { id: delivery } })).toBe(0);
    const huge = JSON.stringify({ repository: { full_name: fullName }, pad: "x".repeat(1_100_000) });
    expect((await deliver({ event: "push", body: huge, signature: await sign(secret, huge) })).status).toBe(413);
    expect(
      (
        await deliver({
          event: "push",
          body: `payload=${encodeURIComponent(body)}`,
          signature: await sign(secret, body),
          contentType: "application/x-www-form-urlencoded",
        })
      ).status,
    ).toBe(415);
  });

  it("stops verifying with the old secret once an admin rotates it; only admins may, and it is audited without the secret", async () => {
    const other = (
      await db.repository.create({
        data: { name: randomName("rotated"), source: `git@github.com:${randomName("o")}/${randomName("r")}.git`, defaultBranch: "master" },
      })
    ).id;
    const first = await setWebhookSecret(admin, { repositoryId: other });
    expect(first.rotated).toBe(false);
    const second = await setWebhookSecret(admin, { repositoryId: other });
    expect(second.rotated).toBe(true);
    expect(second.secret).not.toBe(first.secret);
    const stored = (await db.repository.findUniqueOrThrow({ where: { id: other } })).webhookSecret!;
    expect(stored).not.toContain(second.secret);
    const events = await db.auditEvent.findMany({ where: { subject: `repository:${other}` }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["repository.webhook_secret_set", "repository.webhook_secret_rotated"]);
    expect(JSON.stringify(events)).not.toContain(second.secret);

    const source = (await db.repository.findUniqueOrThrow({ where: { id: other } })).source;
    const name = /:(.+)\.git$/.exec(source)![1];
    const body = payload("push", name, (p) => p.ref === "refs/tags/simple-tag");
    expect((await deliver({ event: "push", body, signature: await sign(first.secret, body) })).status).toBe(401);
    expect((await deliver({ event: "push", body, signature: await sign(second.secret, body) })).status).toBe(202);

    const maintainer = await db.user.create({
      data: { email: `${randomName("m")}@hooks.test`, name: "m", role: "maintainer" },
      select: { id: true, email: true, role: true },
    });
    await expect(setWebhookSecret(maintainer, { repositoryId: other })).rejects.toMatchObject({ code: "forbidden" });
    await expect(setWebhookSecret(admin, { repositoryId: "nope" })).rejects.toMatchObject({ code: "not_found" });
  });
});
