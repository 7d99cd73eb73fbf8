import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";
import { appendAuditEvent } from "./index";
import { listAuditPage } from "./browse";

const exportRoute = await import("@/app/api/v1/audit/export/route");
const admin = { id: "browse-admin", email: "admin@browse.test", role: "admin" as const };

async function tokenFor(role: "admin" | "maintainer") {
  const user = await db.user.create({
    data: { email: `${randomName(role)}@audit-browse.test`, name: `Browse ${role}`, role },
    select: { id: true, email: true, role: true },
  });
  return (await createToken(user, { name: "t", scopes: ["admin"], expiresInDays: 1 })).token;
}

describe("the audit log's pages", () => {
  it("names actors and subjects, links them, and explains the numbers between listed events", async () => {
    const actor = await db.user.create({ data: { email: `${randomName("actor")}@audit-browse.test`, name: "Ada Auditor" } });
    const repository = await db.repository.create({ data: { name: randomName("audited"), source: `/nowhere/${randomName("r")}` } });
    const who = { id: actor.id, label: actor.email };
    const first = await appendAuditEvent({ actor: who, action: "test.browse", subject: `repository:${repository.id}` });
    // A transaction that appends and then rolls back takes a sequence number that no event will have.
    await expect(
      db.$transaction(async (tx) => {
        await appendAuditEvent({ tx, actor: who, action: "test.browse", subject: "test:rolled-back" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const last = await appendAuditEvent({ actor: who, action: "test.browse", subject: `repository:${repository.id}` });

    const page = await listAuditPage(admin, { actor: actor.email });
    expect(page.filtered).toBe(true);
    expect(page.events.map((e) => e.seq)).toEqual([last.seq, first.seq]);
    expect(page.events[0]).toMatchObject({ actorName: "Ada Auditor", subjectName: repository.name, subjectHref: `/repositories/${repository.id}` });
    expect(page.events[0].gapBelow).toContain("never used");
    expect(page.events[1].gapBelow).toBeNull();
  });

  it("pages by sequence number: the next page starts below the last listed event", async () => {
    const label = `${randomName("pager")}@audit-browse.test`;
    const seqs = [];
    for (let i = 0; i < 52; i++) seqs.push((await appendAuditEvent({ actor: { id: null, label }, action: "test.page", subject: "test:page" })).seq);
    const one = await listAuditPage(admin, { actor: label });
    expect(one.events).toHaveLength(50);
    expect(one.nextBefore).toBe(seqs[2]);
    const two = await listAuditPage(admin, { actor: label, before: one.nextBefore! });
    expect(two.events.map((e) => e.seq)).toEqual([seqs[1], seqs[0]]);
    expect(two.nextBefore).toBeNull();
  });

  it("is for admins only", async () => {
    await expect(listAuditPage({ role: "maintainer" }, {})).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("GET /api/v1/audit/export", () => {
  const get = (token: string, query: string) =>
    exportRoute.GET(new NextRequest(`http://localhost/api/v1/audit/export${query}`, { headers: { authorization: `Bearer ${token}` } }), {
      params: Promise.resolve({}),
    });

  it("streams the matching events as JSON Lines, oldest first, with their hashes", async () => {
    const label = `${randomName("export")}@audit-browse.test`;
    const made = [];
    for (const action of ["test.export.a", "test.export.b", "test.export.c"])
      made.push(await appendAuditEvent({ actor: { id: null, label }, action, subject: "test:export" }));
    const res = await get(await tokenFor("admin"), `?actor=${encodeURIComponent(label)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/jsonl");
    const lines = (await res.text())
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { seq: number; action: string; hash: string });
    expect(lines.map((l) => [l.seq, l.action, l.hash])).toEqual(made.map((e) => [e.seq, e.action, e.hash]));
    const none = await get(await tokenFor("admin"), `?actor=${encodeURIComponent(label)}&action=test.nothing`);
    expect(await none.text()).toBe("");
  });

  it("refuses a maintainer and malformed filters", async () => {
    expect((await get(await tokenFor("maintainer"), "")).status).toBe(403);
    expect((await get(await tokenFor("admin"), "?since=2026-13-40")).status).toBe(422);
  });
});
