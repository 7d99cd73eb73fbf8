import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { db } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { isolatedCli } from "@/lib/testing/cli";
import { asOwner } from "@/lib/testing/owner";
import { serializable } from "@/lib/db/transaction";
import { ZodError } from "zod";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import {
  SYSTEM_ACTOR,
  appendAuditEvent,
  checkAuditLog,
  exportAuditCheckpoint,
  flushPendingAuditEvents,
  listAuditEvents,
  queueAuditEvent,
  verifyAuditLog,
  verifyAuditLogAgainstCheckpoint,
  verifyAuditLogAgainstCheckpointAs,
  type SignedCheckpoint,
} from "./index";

const admin = { role: "admin" as const };

const cli = isolatedCli();
afterAll(() => cli.remove());

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

  it("refuses to change or delete events: the app's role has no such privilege, and the owner meets the trigger", async () => {
    const event = await appendAuditEvent({ actor: SYSTEM_ACTOR, action: "test.immutable", subject: randomName("s") });
    await expect(db.auditEvent.update({ where: { seq: event.seq }, data: { action: "x" } })).rejects.toThrow(/permission denied/);
    await expect(db.auditEvent.delete({ where: { seq: event.seq } })).rejects.toThrow(/permission denied/);
    await expect(db.$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/permission denied/);
    await asOwner(async (owner) => {
      await expect(owner.query(`UPDATE "AuditEvent" SET action = 'x' WHERE seq = $1`, [event.seq])).rejects.toThrow(/immutable/);
      await expect(owner.query(`DELETE FROM "AuditEvent" WHERE seq = $1`, [event.seq])).rejects.toThrow(/immutable/);
    });
  });

  it("runs as a role that owns nothing and cannot switch the triggers off", async () => {
    const [me] = await db.$queryRaw<{ super: boolean; owned: number }[]>`
      SELECT r.rolsuper AS super,
             (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid AND c.relnamespace IN ('public'::regnamespace, 'pgboss'::regnamespace)) AS owned
      FROM pg_roles r WHERE r.rolname = current_user`;
    expect(me).toEqual({ super: false, owned: 0 });
    // Each statement runs in a transaction that is rolled back, and each one that could
    // touch rows matches none, so even a failure of this test leaves the shared chain whole.
    const attempts: [string, RegExp][] = [
      [`SET session_replication_role = replica`, /permission denied to set parameter "session_replication_role"/],
      [`ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`, /must be owner of table AuditEvent/],
      [`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_immutable"`, /must be owner of table AuditEvent/],
      [`DROP TRIGGER "AuditEvent_immutable" ON "AuditEvent"`, /must be owner of (table|relation) AuditEvent/],
      [`DELETE FROM "AuditEvent" WHERE false`, /permission denied for table AuditEvent/],
      [`UPDATE "AuditEvent" SET action = action WHERE false`, /permission denied for table AuditEvent/],
      [`TRUNCATE "AuditEvent"`, /permission denied for table AuditEvent/],
      [`ALTER TABLE "SpecVersion" DISABLE TRIGGER ALL`, /must be owner of table SpecVersion/],
      [`CREATE TABLE "${randomName("scratch")}" (a int)`, /permission denied for schema public/],
    ];
    const client = await pgPool().connect();
    try {
      for (const [sql, refusal] of attempts) {
        await client.query("BEGIN");
        try {
          await expect(client.query(sql), sql).rejects.toThrow(refusal);
        } finally {
          await client.query("ROLLBACK");
        }
      }
    } finally {
      client.release();
    }
  });

  it("detects a row changed behind its back (by the owner) at that exact event", async () => {
    const event = await appendAuditEvent({ actor: { id: null, label: "honest" }, action: "test.tamper", subject: randomName("s") });
    const owner = new pg.Client({ connectionString: process.env.SPECLEDGER_MIGRATION_DATABASE_URL });
    await owner.connect();
    await owner.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_immutable"`);
    try {
      await owner.query(`UPDATE "AuditEvent" SET "actorLabel" = 'mallory' WHERE seq = $1`, [event.seq]);
      const result = await verifyAuditLog();
      expect(result).toMatchObject({ ok: false, brokenAt: event.seq });
      if (!result.ok) expect(result.reason).toMatch(/does not match its hash/);
      const broken = await cli.run(["audit", "verify"]);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain(`broken at event ${event.seq}`);
    } finally {
      await owner.query(`UPDATE "AuditEvent" SET "actorLabel" = 'honest' WHERE seq = $1`, [event.seq]);
      await owner.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_immutable"`);
      await owner.end();
    }
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
    const verified = await cli.run(["audit", "verify", "--json"]);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
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

  it("proves that the log extends a checkpoint from now, and names a forged, truncated or mismatched one", async () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    await withSigningKey(privateKey.export({ type: "pkcs8", format: "pem" }).toString(), async () => {
      await appendAuditEvent({ actor: SYSTEM_ACTOR, action: "test.checkpoint", subject: randomName("s") });
      const saved = await exportAuditCheckpoint(admin);
      // Other test files append meanwhile: the log grows past the checkpoint, which is fine.
      await appendAuditEvent({ actor: SYSTEM_ACTOR, action: "test.checkpoint", subject: randomName("s") });
      expect(await verifyAuditLogAgainstCheckpoint(saved)).toMatchObject({ ok: true, signedBy: "this server", checkpoint: saved.checkpoint });

      const forged = { ...saved, checkpoint: { ...saved.checkpoint, length: saved.checkpoint.length - 1 } };
      expect(await verifyAuditLogAgainstCheckpoint(forged)).toMatchObject({ ok: false, problem: "signature" });

      // Checkpoints this server signed, of states the log never had.
      const beyond = signWith(privateKey, { ...saved.checkpoint, length: 2_000_000_000 });
      const truncated = await verifyAuditLogAgainstCheckpoint(beyond);
      expect(truncated).toMatchObject({ ok: false, problem: "truncated" });
      if (!truncated.ok)
        expect(truncated.reason).toMatch(
          /^The log has \d+ events but the checkpoint covers 2000000000: the last \d+ events were removed \(a truncated tail\)\.$/,
        );
      const otherHead = signWith(privateKey, { ...saved.checkpoint, head: "f".repeat(64) });
      const mismatch = await verifyAuditLogAgainstCheckpoint(otherHead);
      expect(mismatch).toMatchObject({ ok: false, problem: "head_mismatch" });
      if (!mismatch.ok) expect(mismatch.reason).toContain(`Event number ${saved.checkpoint.length} of the log has hash ${saved.checkpoint.head.slice(0, 16)}`);

      // Another key's checkpoint of this very log is not this server's word.
      const stranger = generateKeyPairSync("ed25519").privateKey;
      expect(await verifyAuditLogAgainstCheckpoint(signWith(stranger, saved.checkpoint))).toMatchObject({
        ok: false,
        problem: "signature",
        reason: expect.stringMatching(/this server's key/),
      });

      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "checkpoint-")), "checkpoint.json");
      fs.writeFileSync(file, JSON.stringify(saved));
      const good = await cli.run(["audit", "verify", "--checkpoint", file]);
      expect(good.stderr).toBe("");
      expect(good.code).toBe(0);
      expect(good.stdout).toMatch(/^The audit log extends the checkpoint of \d+ events/);
      fs.writeFileSync(file, JSON.stringify(beyond));
      const bad = await cli.run(["audit", "verify", "--checkpoint", file]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("a truncated tail");
      fs.writeFileSync(file, "{ not json");
      const malformed = await cli.run(["audit", "verify", "--checkpoint", file]);
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toMatch(/not a checkpoint/);
    });
  });

  it("lets only admins verify a checkpoint, and refuses a malformed one", async () => {
    await expect(verifyAuditLogAgainstCheckpointAs({ role: "maintainer" }, {})).rejects.toMatchObject({ code: "forbidden" });
    await expect(verifyAuditLogAgainstCheckpointAs(admin, { checkpoint: { length: -1 } })).rejects.toBeInstanceOf(ZodError);
  });

  it("lets other audited writes through while a long transaction (an import) has queued its event", async () => {
    const subject = randomName("import");
    const repository = await db.repository.create({ data: { name: randomName("repo"), source: `/nowhere/${subject}` } });
    const importing = await pgPool().connect();
    try {
      // What an import's transaction holds: its repository's row, and the event it queued.
      await importing.query("BEGIN");
      await importing.query(`SELECT id FROM "Repository" WHERE id = $1 FOR UPDATE`, [repository.id]);
      await queueAuditEvent({ client: importing, actor: SYSTEM_ACTOR, action: "test.import_queued", subject, payload: { n: 1 } });
      // Another audited write completes while that transaction is open. Should it wait for
      // the import, the lock timeout fails it instead of hanging the test.
      const other = await db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '10s'`);
        return appendAuditEvent({ tx, actor: SYSTEM_ACTOR, action: "test.meanwhile", subject });
      });
      expect(other.action).toBe("test.meanwhile");
      // A flush while the import is open does not see its uncommitted event.
      await flushPendingAuditEvents();
      expect(await db.auditEvent.count({ where: { subject, action: "test.import_queued" } })).toBe(0);
      await importing.query("COMMIT");
    } catch (error) {
      await importing.query("ROLLBACK");
      throw error;
    } finally {
      importing.release();
    }
    await flushPendingAuditEvents();
    const chained = await db.auditEvent.findMany({ where: { subject }, orderBy: { seq: "asc" } });
    expect(chained.map((e) => e.action)).toEqual(["test.meanwhile", "test.import_queued"]);
    expect(chained[1].payload).toEqual({ n: 1 });
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
  });

  it("drops a queued event with the transaction that queued it", async () => {
    const subject = randomName("rolled-back");
    const client = await pgPool().connect();
    try {
      await client.query("BEGIN");
      await queueAuditEvent({ client, actor: SYSTEM_ACTOR, action: "test.never", subject });
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    await flushPendingAuditEvents();
    expect(await db.auditEvent.count({ where: { subject } })).toBe(0);
  });

  it("records an import's review changes in the chain after it commits", async () => {
    const repo = TestRepo.create();
    try {
      repo.commit("add a spec", { "specs/001-audit/spec.md": "# Audit\n\nEvery change is logged.\n" });
      const record = await db.repository.create({ data: { name: randomName("repo"), source: repo.path } });
      await importRepository({ repositoryId: record.id });
      const events = await db.auditEvent.findMany({ where: { subject: `repository:${record.id}`, action: "import.reviews_recorded" } });
      expect(events).toHaveLength(1);
      expect(events[0].payload).toMatchObject({ unreviewed: 1 });
      expect(await db.auditPendingEvent.count({ where: { subject: `repository:${record.id}` } })).toBe(0);
    } finally {
      repo.remove();
    }
  });

  it("checks only what was appended since the last verified point, unless asked for a full check", async () => {
    await expect(checkAuditLog({ role: "reviewer" })).rejects.toMatchObject({ code: "forbidden" });
    const full = await checkAuditLog(admin, { full: true });
    expect(full).toMatchObject({ mode: "full", check: { ok: true } });
    expect(full.fullCheckAt).toBeInstanceOf(Date);
    await appendAuditEvent({ actor: SYSTEM_ACTOR, action: "test.incremental", subject: randomName("s") });
    const next = await checkAuditLog(admin);
    expect(next).toMatchObject({ mode: "incremental", check: { ok: true } });
    expect(next.check.ok && full.check.ok && next.check.length).toBeGreaterThan(full.check.ok ? full.check.length : Infinity);
    expect(next.fullCheckAt!.getTime()).toBeGreaterThanOrEqual(full.fullCheckAt!.getTime());
    const stored = await db.auditVerification.findUniqueOrThrow({ where: { id: 1 } });
    expect(stored.length).toBeGreaterThanOrEqual(next.check.ok ? next.check.length : Infinity);
  });

  it("checks everything again when the last verified point no longer matches the log", async () => {
    await checkAuditLog(admin, { full: true });
    const stored = await db.auditVerification.findUniqueOrThrow({ where: { id: 1 } });
    // A stored point whose hash differs from the event's: the cache is not trusted.
    await db.auditVerification.update({ where: { id: 1 }, data: { head: "0".repeat(64) } });
    try {
      expect(await checkAuditLog(admin)).toMatchObject({ mode: "full", check: { ok: true } });
    } finally {
      await db.auditVerification.updateMany({ where: { id: 1, head: "0".repeat(64) }, data: { head: stored.head } });
    }
  });
});

function signWith(key: KeyObject, checkpoint: SignedCheckpoint["checkpoint"]): SignedCheckpoint {
  return {
    checkpoint,
    algorithm: "Ed25519",
    signature: sign(null, Buffer.from(JSON.stringify(checkpoint)), key).toString("base64"),
    publicKey: createPublicKey(key).export({ type: "spki", format: "pem" }).toString(),
  };
}

async function withSigningKey(pem: string, fn: () => Promise<void>) {
  const previous = process.env.SPECLEDGER_AUDIT_SIGNING_KEY;
  process.env.SPECLEDGER_AUDIT_SIGNING_KEY = pem;
  try {
    await fn();
  } finally {
    if (previous === undefined) delete process.env.SPECLEDGER_AUDIT_SIGNING_KEY;
    else process.env.SPECLEDGER_AUDIT_SIGNING_KEY = previous;
  }
}
