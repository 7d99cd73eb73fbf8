import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { hashPassword } from "@/lib/auth/password";
import { getDashboard, readCounts, scanCounts, type Query } from "@/lib/dashboard";
import { db } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { percentile } from "./stats";
import { freePort } from "@/lib/testing/ports";

// Dashboard figures (issues 5 and 17): the landing page's data with 100,000 live specs, 300,000
// versions and 30,000 findings, against two baselines measured in the same run on the same data:
// the same counts aggregated from the rows in SQL, and brute force (rows into the application).

const SPECS = 100_000;
const REPOS = 200;

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Built in SQL: repositories, specs (a tenth of them agent files), three versions each, reviews and findings. */
export async function populateDashboard(log: (line: string) => void) {
  const t = performance.now();
  const client = await pgPool().connect();
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(`INSERT INTO "Repository" (id, name, source, status, "headCommit")
      SELECT 'dr-' || r, 'dash-' || r, '/dev/null/' || r, 'ready', md5(r::text) FROM generate_series(1, ${REPOS}) r`);
    // Three contents per spec; agent files are larger.
    await client.query(`INSERT INTO "Content" (hash, size, text)
      SELECT encode(sha256(('d' || s || ':' || v)::bytea), 'hex'), length(t), t
      FROM generate_series(1, ${SPECS}) s, generate_series(1, 3) v,
           LATERAL (SELECT repeat('- Use the shared logger in every handler. ', CASE WHEN s % 10 = 0 THEN 40 + s % 200 ELSE 5 + s % 20 END) || s || ':' || v AS t) x`);
    await client.query(`INSERT INTO "Spec" (id, "repositoryId", path, kind, "currentHash", "versionCount", owners, "updatedAt")
      SELECT 'ds-' || s, 'dr-' || (1 + s % ${REPOS}),
             CASE WHEN s % 10 = 0 THEN 'services/s' || s || '/AGENTS.md' ELSE 'specs/' || s || '/spec.md' END,
             CASE WHEN s % 10 = 0 THEN 'agent' ELSE 'spec' END,
             encode(sha256(('d' || s || ':3')::bytea), 'hex'), 3,
             CASE WHEN s % 3 = 0 THEN ARRAY[]::text[] ELSE ARRAY['@acme/team-' || (s % 20)] END, now()
      FROM generate_series(1, ${SPECS}) s`);
    await client.query(`INSERT INTO "SpecVersion" (id, "specId", seq, "contentHash", "blobId", path, "commitSha", "authorName", "authorEmail", "committedAt")
      SELECT 'dv-' || s || '-' || v, 'ds-' || s, v, encode(sha256(('d' || s || ':' || v)::bytea), 'hex'), md5(s || ':' || v),
             'specs/' || s || '/spec.md', md5('c' || s || ':' || v), 'Bench', 'bench@example.com',
             now() - ((400 - (s % 360) - v * 10) || ' days')::interval
      FROM generate_series(1, ${SPECS}) s, generate_series(1, 3) v`);
    // Half the specs have their current version approved; the rest wait for review.
    await client.query(`INSERT INTO "Change" (id, "specId", origin, title, "currentHash", "versionId", state)
      SELECT 'dc-' || s, 'ds-' || s, 'import', 'Imported', encode(sha256(('d' || s || ':3')::bytea), 'hex'), 'dv-' || s || '-3',
             (CASE WHEN s % 2 = 0 THEN 'approved' ELSE 'unreviewed' END)::"ReviewState"
      FROM generate_series(1, ${SPECS}) s`);
    await client.query(`INSERT INTO "Finding" (id, fingerprint, type, rule, severity, status, "repositoryId", "specId", message, evidence, "introducedAt", "resolvedAt")
      SELECT 'df-' || f, 'bench:' || f, (ARRAY['lint','stale','unreviewed','broken-reference','duplicate','competing-instructions','deployed-stale'])[1 + f % 7], 'rule',
             (ARRAY['error','warning','info'])[1 + f % 3]::"FindingSeverity",
             (ARRAY['open','open','acknowledged','resolved','dismissed'])[1 + f % 5]::"FindingStatus",
             'dr-' || (1 + f % ${REPOS}), 'ds-' || (1 + (f * 7) % ${SPECS}), 'Bench finding ' || f, '{}',
             now() - ((f % 180) || ' days')::interval, CASE WHEN f % 5 = 3 THEN now() - ((f % 30) || ' days')::interval END
      FROM generate_series(1, 30000) f`);
    // What autovacuum does on a live server: index-only scans need the visibility map.
    await client.query(`VACUUM ANALYZE`);
  } finally {
    client.release();
  }
  log(
    `  data: ${SPECS.toLocaleString("en")} specs in ${REPOS} repositories, ${(SPECS * 3).toLocaleString("en")} versions, 30,000 findings, built in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}

/** The same figures the naive way: every row into the application, counted there. */
async function bruteForce() {
  const [specs, findings, versions, changes] = await Promise.all([
    db.spec.findMany({ select: { id: true, kind: true, owners: true, deleted: true, currentHash: true, repositoryId: true } }),
    db.finding.findMany({ select: { type: true, severity: true, status: true, repositoryId: true } }),
    db.specVersion.findMany({ select: { specId: true, seq: true, committedAt: true } }),
    db.change.findMany({ where: { state: "approved" }, select: { specId: true, currentHash: true } }),
  ]);
  const live = specs.filter((s) => !s.deleted);
  const current = new Map(live.map((s) => [s.id, s.currentHash]));
  const approved = new Set(changes.filter((c) => current.get(c.specId) === c.currentHash).map((c) => c.specId));
  const open = findings.filter((f) => f.status === "open" || f.status === "acknowledged");
  const byType = new Map<string, number>();
  for (const f of open) byType.set(`${f.type}:${f.severity}`, (byType.get(`${f.type}:${f.severity}`) ?? 0) + 1);
  const firstVersions = versions.filter((v) => v.seq === 1).length;
  return { firstVersions, live: live.length, owned: live.filter((s) => s.owners.length > 0).length, approved: approved.size, byType };
}

async function time<T>(fn: () => Promise<T>, rounds: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn();
    latencies.push(performance.now() - t);
  }
  return latencies.sort((a, b) => a - b);
}

export async function runDashboardBenchmark(opts: { log: (line: string) => void; rounds?: number }) {
  const { log } = opts;
  const rounds = opts.rounds ?? 60;
  log("");
  log("Dashboard (issue 5)");
  await populateDashboard(log);
  const viewer = { role: "viewer" as const };
  const query: Query = (sql) => db.$queryRawUnsafe(sql);
  // Exact: the counts kept on write equal the rows' aggregates (totals, kinds, findings, every trend week).
  const [kept, scanned] = [await readCounts(query), await scanCounts(query)];
  if (JSON.stringify(kept) !== JSON.stringify(scanned)) {
    throw new Error(`the kept counts and the rows disagree: ${JSON.stringify({ kept, scanned })}`);
  }
  const [{ deltas }] = await db.$queryRawUnsafe<{ deltas: number }[]>(`SELECT count(*)::int AS deltas FROM "DashboardCount"`);
  log(`  kept counts equal the rows' aggregates (totals, kinds, findings, ${kept.trend.length} trend weeks); ${deltas} delta rows`);
  const dashboard = await getDashboard(viewer);
  const naive = await bruteForce();
  if (dashboard.totals.live !== naive.live || dashboard.totals.owned !== naive.owned || dashboard.totals.approved !== naive.approved) {
    throw new Error(
      `the dashboard and the brute-force count disagree: ${JSON.stringify({ dashboard: dashboard.totals, naive: { ...naive, byType: undefined } })}`,
    );
  }
  log(
    `  checked: ${dashboard.totals.live.toLocaleString("en")} live, ${dashboard.totals.owned.toLocaleString("en")} owned, ${dashboard.totals.approved.toLocaleString("en")} approved, ${dashboard.findings.open.toLocaleString("en")} open findings, ${dashboard.trend.length} trend weeks (same as brute force)`,
  );
  // Interleaved, so the machine's drift falls on both alike: the dashboard, then the same counts from the rows.
  const sequential: number[] = [];
  const scans: number[] = [];
  for (let i = 0; i < rounds; i++) {
    sequential.push(...(await time(() => getDashboard(viewer), 1)));
    if (i % 4 === 0) scans.push(...(await time(() => scanCounts(query), 1)));
  }
  sequential.sort((a, b) => a - b);
  scans.sort((a, b) => a - b);
  const naiveTimes = await time(bruteForce, Math.max(5, Math.round(rounds / 10)));
  log(`  dashboard data, sequential, ${rounds} requests: p50 ${ms(percentile(sequential, 50))}, p95 ${ms(percentile(sequential, 95))} (target p95 <= 100 ms)`);
  log(
    `  the counts from the rows (the aggregate SQL before decision 037), ${scans.length} interleaved: p50 ${ms(percentile(scans, 50))}, p95 ${ms(percentile(scans, 95))}; the whole dashboard is ${(percentile(scans, 50) / percentile(sequential, 50)).toFixed(1)}x faster at p50`,
  );
  log(
    `  brute force (rows into the app, counted there): p50 ${ms(percentile(naiveTimes, 50))}; the dashboard is ${(percentile(naiveTimes, 50) / percentile(sequential, 50)).toFixed(0)}x faster`,
  );
  // Four managers opening it at once.
  const concurrent: number[] = [];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let i = 0; i < rounds / 4; i++) {
        const t = performance.now();
        await getDashboard(viewer);
        concurrent.push(performance.now() - t);
      }
    }),
  );
  concurrent.sort((a, b) => a - b);
  log(`  dashboard data, 4 at once: p50 ${ms(percentile(concurrent, 50))}, p95 ${ms(percentile(concurrent, 95))} (target p95 <= 300 ms)`);
  await measureDashboardPage({ log, rounds });
}

/**
 * The whole page over HTTP: `next start` on the production build (npm start and npm test
 * make one), signed in through next-auth's credentials endpoint like a browser.
 */
export async function measureDashboardPage(opts: { log: (line: string) => void; rounds: number }) {
  const { log } = opts;
  const root = process.cwd();
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    log("  dashboard page over HTTP: skipped, no production build (npm start or npm test makes one)");
    return;
  }
  const password = "bench-password";
  const email = `bench-${Date.now()}@bench.local`;
  await db.user.create({ data: { email, name: "Bench", role: "viewer", passwordHash: await hashPassword(password) } });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port)], {
    env: { ...process.env, NODE_ENV: "production", NEXTAUTH_URL: url, NEXTAUTH_SECRET: "bench-secret", SPECLEDGER_WORKER: "0", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${url}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 120) throw new Error("the app did not start");
      await new Promise((r) => setTimeout(r, 500));
    }
    const cookies = new Map<string, string>();
    const keep = (response: Response) => {
      for (const c of response.headers.getSetCookie()) {
        const [pair] = c.split(";");
        const i = pair.indexOf("=");
        cookies.set(pair.slice(0, i), pair.slice(i + 1));
      }
    };
    const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const csrf = await fetch(`${url}/api/auth/csrf`);
    keep(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signIn = await fetch(`${url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
      body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    });
    keep(signIn);
    const page = async () => {
      const response = await fetch(`${url}/`, { headers: { cookie: cookie() }, redirect: "manual" });
      const html = await response.text();
      if (response.status !== 200 || !html.includes("fleet-totals")) throw new Error(`the dashboard answered ${response.status}`);
    };
    await page(); // the first request compiles nothing, but warms the server's caches
    const latencies = await time(page, opts.rounds);
    log(
      `  dashboard page over HTTP (next start, signed in), sequential, ${opts.rounds} requests: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))} (target p95 < 300 ms)`,
    );
  } finally {
    server.kill("SIGTERM");
  }
}
