import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { db } from "@/lib/db";
import { createToken } from "@/lib/operations/workspace";
import { populate } from "./provenance-bench";
import { percentile } from "./stats";
import { freePort } from "@/lib/testing/ports";

// Scale-out, measured (issue 17 §4): the provenance questions against one `next start` process,
// then against two on the same database, both times through the same round-robin proxy in this
// process, with the HTTP floor (GET /api/v1/me: the token check and a small answer) measured the
// same way in the same run. Web nodes are stateless (decision 021), so a second one needs no setup.

type Load = { elapsed: number; latencies: number[]; statuses: Record<string, number> };

function load(url: string, token: string, requests: { method: string; path: string }[], concurrency: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./http-load.mjs", import.meta.url), { workerData: { url, token, requests, concurrency } });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

/** A round-robin reverse proxy over keep-alive connections: each request goes to the next upstream. */
async function roundRobin(upstreams: number[]): Promise<{ url: string; close: () => void }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const server = http.createServer((req, res) => {
    const port = upstreams[next++ % upstreams.length];
    const upstream = http.request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => {
      server.close();
      agent.destroy();
    },
  };
}

async function startNext(port: number): Promise<ChildProcess> {
  const root = process.cwd();
  const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "--keepAliveTimeout", "65000"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "bench-secret",
      // Web nodes only: the workers would compete for the same two cores.
      SPECLEDGER_WORKER: "0",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: "ignore",
  });
  for (let i = 0; ; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    if (i > 240) throw new Error(`next start on port ${port} did not become healthy`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

export async function runScaleBenchmark(opts: { log: (line: string) => void; runs?: number; requests?: number; clients?: number }) {
  const { log } = opts;
  const runs = opts.runs ?? Number(process.env.BENCH_SCALE_RUNS ?? 100_000);
  const requests = opts.requests ?? Number(process.env.BENCH_SCALE_REQUESTS ?? 3000);
  const clients = opts.clients ?? 16;
  log("");
  log("Scale-out (issue 17 §4)");
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    log("  skipped: no production build (`npx next build`, npm start or npm test makes one)");
    return;
  }
  const user = await db.user.create({
    data: { email: `bench-${Date.now()}@bench.local`, name: "bench", role: "maintainer" },
    select: { id: true, email: true, role: true },
  });
  const { token } = await createToken(user, { name: "bench", scopes: ["runs:write", "deployments:write", "specs:read"], expiresInDays: 1 });
  // A database that already holds the data (a rerun with DATABASE_URL set) is reused: building it takes minutes.
  const [existing] = await db.$queryRawUnsafe<{ runs: number }[]>(`SELECT count(*)::int AS runs FROM "AgentRun" WHERE id LIKE 'brun-%'`);
  if (existing.runs > 0) log(`  reusing the ${existing.runs.toLocaleString("en")} runs already in this database`);
  else await populate(user.id, log, { runs });
  const questions: [string, () => string][] = [
    ["floor (GET /api/v1/me: token check, small answer)", () => "/api/v1/me"],
    ["deployment question (GET /deployments/:id)", () => `/api/v1/deployments/bdep-${1 + Math.floor(Math.random() * 100000)}`],
    ["version question (GET /versions/:id)", () => `/api/v1/versions/bver-${1 + Math.floor(Math.random() * 200)}-${1 + Math.floor(Math.random() * 5)}`],
    [
      "can-i-deploy (GET /can-i-deploy)",
      () => {
        const i = 1 + Math.floor(Math.random() * 100000);
        return `/api/v1/can-i-deploy?service=svc-${i % 500}&version=v${i}&environment=bench-env-${1 + (Math.floor(i / 500) % 3)}`;
      },
    ],
  ];
  const ports = [await freePort(), await freePort()];
  const nodes: ChildProcess[] = [];
  try {
    nodes.push(await startNext(ports[0]));
    nodes.push(await startNext(ports[1]));
    const results = new Map<string, { one: { rate: number; p95: number }; two: { rate: number; p95: number } }>();
    // One node, then two, twice each in the order one, two, two, one: the machine's drift falls on both alike.
    for (const [round, upstreams] of [
      ["one", [ports[0]]],
      ["two", ports],
      ["two", ports],
      ["one", [ports[0]]],
    ] as const) {
      const proxy = await roundRobin([...upstreams]);
      try {
        // Warm-up: both nodes compile and cache their routes before anything is timed.
        await load(
          proxy.url,
          token,
          questions.flatMap(([, p]) => Array.from({ length: 20 }, () => ({ method: "GET", path: p() }))),
          4,
        );
        for (const [label, p] of questions) {
          const result = await load(
            proxy.url,
            token,
            Array.from({ length: requests }, () => ({ method: "GET", path: p() })),
            clients,
          );
          const bad = Object.entries(result.statuses).filter(([s]) => s !== "200");
          if (bad.length > 0) throw new Error(`${label} answered ${JSON.stringify(result.statuses)}`);
          const latencies = [...result.latencies].sort((a, b) => a - b);
          const figure = { rate: requests / (result.elapsed / 1000), p95: percentile(latencies, 95) };
          const entry = results.get(label) ?? { one: { rate: 0, p95: 0 }, two: { rate: 0, p95: 0 } };
          // The two passes of each layout are averaged.
          entry[round] = { rate: entry[round].rate + figure.rate / 2, p95: entry[round].p95 + figure.p95 / 2 };
          results.set(label, entry);
          log(
            `  ${round} node${round === "one" ? "" : "s"}, ${label}, ${clients} clients, ${requests} requests: ${Math.round(figure.rate)} requests/s, p95 ${ms(figure.p95)}`,
          );
        }
      } finally {
        proxy.close();
      }
    }
    const floor = results.get(questions[0][0])!;
    for (const [label, { one, two }] of results) {
      log(
        `  ${label}: one node ${Math.round(one.rate)} requests/s (p95 ${ms(one.p95)}), two nodes ${Math.round(two.rate)} requests/s (p95 ${ms(two.p95)}); ` +
          `two/one throughput ${(two.rate / one.rate).toFixed(2)}, p95 ${(two.p95 / one.p95).toFixed(2)}` +
          (label === questions[0][0] ? "" : `; to the floor: one ${(one.rate / floor.one.rate).toFixed(2)}, two ${(two.rate / floor.two.rate).toFixed(2)}`),
      );
    }
    log(
      "  note: both nodes, the proxy, the load generator and PostgreSQL share this machine's cores, so two nodes can only show" +
        " that a second stateless node adds no coordination cost; more throughput needs cores the first node cannot use.",
    );
  } finally {
    for (const node of nodes) node.kill("SIGTERM");
  }
}
