import http from "node:http";
import { Worker } from "node:worker_threads";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import type { Viewer } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { getDeploymentProvenanceJson, versionImpactJson } from "@/lib/deployments";
import { canIDeploy } from "@/lib/deployments/gate";
import { withUser } from "@/lib/http/route";
import { emitGateDenied } from "@/lib/notifications/events";
import { createToken } from "@/lib/operations/workspace";
import { percentile } from "./stats";

// Provenance figures (issue 4): ingest through the API against raw pg inserts of the same
// rows, and the latency of the two provenance questions, with 1,000,000 runs and 100,000
// deployments in the database. Requests go over HTTP to the real route handlers, served by
// a plain node:http server in this process (the same code `next start` runs, without the
// framework's own routing).

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const ms = (n: number) => `${n.toFixed(2)} ms`;
const perSecond = (n: number, elapsed: number) => Math.round(n / (elapsed / 1000)).toLocaleString("en");

async function serve(): Promise<{ url: string; close: () => void }> {
  const runs = (await import("@/app/api/v1/runs/route")) as unknown as Record<string, Handler>;
  const batch = (await import("@/app/api/v1/runs/batch/route")) as unknown as Record<string, Handler>;
  const deployment = (await import("@/app/api/v1/deployments/[id]/route")) as unknown as Record<string, Handler>;
  const version = (await import("@/app/api/v1/versions/[id]/route")) as unknown as Record<string, Handler>;
  const gate = (await import("@/app/api/v1/can-i-deploy/route")) as unknown as Record<string, Handler>;
  // The floor: the same server, token check and load generator, with no query behind them.
  const floor = withUser("deployments:read", async () => new Response("{}", { headers: { "content-type": "application/json" } })) as unknown as Handler;
  const route = (pathname: string): [Handler | undefined, Record<string, string>] => {
    if (pathname === "/bench/floor") return [floor, {}];
    if (pathname === "/api/v1/runs") return [runs.POST, {}];
    if (pathname === "/api/v1/runs/batch") return [batch.POST, {}];
    if (pathname === "/api/v1/can-i-deploy") return [gate.GET, {}];
    let m = /^\/api\/v1\/deployments\/([^/]+)$/.exec(pathname);
    if (m) return [deployment.GET, { id: m[1] }];
    m = /^\/api\/v1\/versions\/([^/]+)$/.exec(pathname);
    if (m) return [version.GET, { id: m[1] }];
    return [undefined, {}];
  };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url!, "http://bench");
    const [handler, params] = route(url.pathname);
    if (!handler) return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const response = await handler(
      new NextRequest(url, { method: req.method, headers: req.headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined }),
      {
        params: Promise.resolve(params),
      },
    );
    res.writeHead(response.status, { "content-type": "application/json" }).end(Buffer.from(await response.arrayBuffer()));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/**
 * 1,000,000 runs (or `runs`) with 3 spec versions each, 100,000 deployments of 10 runs each, built
 * in SQL with generate_series: one statement per table, no per-row round trips.
 */
export async function populate(userId: string, log: (line: string) => void, opts: { runs?: number } = {}) {
  const runs = opts.runs ?? 1_000_000;
  const t = performance.now();
  const client = await pgPool().connect();
  const step = (() => {
    let last = performance.now();
    const steps: string[] = [];
    return {
      done: (name: string) => {
        steps.push(`${name} ${((performance.now() - last) / 1000).toFixed(1)} s`);
        last = performance.now();
      },
      steps,
    };
  })();
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET work_mem = '256MB'`);
    await client.query(`SET maintenance_work_mem = '512MB'`);
    await client.query(`INSERT INTO "Repository" (id, name, source, status) VALUES ('bench-repo', 'bench-prov', '/dev/null', 'ready')`);
    await client.query(
      `INSERT INTO "Content" (hash, size, text) SELECT encode(sha256(('c' || i)::bytea), 'hex'), 12, 'content ' || i FROM generate_series(1, 1000) i`,
    );
    await client.query(
      `INSERT INTO "Spec" (id, "repositoryId", path, kind, "currentHash", "versionCount", "updatedAt")
       SELECT 'bspec-' || s, 'bench-repo', 'specs/' || s || '/spec.md', 'spec', encode(sha256(('c' || (s * 5))::bytea), 'hex'), 5, now() FROM generate_series(1, 200) s`,
    );
    await client.query(
      `INSERT INTO "SpecVersion" (id, "specId", seq, "contentHash", "blobId", path, "commitSha", "authorName", "authorEmail", "committedAt")
       SELECT 'bver-' || s || '-' || v, 'bspec-' || s, v, encode(sha256(('c' || ((s - 1) * 5 + v))::bytea), 'hex'), md5('b' || s || '-' || v),
              'specs/' || s || '/spec.md', md5('commit' || v), 'bench', 'bench@example.com', now()
       FROM generate_series(1, 200) s, generate_series(1, 5) v`,
    );
    // The rows are consistent by construction: skipping the per-row foreign-key checks (replica
    // mode does not fire them) makes the load minutes faster. Only the run and deployment tables, whose
    // triggers guard updates and deletes alone: the repository's and specs' triggers fill columns. Needs a superuser, as the bench's own
    // embedded server has; with another role the checks simply run.
    await client.query(`SET session_replication_role = replica`).catch(() => undefined);
    await client.query(
      `INSERT INTO "AgentRun" (id, "externalId", agent, "repositoryId", "repositoryName", outcome, "reportedById")
       SELECT 'brun-' || i, 'bench-' || i, (ARRAY['codex', 'claude-code', 'kiro', 'copilot'])[1 + i % 4], 'bench-repo', 'bench-prov', 'succeeded', $1
       FROM generate_series(1, $2::int) i`,
      [userId, runs],
    );
    step.done("runs");
    await client.query(
      `INSERT INTO "RunSpecRef" ("runId", kind, "specVersionId")
       SELECT 'brun-' || i, 'spec', 'bver-' || (1 + (i * 7 + k * 13) % 200) || '-' || (1 + (i + k) % 5)
       FROM generate_series(1, $1::int) i, generate_series(1, 3) k`,
      [runs],
    );
    step.done("references");
    await client.query(`INSERT INTO "Environment" (id, name) SELECT 'benv-' || e, 'bench-env-' || e FROM generate_series(1, 3) e`);
    // Each (service, environment) keeps only its latest deployment live.
    await client.query(
      `INSERT INTO "Deployment" (id, service, "environmentId", version, "deployedAt", "undeployedAt", "recordedById")
       SELECT 'bdep-' || i, 'svc-' || (i % 500), 'benv-' || (1 + (i / 500) % 3), 'v' || i, now() - (100000 - i) * interval '1 minute',
              CASE WHEN i > 100000 - 1500 THEN NULL ELSE now() END, $1
       FROM generate_series(1, 100000) i`,
      [userId],
    );
    await client.query(
      `INSERT INTO "DeploymentRun" ("deploymentId", "runId") SELECT 'bdep-' || i, 'brun-' || (1 + (i * 10 + k) % $1::int) FROM generate_series(1, 100000) i, generate_series(0, 9) k`,
      [runs],
    );
    step.done("deployments");
    await client.query(
      `INSERT INTO "DeploymentSpecRef" ("deploymentId", source, "specVersionId") SELECT 'bdep-' || i, 'direct', 'bver-' || (1 + i % 200) || '-5' FROM generate_series(1, 100000) i`,
    );
    // As recordDeployment does: the versions each deployment's runs used, once each.
    await client.query(
      `INSERT INTO "DeploymentSpecRef" ("deploymentId", source, "specVersionId")
       SELECT DISTINCT dr."deploymentId", 'run'::"DeploymentRefSource", x."specVersionId"
       FROM "DeploymentRun" dr JOIN "RunSpecRef" x ON x."runId" = dr."runId"`,
    );
    step.done("deployment references");
    await client.query(`SET session_replication_role = origin`).catch(() => undefined);
    // What autovacuum does on a live server after a bulk load: index-only scans need the visibility map.
    await client.query(`VACUUM ANALYZE`);
    step.done("vacuum");
    // The size behind docs/scaling.md: what a million runs cost on disk, tables and indexes.
    const { rows } = await client.query<{ name: string; rows: string; tables: string; indexes: string; total: string }>(
      `SELECT c.relname AS name, c.reltuples::bigint::text AS rows, pg_table_size(c.oid)::text AS tables, pg_indexes_size(c.oid)::text AS indexes,
              pg_total_relation_size(c.oid)::text AS total
       FROM pg_class c WHERE c.relkind = 'r' AND c.relname IN ('AgentRun', 'RunSpecRef', 'Deployment', 'DeploymentRun', 'DeploymentSpecRef') ORDER BY c.relname`,
    );
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
    const runTables = rows.filter((r) => r.name === "AgentRun" || r.name === "RunSpecRef").reduce((n, r) => n + Number(r.total), 0);
    const refs = Number(rows.find((r) => r.name === "RunSpecRef")?.rows ?? 0);
    log(
      `  on disk (pg_total_relation_size): ${rows.map((r) => `${r.name} ${Number(r.rows).toLocaleString("en")} rows, ${mib(Number(r.tables))} + ${mib(Number(r.indexes))} indexes`).join("; ")}`,
    );
    log(
      `  a run is 1 AgentRun row + ${(refs / runs).toFixed(1)} RunSpecRef rows; runs and their references take ${mib((runTables * 1_000_000) / runs)} per million runs (${Math.round(runTables / runs)} bytes a run)`,
    );
  } finally {
    client.release();
  }
  log(
    `  populated ${runs.toLocaleString("en")} runs (${(runs * 3).toLocaleString("en")} spec references) and 100,000 deployments (1,000,000 run links) in ${((performance.now() - t) / 1000).toFixed(1)} s (${step.steps.join(", ")})`,
  );
}

function runBody(n: number, prefix: string) {
  return {
    externalId: `${prefix}-${n}`,
    agent: "codex",
    model: "gpt-5-codex",
    repository: "bench-prov",
    outcome: "succeeded",
    inputTokens: 1000 + n,
    outputTokens: 100,
    specs: [{ contentHash: `__HASH_${1 + (n % 1000)}__` }, { contentHash: `__HASH_${1 + ((n * 7) % 1000)}__` }],
    instructions: [{ contentHash: `__HASH_${1 + ((n * 13) % 1000)}__` }],
  };
}

async function contentHashes(): Promise<Map<number, string>> {
  const { rows } = await pgPool().query<{ i: number; hash: string }>(
    `SELECT i, encode(sha256(('c' || i)::bytea), 'hex') AS hash FROM generate_series(1, 1000) i`,
  );
  return new Map(rows.map((r) => [r.i, r.hash]));
}

async function inParallel<T>(items: T[], workers: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

type Load = { elapsed: number; latencies: number[]; statuses: Record<string, number> };

/** Sends the requests from a worker thread, `concurrency` at a time, and times each. */
function load(url: string, token: string, requests: { method: string; path: string; body?: unknown }[], concurrency: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./http-load.mjs", import.meta.url), { workerData: { url, token, requests, concurrency } });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

const failed = (result: Load, ok: number) =>
  Object.entries(result.statuses)
    .filter(([status]) => Number(status) !== ok)
    .reduce((n, [, count]) => n + count, 0);

export async function runProvenanceBenchmark(opts: { log: (line: string) => void; runs?: number; singles?: number; batches?: number; queries?: number }) {
  const { log } = opts;
  const singles = opts.singles ?? 4000;
  const batches = opts.batches ?? 20;
  const queries = opts.queries ?? 4000;
  const connections = 8;
  log("");
  log("Provenance (issue 4)");
  const user = await db.user.create({
    data: { email: `bench-${Date.now()}@bench.local`, name: "bench", role: "maintainer" },
    select: { id: true, email: true, role: true },
  });
  const { token } = await createToken(user, { name: "bench", scopes: ["runs:write", "deployments:write", "specs:read"], expiresInDays: 1 });
  await populate(user.id, log, { runs: opts.runs });
  const hashes = await contentHashes();
  const withHashes = (body: unknown) => JSON.parse(JSON.stringify(body).replace(/__HASH_(\d+)__/g, (_, i: string) => hashes.get(Number(i))!));
  const server = await serve();
  try {
    // The raw baseline writes the same rows: one run and its resolved references per transaction.
    const versionOf = new Map<string, string>();
    for (const row of (
      await pgPool().query<{ hash: string; id: string }>(
        `SELECT DISTINCT ON ("contentHash") "contentHash" AS hash, id FROM "SpecVersion" WHERE "specId" LIKE 'bspec-%' ORDER BY "contentHash", seq`,
      )
    ).rows) {
      versionOf.set(row.hash, row.id);
    }
    const rawRun = async (client: import("pg").PoolClient, body: ReturnType<typeof runBody>) => {
      const refs = [...body.specs.map((s) => ["spec", s.contentHash]), ...body.instructions.map((s) => ["instruction", s.contentHash])];
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO "AgentRun" (id, "externalId", agent, model, "repositoryId", "repositoryName", "inputTokens", "outputTokens", outcome, "reportedById")
         VALUES (gen_random_uuid()::text, $1, $2, $3, 'bench-repo', $4, $5, $6, 'succeeded', $7)`,
        [body.externalId, body.agent, body.model, body.repository, body.inputTokens, body.outputTokens, user.id],
      );
      await client.query(
        `INSERT INTO "RunSpecRef" ("runId", kind, "contentHash", "specVersionId")
         SELECT r.id, t.kind::"SpecRefKind", t.hash, t.version FROM "AgentRun" r, unnest($2::text[], $3::text[], $4::text[]) AS t(kind, hash, version) WHERE r."externalId" = $1`,
        [body.externalId, refs.map((r) => r[0]), refs.map((r) => r[1]), refs.map((r) => versionOf.get(r[1]!) ?? null)],
      );
      await client.query("COMMIT");
    };

    const singlesApi = Array.from({ length: singles }, (_, i) => withHashes(runBody(i, "api-single")));
    const singlesRaw = Array.from({ length: singles }, (_, i) => withHashes(runBody(i, "raw-single")));
    let t = performance.now();
    await inParallel(singlesRaw, connections, async (body) => {
      const client = await pgPool().connect();
      try {
        await rawRun(client, body);
      } finally {
        client.release();
      }
    });
    const rawSingleMs = performance.now() - t;
    const singleLoad = await load(
      server.url,
      token,
      singlesApi.map((body) => ({ method: "POST", path: "/api/v1/runs", body })),
      connections,
    );
    const apiSingleMs = singleLoad.elapsed;
    let failures = failed(singleLoad, 201);
    log(
      `  single runs, ${connections} connections: raw pg (INSERT run + INSERT refs per transaction) ${perSecond(singles, rawSingleMs)} runs/s; POST /api/v1/runs ${perSecond(singles, apiSingleMs)} runs/s`,
    );
    log(
      `  ratio, single POSTs to raw single-row inserts: ${(rawSingleMs / apiSingleMs).toFixed(3)} (target >= 0.30)${failures ? `; ${failures} requests FAILED` : ""}`,
    );

    const batchBodies = (prefix: string) =>
      Array.from({ length: batches }, (_, b) => ({ runs: Array.from({ length: 1000 }, (_, i) => withHashes(runBody(b * 1000 + i, prefix))) }));
    const apiBatches = batchBodies("api-batch");
    const rawBatches = batchBodies("raw-batch");
    t = performance.now();
    await inParallel(rawBatches, connections, async ({ runs }) => {
      const client = await pgPool().connect();
      try {
        await client.query("BEGIN");
        const inserted = await client.query<{ id: string; externalId: string }>(
          `INSERT INTO "AgentRun" (id, "externalId", agent, model, "repositoryId", "repositoryName", "inputTokens", "outputTokens", outcome, "reportedById")
           SELECT gen_random_uuid()::text, e, 'codex', 'gpt-5-codex', 'bench-repo', 'bench-prov', i, 100, 'succeeded', $3
           FROM unnest($1::text[], $2::bigint[]) AS t(e, i) RETURNING id, "externalId"`,
          [runs.map((r: { externalId: string }) => r.externalId), runs.map((r: { inputTokens: number }) => r.inputTokens), user.id],
        );
        const ids = new Map(inserted.rows.map((r) => [r.externalId, r.id]));
        const refs = runs.flatMap((r: ReturnType<typeof runBody>) => [
          ...r.specs.map((s) => [ids.get(r.externalId)!, "spec", s.contentHash]),
          ...r.instructions.map((s) => [ids.get(r.externalId)!, "instruction", s.contentHash]),
        ]);
        await client.query(
          `INSERT INTO "RunSpecRef" ("runId", kind, "contentHash", "specVersionId") SELECT * FROM unnest($1::text[], $2::"SpecRefKind"[], $3::text[], $4::text[])`,
          [
            refs.map((r: string[]) => r[0]),
            refs.map((r: string[]) => r[1]),
            refs.map((r: string[]) => r[2]),
            refs.map((r: string[]) => versionOf.get(r[2]) ?? null),
          ],
        );
        await client.query("COMMIT");
      } finally {
        client.release();
      }
    });
    const rawBatchMs = performance.now() - t;
    const batchLoad = await load(
      server.url,
      token,
      apiBatches.map((body) => ({ method: "POST", path: "/api/v1/runs/batch", body })),
      connections,
    );
    const apiBatchMs = batchLoad.elapsed;
    failures = failed(batchLoad, 201);
    const n = batches * 1000;
    log(
      `  batches of 1,000 runs, ${connections} connections: raw pg multi-row INSERTs ${perSecond(n, rawBatchMs)} runs/s; POST /api/v1/runs/batch ${perSecond(n, apiBatchMs)} runs/s`,
    );
    log(
      `  ratio, batches to raw multi-row inserts: ${(rawBatchMs / apiBatchMs).toFixed(3)} (target >= 0.30)${failures ? `; ${failures} requests FAILED` : ""}`,
    );

    const http16 = await measureQuestions(server.url, token, queries, log);
    await measureQuestionWork(user, queries, http16, log);
  } finally {
    server.close();
  }
}

/**
 * The three provenance questions and their floor against a served, populated database; exported
 * so the questions can be measured again on data that is already there.
 */
export async function measureQuestions(url: string, token: string, queries: number, log: (line: string) => void): Promise<Record<string, Rate>> {
  const at16: Record<string, Rate> = {};
  // The questions, random deployments and versions: 16 clients at once (the target), and 1
  // and 4 to show the latency of one request apart from queueing for the 2 cores. First the
  // floor: what 16 clients see from this machine with no database work at all; each
  // question's figures at 16 clients are then printed as ratios to it (issue 17's targets).
  const floorAt16 = { perSecond: 0, p95: 0 };
  const targets: Record<string, { throughput: number; p95: number }> = {
    deployment: { throughput: 0.5, p95: 2 },
    version: { throughput: 0.4, p95: 2.5 },
    gate: { throughput: 0.5, p95: 2 },
  };
  for (const [label, path, clientCounts, key] of [
    ["floor: the token check and an empty answer, no query (GET /bench/floor)", () => "/bench/floor", [16], "floor"],
    [
      "which spec versions shaped deployment X (GET /deployments/:id)",
      () => `/api/v1/deployments/bdep-${1 + Math.floor(Math.random() * 100000)}`,
      [16, 4, 1],
      "deployment",
    ],
    [
      "which runs and deployments spec version V shaped (GET /versions/:id)",
      () => `/api/v1/versions/bver-${1 + Math.floor(Math.random() * 200)}-${1 + Math.floor(Math.random() * 5)}`,
      [16, 4, 1],
      "version",
    ],
    [
      "may version X of a service go to an environment (GET /can-i-deploy)",
      () => {
        // bdep-i is version v<i> of svc-<i mod 500> in bench-env-<1 + (i div 500) mod 3> (see populate).
        const i = 1 + Math.floor(Math.random() * 100000);
        return `/api/v1/can-i-deploy?service=svc-${i % 500}&version=v${i}&environment=bench-env-${1 + (Math.floor(i / 500) % 3)}`;
      },
      [16, 4, 1],
      "gate",
    ],
  ] as const) {
    for (const clients of clientCounts) {
      const count = clients === 16 ? queries : Math.round(queries / 4);
      const result = await load(
        url,
        token,
        Array.from({ length: count }, () => ({ method: "GET", path: path() })),
        clients,
      );
      const latencies = [...result.latencies].sort((a, b) => a - b);
      const bad = failed(result, 200);
      log(
        `  ${label}, ${clients} client${clients === 1 ? "" : "s"}, ${count} requests: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}, ${perSecond(count, result.elapsed)} requests/s` +
          `${bad ? `; ${bad} FAILED` : ""}`,
      );
      if (clients !== 16) continue;
      const rate = count / (result.elapsed / 1000);
      const p95 = percentile(latencies, 95);
      at16[key] = { perSecond: rate, p95 };
      if (key === "floor") Object.assign(floorAt16, { perSecond: rate, p95 });
      else {
        const target = targets[key];
        log(
          `    ratio to the floor at 16 clients: throughput ${(rate / floorAt16.perSecond).toFixed(2)} (target >= ${target.throughput}), ` +
            `p95 ${(p95 / floorAt16.p95).toFixed(2)}x the floor's (target <= ${target.p95}x)`,
        );
      }
    }
  }
  return at16;
}

interface Rate {
  perSecond: number;
  p95: number;
}

/** The random question each key asks, as the HTTP load asks it (bdep-i is v<i> of svc-<i mod 500>: see populate). */
const QUESTIONS: Record<string, (viewer: Viewer) => Promise<unknown>> = {
  deployment: (viewer) => getDeploymentProvenanceJson(viewer, `bdep-${1 + Math.floor(Math.random() * 100000)}`),
  version: (viewer) => versionImpactJson(viewer, `bver-${1 + Math.floor(Math.random() * 200)}-${1 + Math.floor(Math.random() * 5)}`),
  gate: async (viewer) => {
    const i = 1 + Math.floor(Math.random() * 100000);
    const answer = await canIDeploy(viewer, { service: `svc-${i % 500}`, version: `v${i}`, environment: `bench-env-${1 + (Math.floor(i / 500) % 3)}` });
    if (!answer.ok) await emitGateDenied(answer, viewer.email);
    return answer;
  },
};

/**
 * Each question's own work with no HTTP: the handler's library call (the same prepared statement
 * and, for can-i-deploy, the same notification lookup on a "no"), 16 callers at once in this
 * process. It is the floor the HTTP answer cannot beat on this machine, whatever the server does:
 * the HTTP figure against it is the share the app's own layers keep of what the database gives.
 */
async function measureQuestionWork(viewer: Viewer, queries: number, http16: Record<string, Rate>, log: (line: string) => void) {
  for (const [key, ask] of Object.entries(QUESTIONS)) {
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next++ < queries) {
          const t = performance.now();
          await ask(viewer);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const elapsed = performance.now() - started;
    latencies.sort((a, b) => a - b);
    const rate = queries / (elapsed / 1000);
    const http = http16[key];
    log(
      `  ${key} question's own work, no HTTP (the library call, 16 callers in this process), ${queries} calls: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, ${perSecond(queries, elapsed)} answers/s` +
        (http
          ? `; the HTTP answer at 16 clients is ${(http.perSecond / rate).toFixed(2)} of it (proposed target >= 0.5, docs/scaling.md), the HTTP floor ${(http16.floor.perSecond / rate).toFixed(1)}x it`
          : ""),
    );
  }
}

/** Serves the route handlers in this process (see serve) for `measureQuestions` against an existing database. */
export { serve as serveProvenanceRoutes };
