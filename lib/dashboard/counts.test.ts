// The counts kept on write against the brute force (every row read), in one snapshot, after each
// kind of write the dashboard must follow: imports, reviews, finding dismissals, archiving,
// deleted specs, and folding the deltas together.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { recomputeFindings } from "@/lib/findings/store";
import { setFindingStatus } from "@/lib/operations/findings";
import { archiveRepository } from "@/lib/operations/repositories";
import { decideChange, proposeChange } from "@/lib/operations/reviews";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { compactCounts, getDashboard, readCounts, scanCounts, type Counts, type Query } from "./index";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

/** Both ways of counting in one REPEATABLE READ snapshot, so other test files' writes cannot come between them. */
async function bothWays(): Promise<{ kept: Counts; scanned: Counts }> {
  const client = await pgPool().connect();
  // One statement at a time on the one connection.
  let chain: Promise<unknown> = Promise.resolve();
  const query: Query = <T>(sql: string) => {
    const next = chain.then(() => client.query(sql));
    chain = next.catch(() => undefined);
    return next.then((r) => r.rows as T[]);
  };
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const kept = await readCounts(query);
    const scanned = await scanCounts(query);
    return { kept, scanned };
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

async function expectAgreement() {
  const { kept, scanned } = await bothWays();
  expect(kept).toEqual(scanned);
  return kept;
}

let reviewer: { id: string; email: string; role: "reviewer" };
let maintainer: { id: string; email: string; role: "maintainer" };
let repo: TestRepo;
let repositoryId: string;

const AGENTS = `# Agents\n\n${"Run the whole test suite before every push and name the tests you ran.\n".repeat(40)}`;

beforeAll(async () => {
  reviewer = (await db.user.create({
    data: { email: `${randomName("r")}@dash.test`, name: "r", role: "reviewer" },
    select: { id: true, email: true, role: true },
  })) as typeof reviewer;
  maintainer = (await db.user.create({
    data: { email: `${randomName("m")}@dash.test`, name: "m", role: "maintainer" },
    select: { id: true, email: true, role: true },
  })) as typeof maintainer;
  repo = TestRepo.create();
  repos.push(repo);
  repo.commit("specs", {
    "AGENTS.md": AGENTS,
    "specs/001-pay/spec.md": "# Pay\n\nSee [the runbook](../../docs/runbook.md).\n",
    "specs/002-refund/spec.md": "# Refund\n",
    "specs/003-gone/spec.md": "# Soon gone\n",
    "docs/runbook.md": "# Runbook\n",
  });
  const record = await db.repository.create({ data: { name: randomName("dash-counts"), source: repo.path } });
  repositoryId = record.id;
});

describe("the dashboard's counts kept on write", () => {
  it("agree with the rows after an import, and list the imported agent file by its size", async () => {
    await importRepository({ repositoryId });
    await expectAgreement();
    const agents = await db.spec.findFirstOrThrow({ where: { repositoryId, path: "AGENTS.md" } });
    const listed = await db.dashboardAgentFile.findUnique({ where: { specId: agents.id } });
    expect(listed?.size).toBe(Buffer.byteLength(AGENTS));
  });

  it("agree after a review approves a spec's current content, which the approved count then includes", async () => {
    const change = await db.change.findFirstOrThrow({ where: { spec: { repositoryId, path: "specs/002-refund/spec.md" } } });
    await decideChange(reviewer, { number: String(change.number), kind: "approve", contentHash: change.currentHash });
    await expectAgreement();
    expect(await db.dashboardApproved.findUnique({ where: { specId: change.specId } })).not.toBeNull();
  });

  it("agree after an edit makes the approved spec's content unreviewed again", async () => {
    repo.commit("edit refund", { "specs/002-refund/spec.md": "# Refund\n\nWithin 30 days.\n" });
    await importRepository({ repositoryId });
    await expectAgreement();
    const spec = await db.spec.findFirstOrThrow({ where: { repositoryId, path: "specs/002-refund/spec.md" } });
    expect(await db.dashboardApproved.findUnique({ where: { specId: spec.id } })).toBeNull();
  });

  it("agree after findings are found and one is dismissed (the trend's open findings fall)", async () => {
    repo.commit("drop the runbook", { "docs/runbook.md": null });
    await importRepository({ repositoryId });
    await recomputeFindings({ repositoryId });
    const found = await db.finding.findMany({ where: { repositoryId, status: "open" } });
    expect(found.length).toBeGreaterThan(0);
    await expectAgreement();
    expect(await setFindingStatus(reviewer, { ids: [found[0].id], action: "dismiss", note: "known" })).toEqual({ changed: 1 });
    await expectAgreement();
  });

  it("agree after a spec is deleted from the repository (the trend's spec count falls)", async () => {
    repo.commit("drop a spec", { "specs/003-gone/spec.md": null, "AGENTS.md": null });
    await importRepository({ repositoryId });
    await expectAgreement();
    const agents = await db.spec.findFirstOrThrow({ where: { repositoryId, path: "AGENTS.md" } });
    expect(agents.deleted).toBe(true);
    // A deleted agent file leaves the largest-files list.
    expect(await db.dashboardAgentFile.findUnique({ where: { specId: agents.id } })).toBeNull();
  });

  // Kind rules that classify paths differently reclassify specs in one UPDATE: each takes its first
  // version's week to its new kind, and an agent file joins or leaves the largest-files list.
  it("agree after specs change kind in one statement and change back", async () => {
    const flip = () =>
      db.$executeRaw`UPDATE "Spec" SET kind = CASE WHEN kind = 'agent' THEN 'spec' ELSE 'agent' END WHERE "repositoryId" = ${repositoryId} AND NOT deleted`;
    const before = await expectAgreement();
    expect(await flip()).toBe(2);
    const moved = await expectAgreement();
    expect(moved).not.toEqual(before);
    const pay = await db.spec.findFirstOrThrow({ where: { repositoryId, path: "specs/001-pay/spec.md" } });
    expect(await db.dashboardAgentFile.findUnique({ where: { specId: pay.id } })).not.toBeNull();
    await flip();
    await expectAgreement();
    expect(await db.dashboardAgentFile.findUnique({ where: { specId: pay.id } })).toBeNull();
  });

  it("leave an archived repository out of the repositories count and the top repositories, and agree", async () => {
    const before = await getDashboard(reviewer);
    await archiveRepository(maintainer, { repositoryId, archived: true });
    await expectAgreement();
    const after = await getDashboard(reviewer);
    expect(after.topRepositories.map((r) => r.id)).not.toContain(repositoryId);
    expect(before.totals.repositories).toBeGreaterThan(0);
    await archiveRepository(maintainer, { repositoryId, archived: false });
    await expectAgreement();
  });

  it("agree after the deltas are folded together, which leaves at most one row per metric, key and week", async () => {
    await compactCounts((sql) => db.$queryRawUnsafe(sql));
    await expectAgreement();
    const [{ duplicates }] = await db.$queryRawUnsafe<{ duplicates: number }[]>(
      `SELECT count(*)::int AS duplicates FROM (SELECT 1 FROM "DashboardCount" GROUP BY metric, key, week HAVING count(*) > 1) d`,
    );
    // Other test files may append deltas meanwhile; a handful, never one per spec.
    expect(duplicates).toBeLessThan(50);
  });

  it("refuses a token without the read scope", async () => {
    await expect(getDashboard({ role: "viewer", scopes: [] })).rejects.toMatchObject({ code: "forbidden" });
  });
});

// Regression (decision 043): an import (read committed) moving a spec's content and a review
// approving a proposal of exactly that content, at the same instant, each recounted the spec
// without the other's uncommitted write, so the kept approved count ended one below the rows.
describe("the approved count under a concurrent import and review of one spec", () => {
  it("equals the brute-force count once both have committed", { timeout: 60_000 }, async () => {
    const race = TestRepo.create();
    repos.push(race);
    race.commit("spec", { "specs/001-race/spec.md": `# ${randomName("race")}\n` });
    const record = await db.repository.create({ data: { name: randomName("dash-race"), source: race.path } });
    await importRepository({ repositoryId: record.id });
    const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: record.id, path: "specs/001-race/spec.md" } });
    const proposal = await proposeChange(maintainer, { specId: spec.id, content: "# Raced\n", title: "Raced" });
    await expectAgreement();

    // The import's write, as its statement makes it: the spec now holds the proposal's bytes.
    const importer = await pgPool().connect();
    let review: Promise<unknown> | undefined;
    try {
      await importer.query("BEGIN");
      await importer.query(`UPDATE "Spec" SET "currentHash" = $2 WHERE id = $1`, [spec.id, proposal.currentHash]);
      const { rows } = await importer.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      // The review runs meanwhile: it either waits for the import's row (fixed) or finishes without seeing it (the bug).
      let settled = false;
      review = decideChange(reviewer, { number: String(proposal.number), kind: "approve", contentHash: proposal.currentHash }).finally(() => {
        settled = true;
      });
      const waitingOrDone = async () =>
        settled ||
        (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${rows[0].pid}::int = ANY(pg_blocking_pids(pid))`)[0].n > 0;
      await expect.poll(waitingOrDone, { timeout: 30_000, interval: 50 }).toBe(true);
      await importer.query("COMMIT");
    } finally {
      await importer.query("ROLLBACK").catch(() => {});
      importer.release();
    }
    expect(await review).toMatchObject({ state: "approved" });
    await expectAgreement();
    expect(await db.dashboardApproved.findUnique({ where: { specId: spec.id } })).not.toBeNull();
  });
});
