import { afterAll, describe, expect, it } from "vitest";
import { git } from "@/lib/git/git";
import { TestRepo } from "@/lib/testing/git-repo";
import { governedPaths } from "../references";
import type { FindingDraft, LiveFile, RepoContext } from "./context";
import { checkStale, MAX_EVIDENCE_COMMITS } from "./stale";

// These tests read the history machinery on inferred governance (root-level specs see every path);
// what a spec governs by default is tested at the end.
const INFERRED = { inferredGovernance: true };

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

function liveSpec(path: string, text: string, baseline: { current: string; approved?: string; accepted?: string }, feature: string | null): LiveFile {
  return {
    id: `id:${path}`,
    path,
    kind: "spec",
    featureId: feature,
    featureKey: feature,
    currentHash: "h",
    text,
    isSymlink: false,
    currentSeq: 1,
    currentVersionId: `v:${path}`,
    currentCommit: baseline.current,
    committedAt: new Date(),
    approvedSeq: baseline.approved ? 1 : null,
    approvedVersionId: null,
    approvedHash: null,
    approvedCommit: baseline.approved ?? null,
    acceptedCommit: baseline.accepted ?? null,
  };
}

/** What the check answered before it read the history once: one `git log --numstat` per spec. */
async function perSpecAnswer(gitDir: string, head: string, file: LiveFile) {
  const governed = governedPaths({ specPath: file.path, text: file.text, featureKey: file.featureKey, siblings: [] })!;
  const baseline = file.acceptedCommit ?? file.approvedCommit ?? file.currentCommit;
  const out = await git([`--git-dir=${gitDir}`, "log", "--no-renames", "--numstat", "--format=%x1e%H", `${baseline}..${head}`, "--", ...governed.pathspecs]);
  const commits = out
    .split("\x1e")
    .filter((c) => c.trim())
    .map((chunk) => {
      const [sha, ...stats] = chunk.split("\n");
      const lines = stats.filter((s) => /^(\d+|-)\t/.test(s));
      const count = (column: number) => lines.reduce((n, l) => n + (Number(l.split("\t")[column]) || 0), 0);
      return { sha, files: lines.length, added: count(0), deleted: count(1) };
    });
  return commits.length === 0 ? null : commits;
}

/** Each spec's stale draft lists exactly the commits, files and lines its own `git log` lists, with the totals; none when that log is empty. */
async function expectPerSpecAnswers(gitDir: string, head: string, files: LiveFile[], drafts: FindingDraft[]) {
  for (const file of files) {
    const expected = await perSpecAnswer(gitDir, head, file);
    const draft = drafts.find((d) => d.specId === file.id);
    if (expected === null) {
      expect(draft, file.path).toBeUndefined();
      continue;
    }
    expect(draft?.type, file.path).toBe("stale");
    if (draft?.type !== "stale") continue;
    expect(
      draft.evidence.commits.map((c) => ({ sha: c.sha, files: c.files, added: c.added, deleted: c.deleted })),
      file.path,
    ).toEqual(expected);
    expect(draft.evidence.commitCount).toBe(expected.length);
    expect(draft.evidence.added).toBe(expected.reduce((n, c) => n + c.added, 0));
    expect(draft.evidence.deleted).toBe(expected.reduce((n, c) => n + c.deleted, 0));
  }
}

describe("checkStale", () => {
  it("answers for many specs, root-level ones included, what one log per spec answered", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    const c1 = repo.commit("start", {
      "specs/001-a/spec.md": "# A\n",
      "specs/002-b/spec.md": "# B\n",
      "services/pay/specs/001-p/spec.md": "# P\n",
      "docs/specs/lib/spec.md": "---\ngoverns: lib/**\n---\n# Lib\n",
      "src/a.ts": "1\n",
      "services/pay/pay.ts": "1\n",
      "lib/z.ts": "1\n",
    });
    const c2 = repo.commit("code", { "src/a.ts": "1\n2\n", "README.md": "# readme\n" });
    repo.commit("pay", { "services/pay/pay.ts": "1\n2\n3\n", "services/pay/NOTES.md": "n\n" });
    const c4 = repo.commit("spec a", { "specs/001-a/spec.md": "# A v2\n" });
    // A merged branch: its commits count through the merge.
    repo.git("checkout", "-q", "-b", "topic");
    repo.commit("lib on a branch", { "lib/z.ts": "1\n2\n" });
    repo.git("checkout", "-q", "main");
    repo.commit("code on main", { "src/b.ts": "b\n" });
    repo.git("merge", "-q", "--no-ff", "-m", "merge topic", "topic");
    const head = repo.commit("more", { "src/a.ts": "3\n", "services/pay/specs/001-p/data.json": "{}\n" });
    const gitDir = `${repo.path}/.git`;

    const files = [
      liveSpec("specs/001-a/spec.md", "# A v2\n", { current: c4 }, "specs/001-a"),
      liveSpec("specs/002-b/spec.md", "# B\n", { current: c1 }, "specs/002-b"),
      liveSpec("services/pay/specs/001-p/spec.md", "# P\n", { current: c1, approved: c1, accepted: c2 }, "services/pay/specs/001-p"),
      liveSpec("docs/specs/lib/spec.md", "---\ngoverns: lib/**\n---\n# Lib\n", { current: c1 }, "docs/specs/lib"),
      liveSpec("specs/003-up-to-date/spec.md", "# C\n", { current: head }, "specs/003-up-to-date"),
    ];
    const ctx: RepoContext = { repositoryId: "r", gitDir, head, files };
    const drafts = await checkStale(ctx, INFERRED);

    await expectPerSpecAnswers(gitDir, head, files, drafts);
    // The root-level specs see the code everywhere but in specs/ and Markdown; the up-to-date one nothing.
    expect(drafts.map((d) => d.specId).sort()).toEqual([
      "id:docs/specs/lib/spec.md",
      "id:services/pay/specs/001-p/spec.md",
      "id:specs/001-a/spec.md",
      "id:specs/002-b/spec.md",
    ]);
  });

  it("answers with renames and deletions, nested and root-level specs and baselines along the history, what one log per spec answered", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    const c1 = repo.commit("start", {
      "specs/001-a/spec.md": "# A\n",
      "specs/002-b/spec.md": "# B\n",
      "services/pay/specs/001-p/spec.md": "# P\n",
      "services/pay/specs/002-q/spec.md": "# Q\n",
      "docs/specs/lib/spec.md": "---\ngoverns:\n  - lib/**\n  - src/shared/*.ts\n---\n# Lib\n",
      "src/a.ts": "a\n",
      "src/old.ts": "old\n1\n2\n",
      "src/shared/util.ts": "u\n",
      "services/pay/pay.ts": "p\n",
      "services/pay/gone.ts": "g\n",
      "services/payments/other.ts": "o\n",
      "lib/z.ts": "z\n",
    });
    // A rename inside the nested service, one across the root, and deletions in both.
    const c2 = repo.commit("moves", {
      "services/pay/pay.ts": null,
      "services/pay/core/pay.ts": "p\n",
      "src/a.ts": null,
      "lib/a.ts": "a\n",
    });
    repo.commit("deletions", { "src/old.ts": null, "services/pay/gone.ts": null, "services/payments/other.ts": "o\n2\n" });
    const c4 = repo.commit("spec b", { "specs/002-b/spec.md": "# B v2\n" });
    repo.commit("util", { "src/shared/util.ts": "u\n2\n", "lib/z.ts": null });
    // A rename of a governed folder's file into a spec folder (leaves the root specs' paths) and of Markdown.
    repo.commit("into specs", { "lib/a.ts": null, "specs/001-a/notes.ts": "a\n", "services/pay/README.md": "r\n" });
    const head = repo.commit("last", { "services/pay/core/pay.ts": "p\n3\n", "services/pay/specs/001-p/data.json": "{}\n" });
    const gitDir = `${repo.path}/.git`;

    const files = [
      liveSpec("specs/001-a/spec.md", "# A\n", { current: c1 }, "specs/001-a"),
      liveSpec("specs/002-b/spec.md", "# B v2\n", { current: c4 }, "specs/002-b"),
      liveSpec("services/pay/specs/001-p/spec.md", "# P\n", { current: c1, approved: c2 }, "services/pay/specs/001-p"),
      liveSpec("services/pay/specs/002-q/spec.md", "# Q\n", { current: c1 }, "services/pay/specs/002-q"),
      liveSpec("docs/specs/lib/spec.md", "---\ngoverns:\n  - lib/**\n  - src/shared/*.ts\n---\n# Lib\n", { current: c1, accepted: c2 }, "docs/specs/lib"),
    ];
    const drafts = await checkStale({ repositoryId: "r", gitDir, head, files }, INFERRED);

    await expectPerSpecAnswers(gitDir, head, files, drafts);
    // Every spec here saw a change after its baseline: a check that attributed nothing would fail above only by luck.
    expect(drafts).toHaveLength(files.length);
  });

  it("leaves out a spec whose baseline the history no longer has", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit("start", { "specs/001-a/spec.md": "# A\n", "src/a.ts": "1\n" });
    const head = repo.commit("code", { "src/a.ts": "2\n" });
    const gone = "0123456789abcdef0123456789abcdef01234567";
    const drafts = await checkStale(
      {
        repositoryId: "r",
        gitDir: `${repo.path}/.git`,
        head,
        files: [liveSpec("specs/001-a/spec.md", "# A\n", { current: gone }, "specs/001-a")],
      },
      INFERRED,
    );
    expect(drafts).toEqual([]);
  });

  it("past the listed maximum counts every commit, lists the newest and counts lines for those, on a chain and across a merge", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    const start = repo.commit("start", { "specs/001-a/spec.md": "# A\n", "specs/002-b/spec.md": "# B\n", "src/a.ts": "0\n" });
    for (let i = 1; i <= 55; i++) repo.commit(`code ${i}`, { "src/a.ts": `${"x\n".repeat(i)}`, [`src/f${i}.ts`]: "1\n2\n" });
    const b = repo.commit("spec b", { "specs/002-b/spec.md": "# B v2\n" });
    for (let i = 1; i <= 3; i++) repo.commit(`after b ${i}`, { [`src/g${i}.ts`]: "g\n" });
    const linearHead = repo.git("rev-parse", "HEAD").trim();
    const files = [
      liveSpec("specs/001-a/spec.md", "# A\n", { current: start }, "specs/001-a"),
      liveSpec("specs/002-b/spec.md", "# B v2\n", { current: b }, "specs/002-b"),
    ];
    const gitDir = `${repo.path}/.git`;

    const answer = async (head: string) => {
      const drafts = await checkStale({ repositoryId: "r", gitDir, head, files }, INFERRED);
      const a = drafts.find((d) => d.specId === "id:specs/001-a/spec.md");
      if (a?.type !== "stale") throw new Error("no stale finding for A");
      // What git says the newest of A's range changed, commit by commit.
      const expected = ((await perSpecAnswer(gitDir, head, files[0])) ?? []).slice(0, MAX_EVIDENCE_COMMITS);
      expect(a.evidence.commits.map((c) => ({ sha: c.sha, files: c.files, added: c.added, deleted: c.deleted }))).toEqual(expected);
      expect(a.evidence.added).toBe(expected.reduce((n, c) => n + c.added, 0));
      expect(a.evidence.deleted).toBe(expected.reduce((n, c) => n + c.deleted, 0));
      expect(a.message).toBe(
        `Code governed by specs/001-a/spec.md changed in ${a.evidence.commitCount} commits since the spec's last version (the newest ${MAX_EVIDENCE_COMMITS}: +${a.evidence.added} −${a.evidence.deleted} lines).`,
      );
      // B, with fewer commits than that, still says its whole total in the message.
      await expectPerSpecAnswers(gitDir, head, [files[1]], drafts);
      return a.evidence.commitCount;
    };
    // 55 code commits and the 3 after B; A's own spec did not change, B's is outside A's paths.
    expect(await answer(linearHead)).toBe(58);

    // A merge makes the history a graph: the same answers from reachability instead of a prefix.
    repo.git("checkout", "-q", "-b", "topic", start);
    repo.commit("on a branch", { "lib/t.ts": "t\n" });
    repo.git("checkout", "-q", "main");
    repo.git("merge", "-q", "--no-ff", "-m", "merge topic", "topic");
    const mergedHead = repo.git("rev-parse", "HEAD").trim();
    expect(await answer(mergedHead)).toBe(60);
  });

  it("reports by default only what a spec declares it governs: governs: globs, or files its tasks and plan name", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    const tasks = "# Tasks\n\n## Path Conventions\n- `src/`, `tests/` at the root\n\n- [ ] T001 Create src/models/user.py\n";
    const start = repo.commit("start", {
      "specs/001-users/spec.md": "# Users\n",
      "specs/001-users/tasks.md": tasks,
      "specs/002-folders/spec.md": "# Folders\n",
      "specs/002-folders/tasks.md": "# Tasks\n\n- [ ] T001 Set up src/ and tests/\n",
      "specs/003-bare/spec.md": "# Nothing named\n",
      "specs/004-declared/spec.md": "---\ngoverns: [lib/**]\n---\n# Lib\n",
      "src/models/user.py": "u = 1\n",
      "src/other.py": "o = 1\n",
      "lib/z.ts": "z\n",
    });
    const head = repo.commit("code", { "src/models/user.py": "u = 2\n", "src/other.py": "o = 2\n", "tests/t.py": "t\n", "lib/z.ts": "z2\n" });
    const gitDir = `${repo.path}/.git`;
    const spec = (path: string, text: string, feature: string) => ({ ...liveSpec(path, text, { current: start }, feature), featureId: feature });
    const sibling = (path: string, text: string, feature: string): LiveFile => ({ ...spec(path, text, feature), id: `id:${path}`, kind: "tasks" });
    const files = [
      spec("specs/001-users/spec.md", "# Users\n", "specs/001-users"),
      sibling("specs/001-users/tasks.md", tasks, "specs/001-users"),
      spec("specs/002-folders/spec.md", "# Folders\n", "specs/002-folders"),
      sibling("specs/002-folders/tasks.md", "# Tasks\n\n- [ ] T001 Set up src/ and tests/\n", "specs/002-folders"),
      spec("specs/003-bare/spec.md", "# Nothing named\n", "specs/003-bare"),
      spec("specs/004-declared/spec.md", "---\ngoverns: [lib/**]\n---\n# Lib\n", "specs/004-declared"),
    ];
    const ctx: RepoContext = { repositoryId: "r", gitDir, head, files };
    const declared = await checkStale(ctx, { inferredGovernance: false });
    expect(declared.map((d) => [d.specId, d.type === "stale" ? d.evidence.governs : null])).toEqual([
      ["id:specs/001-users/spec.md", ["src/models/user.py"]],
      ["id:specs/004-declared/spec.md", ["lib/**"]],
    ]);
    // Files named by tasks were right 10 of 15 times on public repositories: a note; governs: globs warn.
    expect(declared.map((d) => d.severity)).toEqual(["info", "warning"]);
    // Turned on, the bare folders and the code beside the specs folder govern too: every spec is stale.
    const inferred = await checkStale(ctx, INFERRED);
    expect(inferred.map((d) => d.specId).sort()).toEqual([
      "id:specs/001-users/spec.md",
      "id:specs/002-folders/spec.md",
      "id:specs/003-bare/spec.md",
      "id:specs/004-declared/spec.md",
    ]);
  });
});
