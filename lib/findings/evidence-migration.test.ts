import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";
import { EVIDENCE_CHECKED_KEY, migrateStoredEvidence } from "./evidence-migration";

// Runs against the shared test database: other files' findings are scanned too, so each
// assertion names this file's own repositories and rows.
const repositoryIds: string[] = [];
afterAll(async () => {
  await db.repository.deleteMany({ where: { id: { in: repositoryIds } } });
});

async function repository() {
  const name = randomName("evidence-migration");
  // No git behind it: a recomputation a parallel worker might run fails and leaves its findings as they are.
  const { id } = await db.repository.create({ data: { name, source: `/nonexistent/${name}` } });
  repositoryIds.push(id);
  return id;
}

async function finding(repositoryId: string, type: string, status: "open" | "dismissed" | "resolved", evidence: object) {
  return db.finding.create({
    data: { fingerprint: randomName("fp"), type, rule: `${type}.test`, severity: "warning", status, repositoryId, message: "m", evidence },
  });
}

const unreviewed = { path: "specs/a.md", approvedSeq: 1, approvedVersionId: "v1", currentSeq: 2, currentVersionId: "v2", diffHref: "/d" };

describe("migrateStoredEvidence", () => {
  it("queues a recomputation for live findings in an older shape and keeps resolved rows and budget warnings as stored", async () => {
    const [live, resolved, budget, current, dismissedDuplicate] = await Promise.all([repository(), repository(), repository(), repository(), repository()]);
    const stale = await finding(live, "stale", "open", { path: "specs/a.md", commits: "older" });
    await finding(resolved, "lint", "resolved", { line: "seven" });
    const budgetRow = await finding(budget, "budget", "open", { budgetId: "b", spent: "lots" });
    await finding(current, "unreviewed", "open", unreviewed);
    await finding(dismissedDuplicate, "duplicate", "dismissed", { cluster: "old" });

    const queued: unknown[] = [];
    const version = randomName("schemas");
    const result = await migrateStoredEvidence({ queue: async (job) => void queued.push(job), version });

    expect(result.skipped).toBe(false);
    expect(queued).toEqual(result.queued);
    expect(queued).toContainEqual({ repositoryId: live });
    // A duplicate is a workspace finding: the workspace's recomputation rewrites it.
    expect(queued).toContainEqual({ workspaceOnly: true });
    for (const id of [resolved, budget, current, dismissedDuplicate]) expect(queued).not.toContainEqual({ repositoryId: id });
    expect(result.older).toBeGreaterThanOrEqual(4);
    expect(result.kept).toBeGreaterThanOrEqual(2);
    // Nothing is rewritten by the backfill itself: the check does that, or the row stays as it was seen.
    expect((await db.finding.findUniqueOrThrow({ where: { id: budgetRow.id } })).evidence).toEqual({ budgetId: "b", spent: "lots" });
    expect((await db.finding.findUniqueOrThrow({ where: { id: stale.id } })).evidence).toEqual({ path: "specs/a.md", commits: "older" });
    // Live rows waited for a recomputation: the marker is not written, so the next start checks again.
    const marker = await db.workspaceSetting.findUnique({ where: { key: EVIDENCE_CHECKED_KEY } });
    expect((marker?.value as { version?: string } | undefined)?.version).not.toBe(version);

    // Once the check has rewritten it, the repository is not queued again.
    await db.finding.update({ where: { id: stale.id }, data: { type: "unreviewed", evidence: unreviewed } });
    const again = await migrateStoredEvidence({ queue: async () => {}, version });
    expect(again.queued).not.toContainEqual({ repositoryId: live });
  });

  it("reads nothing when the marker names the current schemas", async () => {
    const repositoryId = await repository();
    await finding(repositoryId, "stale", "open", { older: true });
    const version = randomName("schemas");
    const before = await db.workspaceSetting.findUnique({ where: { key: EVIDENCE_CHECKED_KEY } });
    await db.workspaceSetting.upsert({
      where: { key: EVIDENCE_CHECKED_KEY },
      create: { key: EVIDENCE_CHECKED_KEY, value: { version } },
      update: { value: { version } },
    });
    try {
      let called = false;
      const result = await migrateStoredEvidence({ queue: async () => void (called = true), version });
      expect(result).toMatchObject({ skipped: true, checked: 0, queued: [] });
      expect(called).toBe(false);
    } finally {
      if (before) await db.workspaceSetting.update({ where: { key: EVIDENCE_CHECKED_KEY }, data: { value: before.value as object } });
      else await db.workspaceSetting.delete({ where: { key: EVIDENCE_CHECKED_KEY } });
    }
  });

  it("writes the marker when no live finding waits for a recomputation", async () => {
    // Only rows this test cannot see could hold it back; with a version of its own, the marker is written exactly when nothing was queued.
    const version = randomName("schemas");
    const result = await migrateStoredEvidence({ queue: async () => {}, version });
    const marker = await db.workspaceSetting.findUnique({ where: { key: EVIDENCE_CHECKED_KEY } });
    expect((marker?.value as { version?: string } | undefined)?.version === version).toBe(result.queued.length === 0);
  });
});
