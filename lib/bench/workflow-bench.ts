import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import examples from "@octokit/webhooks-examples";
import { sign } from "@octokit/webhooks-methods";
import { NextRequest } from "next/server";
import { collectCheck } from "@/lib/checks/collect";
import { db } from "@/lib/db";
import { startFindingsWorker } from "@/lib/findings/jobs";
import { stopQueue } from "@/lib/jobs/queue";
import { addRepository } from "@/lib/operations/repositories";
import { setWebhookSecret } from "@/lib/operations/webhooks";
import { createToken } from "@/lib/operations/workspace";
import { startImportWorker } from "@/lib/repositories";
import { serveGit } from "@/lib/testing/git-daemon";
import { createSyntheticRepo } from "./synthetic-repo";
import { percentile } from "./stats";

// Workflow figures (issue 13, "Figures to reach"): a push webhook until the new version is
// visible in the API, the server time of a pull-request check touching 50 governed files, and
// three webhook deliveries a second for a minute with nothing lost and nothing doubled. The
// real route handlers are served over node:http in this process (as the provenance bench
// does), with the import and findings workers running here too, against a generated Spec Kit
// repository served over git:// by `git daemon` (a URL source, fetched like a real remote).

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const PUSHES = Number(process.env.BENCH_WORKFLOW_PUSHES ?? 50);
const CHECK_FILES = 50;
const CHECK_RUNS = Number(process.env.BENCH_WORKFLOW_CHECKS ?? 20);
const RATE_PER_SECOND = 3;
const RATE_SECONDS = Number(process.env.BENCH_WORKFLOW_SECONDS ?? 60);
/** Every REPLAY_EVERY-th delivery resends an earlier one, same X-GitHub-Delivery, body and signature. */
const REPLAY_EVERY = 10;
const POLL_MS = 25;
/** A push not visible after this long counts as lost (and fails the figure), instead of waiting forever. */
const PUSH_GIVE_UP_MS = 120_000;

const ms = (n: number) => `${n.toFixed(0)} ms`;
const run = promisify(execFile);
const sleep = (n: number) => new Promise((resolve) => setTimeout(resolve, n));

async function gitIn(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("git", ["-c", "user.name=Bench Author", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false", ...args], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}

/** The route handlers the figures go through, served with each request's handler time in X-Bench-Server-Ms. */
async function serve(): Promise<{ url: string; close: () => void }> {
  const table: [RegExp, Record<string, Handler>][] = [
    [/^\/api\/v1\/webhooks\/github$/, (await import("@/app/api/v1/webhooks/github/route")) as unknown as Record<string, Handler>],
    [/^\/api\/v1\/checks$/, (await import("@/app/api/v1/checks/route")) as unknown as Record<string, Handler>],
    [/^\/api\/v1\/specs\/(?<id>[^/]+)$/, (await import("@/app/api/v1/specs/[id]/route")) as unknown as Record<string, Handler>],
    [/^\/api\/v1\/repositories\/(?<id>[^/]+)$/, (await import("@/app/api/v1/repositories/[id]/route")) as unknown as Record<string, Handler>],
  ];
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url!, "http://bench");
      const found = table.map(([pattern, module]) => [pattern.exec(url.pathname), module] as const).find(([m]) => m);
      const handler = found?.[1][req.method!];
      if (!found || !handler) return void res.writeHead(404).end();
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const started = performance.now();
      const response = await handler(
        new NextRequest(url, { method: req.method, headers: req.headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined }),
        { params: Promise.resolve({ ...found[0]!.groups }) },
      );
      const body = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, { "content-type": "application/json", "x-bench-server-ms": (performance.now() - started).toFixed(3) }).end(body);
    } catch (error) {
      console.error("[workflow-bench]", error);
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

type Example = { name: string; examples: Record<string, unknown>[] };
const all = examples as unknown as Example[];

/** GitHub's own recorded payload of `event`, re-addressed to our repository (its URLs and name). */
function recorded(event: string, pick: (p: Record<string, unknown>) => boolean, repository: { url: string; fullName: string }): Record<string, unknown> {
  const found = all.find((e) => e.name === event)!.examples.find(pick);
  if (!found) throw new Error(`no recorded ${event} payload`);
  const copy = structuredClone(found) as Record<string, unknown> & { repository: Record<string, unknown> };
  Object.assign(copy.repository, {
    full_name: repository.fullName,
    clone_url: repository.url,
    git_url: repository.url,
    ssh_url: repository.url,
    html_url: repository.url,
    default_branch: "main",
  });
  return copy;
}

interface Sent {
  delivery: string;
  event: string;
  body: string;
  signature: string;
}

async function deliver(base: string, sent: Sent): Promise<{ status: number; outcome: { status?: string } }> {
  const response = await fetch(`${base}/api/v1/webhooks/github`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": sent.event, "x-github-delivery": sent.delivery, "x-hub-signature-256": sent.signature },
    body: sent.body,
  });
  return { status: response.status, outcome: (await response.json().catch(() => ({}))) as { status?: string } };
}

async function waitForImports(repositoryId: string) {
  for (;;) {
    const pending = await db.import.count({ where: { repositoryId, status: { in: ["queued", "running"] } } });
    if (pending === 0) return;
    await sleep(200);
  }
}

export async function runWorkflowBenchmark({ log }: { log: (line: string) => void }) {
  // Webhook secrets are stored encrypted: a key for this run when the environment has none.
  process.env.SPECLEDGER_SECRET_KEY ??= randomBytes(32).toString("hex");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-workflow-"));
  const origin = path.join(work, "origin");
  // Like the demo workspace, larger: 150 spec files (50 features) with 1,000 commits of history, owned by a team.
  await createSyntheticRepo({ dir: origin, commits: 1000, files: 150 });
  fs.writeFileSync(path.join(origin, "CODEOWNERS"), "specs/ @acme/bench\n");
  await gitIn(origin, "add", "-A");
  await gitIn(origin, "commit", "-q", "-m", "Owners");
  const daemon = await serveGit([origin]);
  const server = await serve();
  // Each step of each import the worker runs, to show where a push's time goes.
  const steps = new Map<string, number[]>();
  let recording = false;
  await startImportWorker({
    onStep: (step, took) => {
      if (recording) steps.set(step, [...(steps.get(step) ?? []), took]);
    },
  });
  await startFindingsWorker();
  try {
    const admin = await db.user.create({
      data: { email: `bench-${randomUUID()}@bench.test`, name: "bench", role: "admin" },
      select: { id: true, email: true, role: true },
    });
    const url = daemon.urlOf(origin);
    const repository = { url, fullName: "bench/origin" };
    let t = performance.now();
    const added = await addRepository(admin, { source: url, name: "bench-origin" });
    const repositoryId = added.repository.id;
    await waitForImports(repositoryId);
    const specs = await db.spec.findMany({ where: { repositoryId, deleted: false, kind: "spec" }, select: { id: true, path: true }, orderBy: { path: "asc" } });
    log(`Workflow: imported ${url} (${specs.length} specs) in ${ms(performance.now() - t)}; serving the API at ${server.url} with the import worker running`);
    const { secret } = await setWebhookSecret(admin, { repositoryId });
    const reader = await db.user.create({
      data: { email: `reader-${randomUUID()}@bench.test`, name: "reader", role: "viewer" },
      select: { id: true, email: true, role: true },
    });
    const readToken = (await createToken(reader, { name: "bench-read", scopes: ["specs:read"], expiresInDays: 1 })).token;
    const signed = async (event: string, payload: Record<string, unknown>, delivery = randomUUID()): Promise<Sent> => {
      const body = JSON.stringify(payload);
      return { delivery, event, body, signature: await sign(secret, body) };
    };
    const isBranchPush = (p: Record<string, unknown>) => typeof p.ref === "string" && p.ref.startsWith("refs/heads/");

    // 1. Push webhook → new version visible through the API; beside it the floor, a bare
    //    `git fetch` + `git log --raw` of the same one commit from the same server into a clone.
    const scratch = path.join(work, "floor.git");
    await run("git", ["clone", "--bare", "--quiet", url, scratch]);
    const floors: number[] = [];
    const latencies: number[] = [];
    let lostPushes = 0;
    let before = await gitIn(origin, "rev-parse", "HEAD");
    const phaseStart = new Date();
    recording = true;
    for (let i = 0; i < PUSHES; i++) {
      const spec = specs[i % specs.length];
      fs.appendFileSync(path.join(origin, spec.path), `\n- Push ${i + 1}: the bench changed this line.\n`);
      await gitIn(origin, "commit", "-q", "-am", `Push ${i + 1}`);
      const after = await gitIn(origin, "rev-parse", "HEAD");
      const payload = { ...recorded("push", isBranchPush, repository), ref: "refs/heads/main", before, after };
      before = after;
      const started = performance.now();
      const answer = await deliver(server.url, await signed("push", payload));
      if (answer.status !== 202) throw new Error(`push delivery answered ${answer.status}: ${JSON.stringify(answer.outcome)}`);
      for (;;) {
        const response = await fetch(`${server.url}/api/v1/specs/${spec.id}`, { headers: { authorization: `Bearer ${readToken}` } });
        const detail = (await response.json()) as { versions?: { commitSha: string }[] };
        if (detail.versions?.some((v) => v.commitSha === after)) {
          latencies.push(performance.now() - started);
          const floorStarted = performance.now();
          await gitIn(scratch, "fetch", "--quiet", "origin", "+refs/heads/main:refs/heads/main");
          await gitIn(scratch, "log", "--raw", "--no-abbrev", "-1", "main");
          floors.push(performance.now() - floorStarted);
          break;
        }
        if (performance.now() - started > PUSH_GIVE_UP_MS) {
          lostPushes++;
          break;
        }
        await sleep(POLL_MS);
      }
    }
    recording = false;
    latencies.sort((a, b) => a - b);
    // Where the time goes: waiting in the queue for the worker, and the import itself.
    const imports = await db.import.findMany({
      where: { repositoryId, createdAt: { gte: phaseStart } },
      select: { createdAt: true, startedAt: true, finishedAt: true },
    });
    const span = (from: Date | null, to: Date | null) => (from && to ? to.getTime() - from.getTime() : 0);
    const waits = imports.map((r) => span(r.createdAt, r.startedAt)).sort((a, b) => a - b);
    const runs = imports.map((r) => span(r.startedAt, r.finishedAt)).sort((a, b) => a - b);
    log(
      `  push webhook → new version visible over ${PUSHES} pushes: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(latencies.at(-1) ?? 0)}${lostPushes ? `, ${lostPushes} NOT visible after ${PUSH_GIVE_UP_MS / 1000} s` : ""} (target p95 < 5000 ms)`,
    );
    log(
      `    of which ${imports.length} imports: queued → started p50 ${ms(percentile(waits, 50))}, started → finished p50 ${ms(percentile(runs, 50))}, p95 ${ms(percentile(runs, 95))}`,
    );

    floors.sort((a, b) => a - b);
    log(
      `    floor, bare git fetch + log of the one new commit from the same server: p50 ${ms(percentile(floors, 50))}, p95 ${ms(percentile(floors, 95))}; push → visible is ${(percentile(latencies, 50) / Math.max(1, percentile(floors, 50))).toFixed(1)}× the floor at p50`,
    );
    log(
      `    per step of those imports (p50 / p95): ${[...steps]
        .map(([step, all]) => {
          const sorted = [...all].sort((a, b) => a - b);
          return `${step} ${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 95))}`;
        })
        .join("; ")}`,
    );

    // 2. A pull-request check touching 50 governed files, as `specledger check` collects and sends it.
    await waitForImports(repositoryId);
    const base = await gitIn(origin, "rev-parse", "HEAD");
    await gitIn(origin, "checkout", "-q", "-b", "bench-pr");
    const touched = specs.slice(0, CHECK_FILES);
    for (const [i, spec] of touched.entries()) {
      fs.appendFileSync(path.join(origin, spec.path), `\n## Change ${i}\n\nThe system shall answer within 2 seconds.\nTODO: decide the retry policy.\n`);
    }
    await gitIn(origin, "commit", "-q", "-am", "A pull request touching 50 specs");
    const head = await gitIn(origin, "rev-parse", "HEAD");
    await gitIn(origin, "checkout", "-q", "main");
    const { files } = await collectCheck(origin, { base, head });
    const checkToken = (await createToken(admin, { name: "bench-check", scopes: ["checks:write"], expiresInDays: 1 })).token;
    const serverTimes: number[] = [];
    const roundTrips: number[] = [];
    let verdict = "";
    for (let i = 0; i < CHECK_RUNS; i++) {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/v1/checks`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${checkToken}` },
        body: JSON.stringify({ repository: "bench-origin", base, head, pullRequest: 1, files }),
      });
      const answer = (await response.json()) as { verdict?: string };
      roundTrips.push(performance.now() - started);
      if (response.status !== 201) throw new Error(`check answered ${response.status}: ${JSON.stringify(answer)}`);
      verdict = answer.verdict ?? "";
      serverTimes.push(Number(response.headers.get("x-bench-server-ms")));
    }
    serverTimes.sort((a, b) => a - b);
    roundTrips.sort((a, b) => a - b);
    log(
      `  check of a PR touching ${files.length} governed files (verdict ${verdict}), ${CHECK_RUNS} runs: server time p50 ${ms(percentile(serverTimes, 50))}, p95 ${ms(percentile(serverTimes, 95))}, max ${ms(serverTimes.at(-1)!)}; round trip p50 ${ms(percentile(roundTrips, 50))} (target < 1000 ms)`,
    );

    // 3. Three deliveries a second for a minute: pushes and pull-request events, with replays.
    await waitForImports(repositoryId);
    const total = RATE_PER_SECOND * RATE_SECONDS;
    const sent: Sent[] = [];
    const answers: Promise<{ kind: "first" | "replay"; sent: Sent; status: number; outcome: { status?: string }; took: number }>[] = [];
    const timed = (one: Sent) => {
      const started = performance.now();
      return deliver(server.url, one).then((a) => ({ ...a, took: performance.now() - started }));
    };
    const pr = recorded("pull_request", (p) => p.action === "opened", repository);
    t = performance.now();
    for (let i = 0; i < total; i++) {
      const due = t + (i * 1000) / RATE_PER_SECOND;
      if (due > performance.now()) await sleep(due - performance.now());
      if (i % REPLAY_EVERY === REPLAY_EVERY - 1) {
        const again = sent[sent.length - 1 - (i % 5)];
        answers.push(timed(again).then((a) => ({ kind: "replay" as const, sent: again, ...a })));
        continue;
      }
      const payload =
        i % 2 === 0
          ? { ...recorded("push", isBranchPush, repository), ref: "refs/heads/main", before: head, after: base }
          : {
              ...pr,
              action: i % 4 === 1 ? "opened" : "synchronize",
              number: 1000 + Math.floor(i / 4),
              pull_request: {
                ...(pr.pull_request as object),
                number: 1000 + Math.floor(i / 4),
                head: { ...(pr.pull_request as { head: object }).head, sha: head },
              },
            };
      const one = await signed(i % 2 === 0 ? "push" : "pull_request", payload);
      sent.push(one);
      answers.push(timed(one).then((a) => ({ kind: "first" as const, sent: one, ...a })));
    }
    const window = (performance.now() - t) / 1000;
    const results = await Promise.all(answers);
    const took = results.map((r) => r.took).sort((a, b) => a - b);
    const firsts = results.filter((r) => r.kind === "first");
    const replays = results.filter((r) => r.kind === "replay");
    const accepted = firsts.filter((r) => r.status === 202).length;
    const byStatus = new Map<number, number>();
    for (const r of firsts) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const statuses = [...byStatus].map(([status, n]) => `${status}×${n}`).join(", ");
    const stored = await db.webhookDelivery.findMany({ where: { id: { in: sent.map((s) => s.delivery) } }, select: { id: true, outcome: true } });
    const done = stored.filter((d) => d.outcome === "queued" || d.outcome === "recorded" || d.outcome === "ignored").length;
    const lost = sent.length - done;
    const replayActed = replays.filter((r) => r.status !== 200 || r.outcome.status !== "duplicate").length;
    const prNumbers = new Set(firsts.filter((r) => r.sent.event === "pull_request").map((r) => (JSON.parse(r.sent.body) as { number: number }).number));
    const prRows = await db.pullRequest.count({ where: { repositoryId, number: { in: [...prNumbers] } } });
    log(
      `  ${results.length} GitHub deliveries sent over ${window.toFixed(1)} s (${(results.length / window).toFixed(2)}/s; ${sent.length} distinct, ${replays.length} replays; answered in p50 ${ms(percentile(took, 50))}, p95 ${ms(percentile(took, 95))}): ` +
        `delivered ${accepted}/${sent.length} (answers ${statuses}) and ${done} recorded as handled, lost ${lost} (expected 0), ` +
        `duplicates ${replayActed + Math.max(0, prRows - prNumbers.size)} (expected 0: ${replays.length - replayActed} replays acknowledged as duplicates, ${prRows} pull requests for ${prNumbers.size} numbers)`,
    );
    await waitForImports(repositoryId);
  } finally {
    server.close();
    daemon.stop();
    await stopQueue();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
