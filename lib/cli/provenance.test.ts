import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { decideChange } from "@/lib/operations/reviews";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { isolatedCli } from "@/lib/testing/cli";
import { serveRoutes } from "@/lib/testing/serve-api";
import { createToken } from "@/lib/operations/workspace";

const cli = isolatedCli();
const configDir = cli.configDir;
const cleanup: (() => void)[] = [cli.remove];
afterAll(() => cleanup.forEach((f) => f()));

const specledger = cli.run;

/** An HTTP server in front of the real route handlers, so the CLI talks to the real API. */
async function serveApi() {
  type Module = Record<string, unknown>;
  const routes: [RegExp, Module][] = [
    [/^\/api\/v1\/me$/, await import("@/app/api/v1/me/route")],
    [/^\/api\/v1\/runs$/, await import("@/app/api/v1/runs/route")],
    [/^\/api\/v1\/deployments$/, await import("@/app/api/v1/deployments/route")],
    [/^\/api\/v1\/can-i-deploy$/, await import("@/app/api/v1/can-i-deploy/route")],
    [/^\/api\/v1\/waivers$/, await import("@/app/api/v1/waivers/route")],
    [/^\/api\/v1\/waivers\/(?<id>[^/]+)\/revoke$/, await import("@/app/api/v1/waivers/[id]/revoke/route")],
    [/^\/api\/v1\/repositories$/, await import("@/app/api/v1/repositories/route")],
    [/^\/api\/v1\/repositories\/(?<id>[^/]+)$/, await import("@/app/api/v1/repositories/[id]/route")],
    [/^\/api\/v1\/repositories\/(?<id>[^/]+)\/imports$/, await import("@/app/api/v1/repositories/[id]/imports/route")],
    [/^\/api\/v1\/imports\/(?<id>[^/]+)$/, await import("@/app/api/v1/imports/[id]/route")],
  ] as never;
  const served = await serveRoutes(routes);
  cleanup.push(served.close);
  return served.url;
}

async function listen(server: http.Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let api: string;
let adminToken: string;
let token: string;
let repoName: string;
let commit: string;
let repositoryId: string;

beforeAll(async () => {
  // The server side accepts local repositories only under SPECLEDGER_LOCAL_ROOTS; the test's are in the temporary folder.
  process.env.SPECLEDGER_LOCAL_ROOTS = os.tmpdir();
  api = await serveApi();
  // Imports through the API run on the queue, as in the server.
  const { startImportWorker } = await import("@/lib/repositories");
  const { stopQueue } = await import("@/lib/jobs/queue");
  await startImportWorker();
  cleanup.push(() => void stopQueue());
  const admin = await db.user.create({
    data: { email: `${randomName("admin")}@cli-api.test`, name: "admin", role: "admin" },
    select: { id: true, email: true, role: true },
  });
  adminToken = (await createToken(admin, { name: "admin", scopes: ["admin"], expiresInDays: 1 })).token;
  const owner = await db.user.create({
    data: { email: `${randomName("ci")}@cli-api.test`, name: "ci", role: "maintainer" },
    select: { id: true, email: true, role: true },
  });
  token = (await createToken(owner, { name: "ci", scopes: ["runs:write", "deployments:write", "specs:read"], expiresInDays: 1 })).token;
  const repo = TestRepo.create();
  cleanup.push(() => repo.remove());
  commit = repo.commit("specs", { "specs/a/spec.md": "# A\n", "AGENTS.md": "# Agents\n" });
  repoName = randomName("cli-api");
  repositoryId = (await db.repository.create({ data: { name: repoName, source: repo.path } })).id;
  await importRepository({ repositoryId });
});

describe("specledger login, run report, deploy record and can-i-deploy against the API", () => {
  it("logs in, reports a run, records a deployment and gets every answer of the gate with its exit code", async () => {
    expect((await specledger(["login", "--server", api, "--token", "sl_typo"])).code).toBe(4);
    const login = await specledger(["login", "--server", api, "--token", token]);
    expect(login.code, login.stderr).toBe(0);
    const stored = path.join(configDir, "credentials.json");
    expect(fs.statSync(stored).mode & 0o777).toBe(0o600);

    // From here on the stored login is used.
    const run = await specledger([
      "run",
      "report",
      "--agent",
      "codex",
      "--repository",
      repoName,
      "--spec",
      `${repoName}:specs/a/spec.md@${commit}`,
      "--instruction",
      `${repoName}:AGENTS.md@${commit}`,
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const { id: runId, unresolved } = JSON.parse(run.stdout) as { id: string; unresolved: number };
    expect(unresolved).toBe(0);

    const service = randomName("svc");
    expect((await specledger(["can-i-deploy", "--service", service, "--version", "1.0.0", "--to", "production"])).code).toBe(6);
    const recorded = await specledger(["deploy", "record", "--service", service, "--version", "1.0.0", "--to", "staging", "--run", runId]);
    expect(recorded.code, recorded.stderr).toBe(0);

    const no = await specledger(["can-i-deploy", "--service", service, "--version", "1.0.0", "--to", "production"]);
    expect(no.code).toBe(1);
    expect(no.stdout).toMatch(/^No: .*\n  - .*was never approved/);
    expect((await specledger(["can-i-deploy", "--service", service, "--version", "1.0.0", "--to", "production", "--dry-run"])).code).toBe(0);
    // Letting unreviewed specs through where the environment does not is an admin's call.
    expect((await specledger(["can-i-deploy", "--service", service, "--version", "1.0.0", "--to", "production", "--allow-unreviewed"])).code).toBe(4);
    expect(
      (await specledger(["can-i-deploy", "--service", service, "--version", "1.0.0", "--to", "production", "--allow-unreviewed", "--token", adminToken])).code,
    ).toBe(0);

    expect(no.stdout).toContain("If it must ship anyway, an admin can record a waiver");

    // Break-glass: an admin's waiver turns the no into a yes that says so; revoked, it is a no again.
    const waiverArgs = ["waiver", "create", "--service", service, "--version", "1.0.0", "--to", "production", "--expires-in", "4h"];
    expect((await specledger([...waiverArgs, "--reason", "hotfix for incident 4711"])).code).toBe(4);
    expect((await specledger([...waiverArgs, "--reason", "short", "--token", adminToken])).code).toBe(2);
    expect((await specledger([...waiverArgs, "--reason", "hotfix for incident 4711", "--expires-in", "31d", "--token", adminToken])).code).toBe(2);
    const waived = await specledger([...waiverArgs, "--reason", "hotfix for incident 4711", "--token", adminToken, "--json"]);
    expect(waived.code, waived.stderr).toBe(0);
    const waiver = JSON.parse(waived.stdout) as { id: string };
    const allowed = await specledger(["can-i-deploy", "--service", service, "--version", "1.0.0", "--to", "production"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(
      new RegExp(`^Yes, by waiver ${waiver.id} from admin-\\w+@cli-api\\.test: hotfix for incident 4711, until .*\\nWaived:\\n  - .*was never approved`),
    );
    const listed = await specledger(["waiver", "list", "--service", service]);
    expect(listed.stdout).toContain(`${waiver.id}  ${service} 1.0.0 to production, active`);
    expect((await specledger(["waiver", "revoke", waiver.id, "--token", adminToken])).code).toBe(0);
    expect((await specledger(["waiver", "revoke", waiver.id, "--token", adminToken])).code).toBe(1);
    expect((await specledger(["can-i-deploy", "--service", service, "--version", "1.0.0", "--to", "production"])).code).toBe(1);

    const reviewer = await db.user.create({
      data: { email: `${randomName("rev")}@cli-api.test`, name: "rev", role: "reviewer" },
      select: { id: true, email: true, role: true },
    });
    for (const change of await db.change.findMany({ where: { spec: { repositoryId }, state: "unreviewed" } })) {
      await decideChange(reviewer, { number: change.number, kind: "approve", contentHash: change.currentHash });
    }
    const yes = await specledger(["can-i-deploy", "--service", service, "--version", "1.0.0", "--to", "production", "--json"]);
    expect(yes.code, yes.stderr).toBe(0);
    expect(JSON.parse(yes.stdout)).toMatchObject({ ok: true, reasons: [] });
  }, 180_000); // many CLI processes, each starting Node: slow on a busy machine
});

describe("specledger import --server", () => {
  it("has the server import a repository and follows the import to its end; a second run re-scans it", async () => {
    const repo = TestRepo.create();
    cleanup.push(() => repo.remove());
    repo.commit("specs", { "specs/b/spec.md": "# B\n", "CLAUDE.md": "# Claude\n" });
    const name = randomName("via-api");
    const first = await specledger(["import", repo.path, "--name", name, "--server", api, "--token", adminToken, "--json"]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: "succeeded", versionsAdded: 2 });
    repo.commit("more", { "specs/b/spec.md": "# B\n\nmore\n" });
    const second = await specledger(["import", repo.path, "--server", api, "--token", adminToken]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(name);
    expect(await db.specVersion.count({ where: { spec: { repository: { name } } } })).toBe(3);
    // Without the admin scope the server refuses.
    expect((await specledger(["import", repo.path, "--server", api, "--token", token])).code).toBe(4);
  });
});

describe("can-i-deploy fails closed", () => {
  const ask = (server: string, extra: string[] = []) =>
    specledger(["can-i-deploy", "--service", "s", "--version", "1", "--to", "production", "--server", server, "--token", token, ...extra]);

  it.each([
    ["a server that stalls", (_req: http.IncomingMessage, _res: http.ServerResponse) => {}, ["--timeout", "500ms"], 3, /did not answer within 500 ms/],
    [
      "a 500",
      (_req: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"message":"boom"}}'),
      [],
      5,
      /boom/,
    ],
    [
      "a 502 from a proxy, in HTML",
      (_req: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(502).end("<html>Bad gateway</html>"),
      [],
      5,
      /not JSON/,
    ],
    ["garbage with a 200", (_req: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(200).end("yes"), [], 5, /not JSON/],
    ["JSON without an answer", (_req: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(200).end('{"ok":"maybe"}'), [], 5, /no yes or no/],
    [
      "a server that sends the headers and then stalls the body",
      (_req: http.IncomingMessage, res: http.ServerResponse) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"ok":');
      },
      ["--timeout", "500ms"],
      3,
      /did not answer within 500 ms/,
    ],
    [
      "a huge answer",
      (_req: http.IncomingMessage, res: http.ServerResponse) => {
        res.writeHead(200, { "content-type": "application/json" });
        // 12 MB of valid JSON, sent in pieces without a length: the CLI must stop reading at 10 MB.
        res.write('{"ok":true,"reasons":[],"pad":"');
        const chunk = "x".repeat(1024 * 1024);
        for (let i = 0; i < 12; i++) res.write(chunk);
        res.end('"}');
      },
      [],
      5,
      /^[^\n]*more than 10 MB; refused\.\n$/,
    ],
    [
      "a dropped connection",
      (_req: http.IncomingMessage, res: http.ServerResponse) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"ok":');
        setImmediate(() => res.socket?.destroy());
      },
      [],
      3,
      /^[^\n]*dropped the connection before the answer was complete[^\n]*\n$/,
    ],
    [
      "a refused token",
      (_req: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(401).end('{"error":{"message":"This token was revoked."}}'),
      [],
      4,
      /revoked/,
    ],
  ])("against %s", async (_name, handler, extra, code, message) => {
    const server = await listen(http.createServer(handler));
    const result = await ask(server, extra);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });

  it("against a server that is not there, and with a dry run too", async () => {
    const server = http.createServer();
    const url = await listen(server);
    server.close();
    expect((await ask(url)).code).toBe(3);
    expect((await ask(url, ["--dry-run"])).code).toBe(3);
  });
});
