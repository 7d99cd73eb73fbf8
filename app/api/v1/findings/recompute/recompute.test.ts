import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { stopQueue } from "@/lib/jobs/queue";
import { callRoute, userWithToken, writesBy } from "@/lib/testing/api";

afterAll(() => stopQueue());

describe("POST /findings/recompute", () => {
  it("queues a recomputation of every finding for an admin, audited as the caller", async () => {
    const { user, token } = await userWithToken("admin", ["admin"]);
    const answer = await callRoute("post", "/findings/recompute", { token, body: {} });
    expect(answer.status).toBe(202);
    expect(await answer.json()).toEqual({ queued: "all" });
    const events = await db.auditEvent.findMany({ where: { actorId: user.id, action: { startsWith: "findings." } }, select: { action: true, subject: true } });
    expect(events).toEqual([{ action: "findings.recompute_requested", subject: "workspace:findings" }]);
  });

  it.each([
    ["a maintainer", "maintainer", ["admin"], 403],
    ["an admin's token without the admin scope", "admin", ["specs:read"], 403],
  ] as const)("refuses %s, writing nothing", async (_label, role, scopes, status) => {
    const { user, token } = await userWithToken(role, [...scopes]);
    const before = await writesBy(user.id);
    expect((await callRoute("post", "/findings/recompute", { token, body: {} })).status).toBe(status);
    expect(await writesBy(user.id)).toEqual(before);
  });

  it("takes no fields", async () => {
    const { token } = await userWithToken("admin", ["admin"]);
    expect((await callRoute("post", "/findings/recompute", { token, body: { repositoryId: "x" } })).status).toBe(422);
  });
});
