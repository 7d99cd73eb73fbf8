import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { buildDemoRepos, type DemoRepo } from "@/lib/demo/demo-repos";
import { FINDING_TYPES } from "@/lib/findings/store";

const git = (cwd: string, args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

describe("buildDemoRepos", () => {
  const dir = path.join(os.tmpdir(), `specledger-demo-${randomBytes(6).toString("hex")}`);
  let repos: DemoRepo[];
  const byName = (n: string) => repos.find((r) => r.name === n)!.path;

  beforeAll(async () => {
    repos = await buildDemoRepos({ dir });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("creates the expected repositories with commits on main", () => {
    expect(repos.map((r) => r.name)).toEqual(["payments-service", "orders-service", "web-app", "platform-infra"]);
    let total = 0;
    for (const r of repos) {
      expect(path.isAbsolute(r.path)).toBe(true);
      expect(r.description.length).toBeGreaterThan(10);
      expect(Number(git(r.path, ["rev-list", "--count", "main"]))).toBeGreaterThan(5);
      expect(git(r.path, ["status", "--porcelain"])).toBe("");
      total += Number(git(r.path, ["rev-list", "--all", "--count"]));
    }
    expect(total).toBeGreaterThanOrEqual(40);
    expect(total).toBeLessThanOrEqual(90);
  });

  it("uses several authors and dates before 2026-11-20", () => {
    const authors = new Set<string>();
    for (const r of repos) {
      for (const line of git(r.path, ["log", "--all", "--format=%an|%at|%ct"]).split("\n")) {
        const [name, at, ct] = line.split("|");
        authors.add(name!);
        expect(Number(at) * 1000).toBeLessThan(Date.UTC(2026, 10, 20));
        expect(Number(ct) * 1000).toBeGreaterThan(Date.UTC(2026, 4, 1));
      }
    }
    expect(authors.size).toBeGreaterThanOrEqual(5);
  });

  it("has a spec with 4+ versions and a rename detected by git", () => {
    const p = byName("payments-service");
    const versions = git(p, ["log", "--format=%H", "--", "specs/001-checkout/spec.md"]).split("\n");
    expect(versions.length).toBeGreaterThanOrEqual(4);
    const log = git(p, ["log", "--follow", "-M", "--name-status", "--format=", "--", "specs/002-refund-requests/spec.md"]);
    expect(log).toMatch(/^R\d+\tspecs\/002-refunds\/spec\.md\tspecs\/002-refund-requests\/spec\.md$/m);
  });

  it("has a deleted file in history but not at HEAD", () => {
    const p = byName("payments-service");
    expect(git(p, ["log", "--diff-filter=D", "--name-only", "--format="])).toContain("specs/003-old-wallet/spec.md");
    expect(git(p, ["ls-tree", "-r", "--name-only", "HEAD"]).split("\n")).not.toContain("specs/003-old-wallet/spec.md");
  });

  it("keeps the experiment commit off main", () => {
    const w = byName("web-app");
    const exp = git(w, ["rev-parse", "experiment"]);
    expect(git(w, ["rev-parse", "--abbrev-ref", "HEAD"])).toBe("main");
    expect(() => git(w, ["merge-base", "--is-ancestor", exp, "main"])).toThrow();
    expect(git(w, ["diff", "--name-only", "main...experiment"])).toBe("specs/010-onboarding/spec.md");
  });

  it("stores symlinks as mode 120000 and a binary file", () => {
    const p = byName("platform-infra");
    const tree = git(p, ["ls-tree", "-r", "HEAD"]);
    expect(tree).toMatch(/^120000 blob \w+\tCLAUDE\.md$/m);
    expect(tree).toMatch(/^120000 blob \w+\tdocs\/specs\/shared\.md$/m);
    expect(git(p, ["cat-file", "-p", "HEAD:docs/specs/shared.md"])).toBe("../../../outside/secret.md");
    const logo = execFileSync("git", ["cat-file", "blob", "HEAD:docs/specs/logo.md"], { cwd: p });
    expect(logo.includes(0)).toBe(true);
  });

  it("has the duplicate, disagreement and bloat fixtures", () => {
    const payClaude = fs.readFileSync(path.join(byName("payments-service"), "CLAUDE.md"));
    expect(fs.readFileSync(path.join(byName("web-app"), "CLAUDE.md")).equals(payClaude)).toBe(true);
    const agents = fs.readFileSync(path.join(byName("payments-service"), "AGENTS.md"), "utf8");
    expect(agents).toContain("Use pnpm");
    expect(payClaude.toString()).toContain("Use npm");
    const bloated = fs.readFileSync(path.join(byName("web-app"), "AGENTS.md"), "utf8");
    expect(bloated.split("\n").length).toBeGreaterThan(300);
    expect(bloated.split("\n").filter((l) => /^- (Always|Never|Use|Prefer|Do not|Make sure)\b/.test(l)).length).toBeGreaterThan(200);
    expect(bloated).toContain("TICKET-1234");
    const spec = fs.readFileSync(path.join(byName("payments-service"), "specs/001-checkout/spec.md"), "utf8");
    const copy = fs.readFileSync(path.join(byName("orders-service"), "specs/checkout/spec.md"), "utf8");
    expect(copy).not.toBe(spec);
    expect(spec).toContain("[NEEDS CLARIFICATION:");
    expect(spec).toContain('governs: ["src/checkout/**"]');
    // The spec is stale: code under src/checkout changed after the spec's last commit.
    const p = byName("payments-service");
    const specAt = Number(git(p, ["log", "-1", "--format=%ct", "--", "specs/001-checkout/spec.md"]));
    const codeAt = Number(git(p, ["log", "-1", "--format=%ct", "--", "src/checkout"]));
    expect(codeAt).toBeGreaterThan(specAt);
    const o = byName("orders-service");
    expect(fs.readFileSync(path.join(o, ".kiro/steering/structure.md"), "utf8")).toContain("src/legacy/router.ts");
    expect(fs.existsSync(path.join(o, "src/legacy/router.ts"))).toBe(false);
  });

  it("is idempotent: a second call reuses the repos with the same heads", async () => {
    const heads = repos.map((r) => git(r.path, ["rev-parse", "main"]));
    const msgs: string[] = [];
    const started = Date.now();
    const again = await buildDemoRepos({ dir, onProgress: (m) => msgs.push(m) });
    expect(again.map((r) => git(r.path, ["rev-parse", "main"]))).toEqual(heads);
    expect(msgs.every((m) => m.includes("reusing"))).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("is deterministic: a fresh build elsewhere gives the same commit ids", async () => {
    const other = path.join(os.tmpdir(), `specledger-demo-${randomBytes(6).toString("hex")}`);
    try {
      const fresh = await buildDemoRepos({ dir: other });
      for (const [i, r] of fresh.entries()) {
        expect(git(r.path, ["rev-parse", "main"])).toBe(git(repos[i]!.path, ["rev-parse", "main"]));
      }
      expect(git(fresh[2]!.path, ["rev-parse", "experiment"])).toBe(git(byName("web-app"), ["rev-parse", "experiment"]));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it("builds the first-import stage as a prefix of the latest history, and back", async () => {
    const o = byName("orders-service");
    const latest = git(o, ["rev-parse", "main"]);
    const payments = git(byName("payments-service"), ["rev-parse", "main"]);
    await buildDemoRepos({ dir, stage: "first-import" });
    // Repositories without a first-import stage are the same at both.
    expect(git(byName("payments-service"), ["rev-parse", "main"])).toBe(payments);
    const first = git(o, ["rev-parse", "main"]);
    expect(first).not.toBe(latest);
    expect(git(o, ["log", "-1", "--format=%s", "main"])).toBe("Add Cursor rule for tests");
    await buildDemoRepos({ dir, stage: "latest" });
    expect(git(o, ["rev-parse", "main"])).toBe(latest);
    expect(() => git(o, ["merge-base", "--is-ancestor", first, latest])).not.toThrow();
  });

  it("rebuilds a repo whose head does not match", async () => {
    const w = byName("platform-infra");
    const head = git(w, ["rev-parse", "main"]);
    git(w, ["-c", "user.name=x", "-c", "user.email=x@x", "-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "stray"]);
    await buildDemoRepos({ dir });
    expect(git(w, ["rev-parse", "main"])).toBe(head);
  });
});

// The seed runs in a child process against a database of its own, made for this test: it is
// what `npm start` does on a fresh clone, untouched by other tests' rows and by earlier seeds.
describe("the seeded demo workspace", () => {
  const name = `demo_${randomBytes(6).toString("hex")}`;
  const dataDir = path.join(os.tmpdir(), `specledger-demo-seed-${randomBytes(6).toString("hex")}`);
  let admin: pg.Client;
  let client: pg.Client;
  let url: string;
  const seed = () =>
    execFileSync(process.execPath, ["--import", "tsx", "scripts/seed.ts"], {
      env: { ...process.env, DATABASE_URL: url, SPECLEDGER_DATA_DIR: dataDir },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  const openFindings = async () =>
    (
      await client.query<{ fingerprint: string; type: string; path: string | null; message: string }>(
        `SELECT f.fingerprint, f.type, s.path, f.message FROM "Finding" f LEFT JOIN "Spec" s ON s.id = f."specId" WHERE f.status = 'open' ORDER BY f.fingerprint`,
      )
    ).rows;

  beforeAll(async () => {
    // A database of its own, set up as npm start does: made by the superuser, roles and
    // migrations by setup, the seed and the queries as the app's role.
    const superuser = process.env.SPECLEDGER_TEST_SUPERUSER_URL ?? process.env.DATABASE_URL!;
    admin = new pg.Client({ connectionString: superuser });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const setupModule = "../../scripts/lib/setup.mjs";
    const setup = await import(/* @vite-ignore */ setupModule);
    const prepared = await setup.prepareDatabase(Object.assign(new URL(superuser), { pathname: `/${name}` }).toString(), {
      embedded: Boolean(process.env.SPECLEDGER_TEST_SUPERUSER_URL),
      quiet: true,
      generate: false,
    });
    url = prepared.appUrl;
    seed();
    client = new pg.Client({ connectionString: url });
    await client.connect();
  }, 300_000);
  afterAll(async () => {
    await client?.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("shows every finding type, open, each arising from the demo's history and provenance", async () => {
    const findings = await openFindings();
    // Budget findings need a budget and spend, which the demo does not set up; requirement-oracle findings are off by default.
    const absent = new Set(["budget", "requirement-oracle"]);
    expect([...new Set(findings.map((f) => f.type))].sort()).toEqual(FINDING_TYPES.filter((t) => !absent.has(t)).sort());
    // The bloated AGENTS.md is longer than the 12,000 characters Windsurf reads of a rule file.
    expect(findings).toContainEqual(
      expect.objectContaining({
        type: "effective-instructions",
        path: "AGENTS.md",
        message: expect.stringMatching(/^AGENTS\.md is cut after 12,000 characters/),
      }),
    );
    // Version 1 of the Copilot instructions was approved before version 2 was pushed.
    expect(findings).toContainEqual(expect.objectContaining({ type: "unreviewed", path: ".github/copilot-instructions.md" }));
    // orders-service's live builds used version 1 of the requirements; version 2 was approved after.
    const deployedStale = findings.filter((f) => f.type === "deployed-stale");
    expect(deployedStale.map((f) => f.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^orders-service 2\.1\.0 in production was built from version 1 of orders-service:\.kiro\/specs\/order-history\/requirements\.md; version 2 is the approved one now\.$/,
        ),
      ]),
    );
  });

  it("has changes in every review state, and the proposal waiting in the admin's queue is still open", async () => {
    const { rows } = await client.query<{ state: string }>(`SELECT DISTINCT state::text FROM "Change" ORDER BY 1`);
    expect(rows.map((r) => r.state)).toEqual(["approved", "proposed", "rejected", "superseded", "unreviewed"]);
    const pinned = await client.query<{ state: string }>(`SELECT state::text FROM "Change" WHERE title = 'Pin the package manager for agents'`);
    expect(pinned.rows).toEqual([{ state: "proposed" }]);
  });

  it("is recorded through the app's own functions: approvals, runs and deployments each have their audit event", async () => {
    const { rows } = await client.query<{ type: string; n: number }>(`SELECT action AS type, count(*)::int AS n FROM "AuditEvent" GROUP BY action`);
    const count = new Map(rows.map((r) => [r.type, r.n]));
    expect(count.get("deployment.recorded")).toBeGreaterThanOrEqual(3);
    expect(count.get("change.approved")).toBeGreaterThanOrEqual(4);
  });

  it("changes nothing when seeded again", async () => {
    const before = await openFindings();
    const versions = async () => (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "SpecVersion"`)).rows[0].n;
    const versionsBefore = await versions();
    seed();
    const fingerprints = (rows: { fingerprint: string }[]) => rows.map((f) => f.fingerprint);
    expect(fingerprints(await openFindings())).toEqual(fingerprints(before));
    expect(await versions()).toBe(versionsBefore);
  }, 300_000);
});
