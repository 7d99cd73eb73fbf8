import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { gitDirFor } from "@/lib/git/mirror";
import { serveGit } from "@/lib/testing/git-daemon";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";

// Issue 16 §4: stateless app nodes. Two API processes and one worker process share one
// database and nothing else: each has its own SPECLEDGER_GIT_DIR, so any git data a node
// reads it must have fetched itself from the repository's source (a git:// URL served by
// `git daemon` on the loopback address).

const root = path.resolve(import.meta.dirname, "../..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-nodes-"));
const children: ChildProcess[] = [];
const repo = TestRepo.create();
const SPEC = "specs/pay/spec.md";

/** Starts a child process and resolves once it prints a line matching `ready`. */
function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(args[0], args.slice(1), { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr!.on("data", (chunk) => (err += chunk));
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const match = ready.exec(out);
      if (match) resolve({ child, match });
    });
    child.on("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}: ${err.slice(-2000)}`)));
  });
}

const node = (name: string) =>
  start(["node", "--import", "tsx", "scripts/serve-api.ts"], { SPECLEDGER_GIT_DIR: path.join(work, name), SPECLEDGER_WORKER: "0" }, /listening (\S+)/).then(
    ({ match }) => match[1],
  );

let stopDaemon = () => {};
let nodeA: string;
let nodeB: string;
let source: string;
let adminToken: string;
let reviewerToken: string;

beforeAll(async () => {
  repo.commit("spec", { [SPEC]: "# Pay\n\nCards are charged once.\n", "AGENTS.md": "# Agents\n" });
  const server = await serveGit([repo.path]);
  stopDaemon = server.stop;
  source = server.urlOf(repo.path);

  const admin = await db.user.create({ data: { email: `${randomName("admin")}@nodes.test`, name: "admin", role: "admin" } });
  const reviewer = await db.user.create({ data: { email: `${randomName("rev")}@nodes.test`, name: "rev", role: "reviewer" } });
  adminToken = (await createToken(admin, { name: "nodes", scopes: ["admin"], expiresInDays: 1 })).token;
  reviewerToken = (await createToken(reviewer, { name: "nodes", scopes: ["admin"], expiresInDays: 1 })).token;

  [nodeA, nodeB] = await Promise.all([node("a"), node("b")]);
  await start(["node", "--import", "tsx", "scripts/worker.ts"], { SPECLEDGER_GIT_DIR: path.join(work, "worker") }, /worker ready/);
}, 120_000);

afterAll(() => {
  stopDaemon();
  for (const child of children) child.kill("SIGTERM");
  repo.remove();
  fs.rmSync(work, { recursive: true, force: true });
});

async function call<T>(base: string, token: string, method: "GET" | "POST", url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

describe("two web nodes and a worker on one database", () => {
  it("imports through node A, reviews through node B and records a deployment through A, each node reading git it fetched itself", async () => {
    const name = randomName("pay");
    const added = await call<{ repository: { id: string }; import: { id: string } }>(nodeA, adminToken, "POST", "/api/v1/repositories", { source, name });
    expect(added.status).toBe(201);
    const repositoryId = added.body.repository.id;

    // The worker process (or any worker) runs the queued import; node B reports it.
    await expect
      .poll(async () => (await call<{ status: string }>(nodeB, adminToken, "GET", `/api/v1/imports/${added.body.import.id}`)).body.status, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe("succeeded");

    const changes = await db.change.findMany({ where: { spec: { repositoryId }, state: "unreviewed" }, select: { number: true, currentHash: true } });
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) {
      const decided = await call<{ state: string }>(nodeB, reviewerToken, "POST", `/api/v1/changes/${change.number}/decisions`, {
        kind: "approve",
        contentHash: change.currentHash,
      });
      expect(decided.status).toBe(201);
      expect(decided.body.state).toBe("approved");
    }

    // Node A has no mirror of its own yet: recording the deployment's baseline makes it clone one.
    const head = repo.git("rev-parse", "HEAD");
    const mirrorOnA = path.join(work, "a", `${repositoryId}.git`);
    expect(fs.existsSync(mirrorOnA)).toBe(false);
    const deployed = await call<{ id: string }>(nodeA, adminToken, "POST", "/api/v1/deployments", {
      service: randomName("svc"),
      environment: "production",
      version: "1.0.0",
      commit: head,
      repository: name,
    });
    expect(deployed.status).toBe(201);
    expect(fs.existsSync(path.join(mirrorOnA, "HEAD"))).toBe(true);
    const shown = await call<{ baseline: { version: { path: string; reviewState: string } }[] }>(
      nodeB,
      adminToken,
      "GET",
      `/api/v1/deployments/${deployed.body.id}`,
    );
    expect(shown.status).toBe(200);
    expect(shown.body.baseline.map((r) => r.version.path).sort()).toEqual(["AGENTS.md", SPEC]);

    // No row names a path on any node's disk.
    const row = await db.repository.findUniqueOrThrow({ where: { id: repositoryId } });
    expect(JSON.stringify(row)).not.toContain(work);
  });

  it("says clearly when a node cannot see a local repository", async () => {
    await expect(gitDirFor({ id: "x1", source: path.join(work, "not-on-this-node"), credential: null })).rejects.toThrow(/No such directory.*cannot see it/);
  });
});
