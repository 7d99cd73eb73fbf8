import { afterAll, expect, it } from "vitest";
import { db } from "@/lib/db";
import { stopQueue } from "@/lib/jobs/queue";
import { SYSTEM_VIEWER, runImport } from "@/lib/repositories";
import { requestImportHere } from "@/lib/operations/repositories";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { runRecomputeJob, startFindingsWorker } from "./jobs";

const repos: TestRepo[] = [];
afterAll(async () => {
  await stopQueue();
  repos.forEach((r) => r.remove());
});

it("an import queues the recomputation of its repository's findings, and the worker runs it", async () => {
  const repo = TestRepo.create();
  repos.push(repo);
  const name = randomName("jobs");
  repo.commit("agents", { "AGENTS.md": `# Agents for ${name}\n\n- Read \`docs/gone.md\` before you start.\n` });
  const { id: repositoryId } = await db.repository.create({ data: { name, source: repo.path } });
  const record = await requestImportHere(SYSTEM_VIEWER, { repositoryId });
  // The default: the import queues the findings job instead of computing them itself.
  expect((await runImport({ importId: record.id })).status).toBe("succeeded");
  expect(await db.finding.count({ where: { repositoryId } })).toBe(0);

  await startFindingsWorker();
  let found: { type: string; message: string }[] = [];
  // The queue is shared with every other test file's repositories: the job may wait its turn.
  for (let i = 0; i < 240 && found.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 500));
    found = await db.finding.findMany({ where: { repositoryId, type: "broken-reference" }, select: { type: true, message: true } });
  }
  expect(found).toEqual([{ type: "broken-reference", message: "AGENTS.md names docs/gone.md, which does not exist at the head commit." }]);
}, 150_000);

it("records a repository's failed findings on its latest import, in one line, for the repository page", async () => {
  const repo = TestRepo.create();
  const name = randomName("jobs-fail");
  repo.commit("agents", { "AGENTS.md": `# Agents for ${name}\n` });
  const { id: repositoryId } = await db.repository.create({ data: { name, source: repo.path } });
  const record = await requestImportHere(SYSTEM_VIEWER, { repositoryId });
  expect((await runImport({ importId: record.id, findings: "skip" })).followUpError).toBeNull();
  // The repository's git data is gone: its checks cannot read it.
  repo.remove();

  await runRecomputeJob({ repositoryId });
  const after = await db.import.findUniqueOrThrow({ where: { id: record.id } });
  expect(after.followUpError).toMatch(/^Computing findings failed \(the hourly sweep retries\): .+/);
  expect(after.followUpError).not.toContain("\n");
  // A job over every repository does not fail for one of them.
  await expect(runRecomputeJob({})).resolves.toBeUndefined();
});
