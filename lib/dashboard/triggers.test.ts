// Regression (decision 037, "Transition tables"): the dashboard triggers' plans are kept for the session, planned with
// the transition tables' sizes at their first firing. Planned for one row, a join of new_rows
// with old_rows became a nested loop rescanning a transition table once per row (and once per
// first version): the import's search-vector UPDATE of 300 specs took seconds, of the monorepo's
// minutes. Whatever the cached plan, each transition table must be read once per statement;
// auto_explain shows the plans of the trigger's statements, as run.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";

// LOAD 'auto_explain' needs the embedded server's superuser, which the test setup shares.
const superuserUrl = process.env.SPECLEDGER_TEST_SUPERUSER_URL;
const SPECS = 12;
let repo: TestRepo;
let repositoryId: string;

beforeAll(async () => {
  if (!superuserUrl) return;
  repo = TestRepo.create();
  repo.commit("specs", {
    "AGENTS.md": "# Agents\n\nRun the tests.\n",
    ...Object.fromEntries(Array.from({ length: SPECS }, (_, i) => [`specs/${String(i + 1).padStart(3, "0")}-f/spec.md`, `# Feature ${i}\n`])),
  });
  const record = await db.repository.create({ data: { name: randomName("dash-triggers"), source: repo.path } });
  repositoryId = record.id;
  await importRepository({ repositoryId });
});
afterAll(() => repo?.remove());

interface PlanNode {
  "Node Type": string;
  "Actual Loops"?: number;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe.skipIf(!superuserUrl)("the dashboard's Spec trigger", () => {
  it("reads each transition table once per statement after a one-row statement planned it", { timeout: 60_000 }, async () => {
    const client = new pg.Client({ connectionString: superuserUrl });
    await client.connect();
    const plans: PlanNode[] = [];
    client.on("notice", (notice) => {
      const text = notice.message ?? "";
      const at = text.indexOf("{");
      if (text.startsWith("duration:") && at >= 0) plans.push((JSON.parse(text.slice(at)) as { Plan: PlanNode }).Plan);
    });
    try {
      await client.query("BEGIN");
      await client.query("LOAD 'auto_explain'");
      for (const setting of ["log_min_duration = 0", "log_nested_statements = on", "log_analyze = on", "log_format = json", "log_level = notice"]) {
        await client.query(`SET LOCAL auto_explain.${setting}`);
      }
      const { rows } = await client.query<{ id: string }>(`SELECT id FROM "Spec" WHERE "repositoryId" = $1 AND NOT deleted ORDER BY path`, [repositoryId]);
      expect(rows).toHaveLength(SPECS + 1);
      // The first firing on this connection: one row, which the kept plans are made for.
      await client.query(`UPDATE "Spec" SET kind = kind WHERE id = $1`, [rows[0].id]);
      plans.length = 0;
      // Every spec changes kind and is deleted: all of the trigger's paths run, over all rows.
      await client.query(`UPDATE "Spec" SET kind = CASE WHEN kind = 'agent' THEN 'spec' ELSE 'agent' END, deleted = true WHERE "repositoryId" = $1`, [
        repositoryId,
      ]);
      const scans = plans.flatMap(nodes).filter((n) => n["Node Type"] === "Named Tuplestore Scan");
      expect(scans.length).toBeGreaterThan(0);
      expect(scans.map((n) => n["Actual Loops"])).toEqual(scans.map(() => 1));
    } finally {
      await client.query("ROLLBACK").catch(() => {});
      await client.end();
    }
  });
});
