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
});
