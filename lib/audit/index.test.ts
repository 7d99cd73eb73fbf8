import { spawnSync } from "node:child_process";
import { generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { serializable } from "@/lib/db/transaction";
import { randomName } from "@/lib/testing/git-repo";
import { SYSTEM_ACTOR, appendAuditEvent, exportAuditCheckpoint, listAuditEvents, verifyAuditLog } from "./index";

const admin = { role: "admin" as const };

function runCli(args: string[]) {
  return spawnSync(process.execPath, ["bin/specledger.js", ...args], { encoding: "utf8", env: process.env, timeout: 60_000 });
}

// One file checks the shared chain, in order: the tamper test restores what it breaks.
describe.sequential("the audit log", () => {
  it("appends concurrent events as one unbroken chain", async () => {
    const subject = randomName("subject");
    const events = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        appendAuditEvent({ actor: SYSTEM_ACTOR, action: "test.appended", subject, payload: { i, at: new Date(0), nested: { b: 1, a: 2 } } }),
      ),
    );
    expect(new Set(events.map((e) => e.prevHash)).size).toBe(25);
    const stored = await db.auditEvent.findMany({ where: { subject }, orderBy: { seq: "asc" } });
    expect(stored).toHaveLength(25);
    const result = await verifyAuditLog();
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.length).toBeGreaterThanOrEqual(25);
  });

  it("keeps one chain when Serializable transactions append alongside plain ones", async () => {
    // A Serializable transaction's snapshot can predate the head it waits for; the unique
    // previous hash refuses the fork and serializable() runs the transaction again.
    const subject = randomName("subject");
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        i % 2 === 0
          ? serializable(async (tx) => {
              await tx.$queryRaw`SELECT 1`;
              await appendAuditEvent({ tx, actor: SYSTEM_ACTOR, action: "test.serializable", subject, payload: { i } });
            })
          : appendAuditEvent({ actor: SYSTEM_ACTOR, action: "test.plain", subject, payload: { i } }),
      ),
    );
    expect(await db.auditEvent.count({ where: { subject } })).toBe(16);
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
  });

  it("refuses to change or delete events", async () => {
    const event = await appendAuditEvent({ actor: SYSTEM_ACTOR, action: "test.immutable", subject: randomName("s") });
    await expect(db.auditEvent.update({ where: { seq: event.seq }, data: { action: "x" } })).rejects.toThrow(/immutable/);
    await expect(db.auditEvent.delete({ where: { seq: event.seq } })).rejects.toThrow(/immutable/);
    await expect(db.$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/immutable/);
  });

  it("detects a row changed behind its back (by a superuser) at that exact event", async () => {
    const event = await appendAuditEvent({ actor: { id: null, label: "honest" }, action: "test.tamper", subject: randomName("s") });
    await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_immutable"`);
    try {
      await db.$executeRaw`UPDATE "AuditEvent" SET "actorLabel" = 'mallory' WHERE seq = ${event.seq}`;
      const result = await verifyAuditLog();
      expect(result).toMatchObject({ ok: false, brokenAt: event.seq });
      if (!result.ok) expect(result.reason).toMatch(/does not match its hash/);
      const cli = runCli(["audit", "verify"]);
      expect(cli.status).toBe(1);
      expect(cli.stderr).toContain(`broken at event ${event.seq}`);
    } finally {
      await db.$executeRaw`UPDATE "AuditEvent" SET "actorLabel" = 'honest' WHERE seq = ${event.seq}`;
      await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_immutable"`);
    }
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
    const cli = runCli(["audit", "verify", "--json"]);
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true });
  });

  it("exports a checkpoint signed with the configured Ed25519 key, for admins only", async () => {
    await expect(exportAuditCheckpoint({ role: "maintainer" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(listAuditEvents({ role: "viewer" })).rejects.toMatchObject({ code: "forbidden" });
    const previous = process.env.SPECLEDGER_AUDIT_SIGNING_KEY;
    delete process.env.SPECLEDGER_AUDIT_SIGNING_KEY;
    await expect(exportAuditCheckpoint(admin)).rejects.toThrow(/SPECLEDGER_AUDIT_SIGNING_KEY/);
    const { privateKey } = generateKeyPairSync("ed25519");
    process.env.SPECLEDGER_AUDIT_SIGNING_KEY = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    try {
      const signed = await exportAuditCheckpoint(admin);
      const head = await db.auditEvent.findFirst({ orderBy: { seq: "desc" } });
      expect(signed.checkpoint.head).toBe(head?.hash);
      expect(verify(null, Buffer.from(JSON.stringify(signed.checkpoint)), signed.publicKey, Buffer.from(signed.signature, "base64"))).toBe(true);
      const forged = { ...signed.checkpoint, length: signed.checkpoint.length + 1 };
      expect(verify(null, Buffer.from(JSON.stringify(forged)), signed.publicKey, Buffer.from(signed.signature, "base64"))).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.SPECLEDGER_AUDIT_SIGNING_KEY;
      else process.env.SPECLEDGER_AUDIT_SIGNING_KEY = previous;
    }
  });
});
