import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";
import { startFindingsWorker } from "@/lib/findings/jobs";
import { stopQueue } from "@/lib/jobs/queue";
import { startImportWorker } from "@/lib/repositories";
import { serveApi } from "@/lib/testing/api-server";
import { TestRepo } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";
import { percentile } from "./stats";

// Issue 12 §5 load script (not a test): 20 concurrent repository adds, then 20 concurrent
// re-scans, against the route handlers served over HTTP with the import and findings workers
// in the same process (as `npm start` runs them), while one client keeps asking
// GET /api/v1/me. Prints the status counts and /me latency, idle and under that load.

const SOURCES = 16; // 20 adds: 16 distinct sources, 4 of them sent twice (409 expected)
const MAX_PROBES = 5_000;
const MAX_LOAD_MS = 180_000;

async function timed(url: string, init: RequestInit): Promise<{ status: number; ms: number }> {
  const start = performance.now();
  const response = await fetch(url, init);
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - start };
}

const counts = (statuses: number[]) =>
  Object.entries(statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {}))
    .map(([status, n]) => `${n}× ${status}`)
    .join(", ");

const summary = (latencies: number[]) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms over ${sorted.length} requests`;
};

export async function runRepositoriesLoad(opts: { work: string; log: (line: string) => void }) {
  const { log } = opts;
  const admin = await db.user.create({ data: { email: "load@specledger.local", name: "load", role: "admin" } });
  const token = (await createToken(admin, { name: "load", scopes: ["admin"], expiresInDays: 1 })).token;
  const repos = Array.from({ length: SOURCES }, (_, i) => {
    const repo = TestRepo.create("specledger-load-");
    for (let c = 0; c < 5; c++) repo.commit(`change ${c}`, { [`specs/f${i}/spec.md`]: `# Feature ${i}\n\nRevision ${c}.\n`, "AGENTS.md": `# Agents ${c}\n` });
    const moved = path.join(opts.work, path.basename(repo.path));
    fs.renameSync(repo.path, moved);
    return moved;
  });
  await startImportWorker();
  await startFindingsWorker();
  const server = await serveApi();
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const me = () => timed(`${server.url}/api/v1/me`, { headers });
  try {
    const idle: number[] = [];
    for (let i = 0; i < 200; i++) idle.push((await me()).ms);
    log(`GET /api/v1/me idle: ${summary(idle)}`);

    let loading = true;
    const underLoad: number[] = [];
    const meStatuses: number[] = [];
    const started = performance.now();
    const probe = (async () => {
      while (loading && underLoad.length < MAX_PROBES && performance.now() - started < MAX_LOAD_MS) {
        const answer = await me();
        underLoad.push(answer.ms);
        meStatuses.push(answer.status);
      }
    })();

    const sources = [...repos, ...repos.slice(0, 20 - SOURCES)];
    const adds = await Promise.all(
      sources.map((source) => timed(`${server.url}/api/v1/repositories`, { method: "POST", headers, body: JSON.stringify({ source }) })),
    );
    log(
      `20 concurrent adds: ${counts(adds.map((a) => a.status))} (expected ${SOURCES}× 201, ${20 - SOURCES}× 409); slowest ${Math.max(...adds.map((a) => a.ms)).toFixed(0)} ms`,
    );

    const ids = (await db.repository.findMany({ where: { source: { in: repos.map((r) => fs.realpathSync(r)) } }, select: { id: true } })).map((r) => r.id);
    const rescans = await Promise.all(
      Array.from({ length: 20 }, (_, i) => timed(`${server.url}/api/v1/repositories/${ids[i % ids.length]}/imports`, { method: "POST", headers })),
    );
    log(`20 concurrent re-scans: ${counts(rescans.map((r) => r.status))} (expected 20× 202); slowest ${Math.max(...rescans.map((r) => r.ms)).toFixed(0)} ms`);

    // Keep measuring while the worker imports what was queued, bounded in time.
    for (let i = 0; i < 600 && performance.now() - started < MAX_LOAD_MS; i++) {
      const pending = await db.import.count({ where: { repositoryId: { in: ids }, status: { in: ["queued", "running"] } } });
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    loading = false;
    await probe;
    const outcomes = await db.import.groupBy({ by: ["status"], where: { repositoryId: { in: ids } }, _count: true });
    log(`imports: ${outcomes.map((o) => `${o._count} ${o.status}`).join(", ")} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    log(`GET /api/v1/me under load: ${summary(underLoad)}; statuses ${counts(meStatuses)}`);
    const [idleP95, loadP95] = [
      percentile(
        [...idle].sort((a, b) => a - b),
        95,
      ),
      percentile(
        [...underLoad].sort((a, b) => a - b),
        95,
      ),
    ];
    log(`/me p95 under load is ${(loadP95 / idleP95).toFixed(1)}× its idle p95`);
  } finally {
    await server.close();
    await stopQueue();
  }
}
