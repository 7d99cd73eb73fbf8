import { afterAll, describe, expect, it } from "vitest";
import { withPgTransaction } from "@/lib/db/pg";
import { hashContent } from "@/lib/specs/content";
import { compileKindRules, kindRulesFromEnv } from "@/lib/specs/kinds";
import { TestRepo } from "@/lib/testing/git-repo";
import { readHistory, type ImportProgress } from "./read-history";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));
const classify = compileKindRules(kindRulesFromEnv());

describe("readHistory", () => {
  it("reads the recognised changes oldest first, hashes and stages each content once, keeps the newest texts and says what it skipped", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    const c1 = repo.commit("one", { "AGENTS.md": "v1\n", "src/a.ts": "1\n" });
    repo.commit("code only", { "src/a.ts": "2\n" });
    const c3 = repo.commit("two", { "AGENTS.md": "v2\n", "CLAUDE.md": "v1\n", "specs/x/spec.md": "x".repeat(50) });

    const phases: ImportProgress[] = [];
    const { read, staged } = await withPgTransaction(async (client) => {
      const read = await readHistory(client, { gitDir: `${repo.path}/.git`, range: c3, classify, maxFileBytes: 20, progress: (p) => phases.push(p) });
      const { rows } = await client.query<{ hash: string }>(`SELECT hash FROM import_content ORDER BY hash`);
      return { read, staged: rows.map((r) => r.hash) };
    });

    expect(read.commitsScanned).toBe(3);
    expect(read.commits.map((c) => c.sha)).toEqual([c1, c3]);
    expect(read.commits[1].changes.map((c) => c.path).sort()).toEqual(["AGENTS.md", "CLAUDE.md", "specs/x/spec.md"]);
    // "v1\n" is both AGENTS.md's first and CLAUDE.md's only content: staged once.
    const v1 = hashContent(Buffer.from("v1\n"));
    const v2 = hashContent(Buffer.from("v2\n"));
    expect(staged).toEqual([v1, v2].sort());
    expect(read.blobsRequested).toBe(3);
    expect(read.contentsStaged).toBe(2);
    expect(read.texts.get(v2)).toBe("v2\n");
    expect([...read.skipped.values()].map((s) => s.reason)).toEqual(["too-large"]);
    expect(phases.at(-1)).toEqual({ phase: "reading", done: 3, total: 3 });
  });

  it("reads only the commits of an incremental range", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    const c1 = repo.commit("one", { "AGENTS.md": "v1\n" });
    const c2 = repo.commit("two", { "AGENTS.md": "v2\n" });
    const read = await withPgTransaction(async (client) =>
      readHistory(client, { gitDir: `${repo.path}/.git`, range: `${c1}..${c2}`, classify, maxFileBytes: 1000, progress: () => {} }),
    );
    expect(read.commits.map((c) => c.sha)).toEqual([c2]);
    expect(read.commitsScanned).toBe(1);
  });

  it("hands every read text at a path of the asked kinds to onText, older versions too, and no others", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit("one", { "specs/a/spec.md": "- FR-001: one\n", "AGENTS.md": "agents\n" });
    const c2 = repo.commit("two", { "specs/a/spec.md": "- FR-001: one, changed\n", "specs/a/plan.md": "plan\n" });
    const seen = new Map<string, string>();
    await withPgTransaction(async (client) =>
      readHistory(client, {
        gitDir: `${repo.path}/.git`,
        range: c2,
        classify,
        maxFileBytes: 1000,
        progress: () => {},
        onText: { kinds: new Set(["spec"]), text: (hash, text) => void seen.set(hash, text) },
      }),
    );
    expect([...seen.values()].sort()).toEqual(["- FR-001: one\n", "- FR-001: one, changed\n"]);
    expect(seen.get(hashContent(Buffer.from("- FR-001: one\n")))).toBe("- FR-001: one\n");
  });

  it.each([
    ["before the log's first commit", 0],
    ["after the log", 200],
  ])("holds changes at candidate paths until recognition settles (%s), then reads the contracts' blobs and drops the rest", async (_when, delay) => {
    const repo = TestRepo.create();
    repos.push(repo);
    const c1 = repo.commit("one", { "api/pets.yaml": "openapi: 3.0.0\n", "deploy/app.yaml": "kind: Service\n", "AGENTS.md": "a\n" });
    const c2 = repo.commit("config only", { "deploy/app.yaml": "kind: Deployment\n" });
    const c3 = repo.commit("api", { "api/pets.yaml": "openapi: 3.0.1\n" });
    const c4 = repo.commit("config deleted", { "deploy/app.yaml": null });
    const contracts = new Set(["api/pets.yaml"]);
    const read = await withPgTransaction(async (client) => {
      const recognised = delay === 0 ? Promise.resolve(contracts) : new Promise<ReadonlySet<string>>((resolve) => setTimeout(() => resolve(contracts), delay));
      return readHistory(client, {
        gitDir: `${repo.path}/.git`,
        range: c4,
        classify,
        maxFileBytes: 1000,
        progress: () => {},
        contracts: { candidate: (p) => p.endsWith(".yaml"), recognised },
      });
    });
    // The commits that changed only the configuration are gone, the deletion too.
    expect(read.commits.map((c) => [c.sha, c.changes.map((x) => x.path).sort()])).toEqual([
      [c1, ["AGENTS.md", "api/pets.yaml"]],
      [c3, ["api/pets.yaml"]],
    ]);
    expect([c2, c4].filter((c) => read.commits.some((x) => x.sha === c))).toEqual([]);
    expect(read.blobsRequested).toBe(3);
    expect([...read.texts.values()].sort()).toEqual(["a\n", "openapi: 3.0.1\n"]);
  });

  it("keeps the text of a path's newest content that was read before as an older version elsewhere", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit("one", { "CLAUDE.md": "shared\n" });
    // Commits between: the log names the older CLAUDE.md only after git has answered for the blob.
    const tree = repo.git("rev-parse", "HEAD^{tree}");
    let parent = repo.git("rev-parse", "HEAD");
    for (let i = 0; i < 300; i++) parent = repo.git("commit-tree", tree, "-p", parent, "-m", `empty ${i}`);
    repo.git("reset", "-q", "--soft", parent);
    repo.commit("two", { "AGENTS.md": "shared\n" });
    const c3 = repo.commit("three", { "AGENTS.md": "own\n" });
    const read = await withPgTransaction((client) =>
      readHistory(client, { gitDir: `${repo.path}/.git`, range: c3, classify, maxFileBytes: 1000, progress: () => {} }),
    );
    expect([...read.texts.values()].sort()).toEqual(["own\n", "shared\n"]);
  });

  it("fails, without an unhandled rejection, when recognising the contracts fails", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    const c1 = repo.commit("one", { "api/pets.yaml": "openapi: 3.0.0\n" });
    await expect(
      withPgTransaction((client) => {
        // Made as the import makes it, just before the read: it fails while the log streams, before the read awaits it.
        const recognised = new Promise<ReadonlySet<string>>((_, reject) => setTimeout(() => reject(new Error("ls-tree failed")), 1));
        return readHistory(client, {
          gitDir: `${repo.path}/.git`,
          range: c1,
          classify,
          maxFileBytes: 1000,
          progress: () => {},
          contracts: { candidate: () => true, recognised },
        });
      }),
    ).rejects.toThrow("ls-tree failed");
  });
});
