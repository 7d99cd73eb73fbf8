import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendSyntheticCommits, createSyntheticRepo, mulberry32, type SyntheticRepo } from "./synthetic-repo";
import { CatFileBatchParser, listHistoryBlobs, readBlobsWithCatFile } from "./git-baseline";

function git(cwd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.resume();
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

async function gitOut(cwd: string, args: string[]): Promise<string> {
  const r = await git(cwd, args);
  if (r.code !== 0) throw new Error(`git ${args.join(" ")} exited ${r.code}`);
  return r.out.trim();
}

async function specFilesAt(repo: string, ref: string): Promise<string[]> {
  const names = (await gitOut(repo, ["ls-tree", "-r", "--name-only", ref])).split("\n");
  return names.filter((n) => n.startsWith("specs/") && n.endsWith(".md"));
}

let tmp: string;
let repo: SyntheticRepo;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "specledger-synth-"));
  repo = await createSyntheticRepo({ dir: path.join(tmp, "small"), commits: 300, files: 40, seed: 7 });
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("mulberry32", () => {
  it("is deterministic and in [0, 1)", () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe("CatFileBatchParser", () => {
  it("parses objects split at every possible chunk boundary", () => {
    const objects = [
      { oid: "a".repeat(40), type: "blob", body: "hello\nworld\n" },
      { oid: "b".repeat(40), type: "blob", body: "" },
      { oid: "c".repeat(40), type: "blob", body: "x".repeat(300) + "\n\n" },
    ];
    const stream = Buffer.from(objects.map((o) => `${o.oid} ${o.type} ${o.body.length}\n${o.body}\n`).join("") + "deadbeef missing\n");
    for (const size of [1, 2, 3, 7, 41, 64, stream.length]) {
      const got: { oid: string; size: number; content?: string }[] = [];
      const missing: string[] = [];
      const parser = new CatFileBatchParser(
        true,
        (o) => got.push({ oid: o.oid, size: o.size, content: o.content?.toString() }),
        (h) => missing.push(h),
      );
      for (let i = 0; i < stream.length; i += size) parser.push(stream.subarray(i, i + size));
      expect(parser.idle).toBe(true);
      expect(got).toEqual(objects.map((o) => ({ oid: o.oid, size: o.body.length, content: o.body })));
      expect(missing).toEqual(["deadbeef missing"]);
    }
  });
});

describe("createSyntheticRepo", () => {
  it("has exactly the requested number of commits on main", async () => {
    expect(await gitOut(repo.path, ["rev-list", "--count", "main"])).toBe("300");
    expect(await gitOut(repo.path, ["rev-parse", "main"])).toBe(repo.headCommit);
    expect(await gitOut(repo.path, ["symbolic-ref", "HEAD"])).toBe("refs/heads/main");
    expect(repo).toMatchObject({ commits: 300, files: 40 });
  });

  it("has exactly `files` Markdown spec files at HEAD in a Spec Kit layout, plus non-spec files", async () => {
    const specs = await specFilesAt(repo.path, "HEAD");
    expect(specs).toHaveLength(40);
    for (const p of specs) expect(p).toMatch(/^specs\/\d{3}-[a-z]+-[a-z]+\/(spec|plan|tasks)\.md$/);
    const all = (await gitOut(repo.path, ["ls-tree", "-r", "--name-only", "HEAD"])).split("\n");
    expect(all.some((p) => p.startsWith("src/") && p.endsWith(".ts"))).toBe(true);
    // Working tree is checked out and clean.
    expect(await gitOut(repo.path, ["status", "--porcelain"])).toBe("");
  });

  it("makes commits touching 1-3 files with non-decreasing timestamps", async () => {
    const log = await gitOut(repo.path, ["log", "--first-parent", "--reverse", "--format=@%ct", "--name-only", "main"]);
    const commits = log
      .split("@")
      .filter(Boolean)
      .map((block) => {
        const [time, ...names] = block.split("\n").filter(Boolean);
        return { time: Number(time), names };
      });
    expect(commits).toHaveLength(300);
    for (let i = 1; i < commits.length; i++) {
      expect(commits[i].time).toBeGreaterThan(commits[i - 1].time);
      expect(commits[i].names.length).toBeGreaterThanOrEqual(1);
      expect(commits[i].names.length).toBeLessThanOrEqual(3);
    }
  });

  it("is deterministic for a given seed", async () => {
    const again = await createSyntheticRepo({ dir: path.join(tmp, "again"), commits: 300, files: 40, seed: 7 });
    expect(again.headCommit).toBe(repo.headCommit);
  });

  it("writes a commit-graph with changed-path filters", async () => {
    expect((await git(repo.path, ["commit-graph", "verify"])).code).toBe(0);
  });
});

describe("git baseline", () => {
  it("listHistoryBlobs returns distinct blob ids that git accepts", async () => {
    const ids = await listHistoryBlobs({ repoPath: repo.path });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(300);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{40}$/);
    // Every blob of every spec file at HEAD is among them.
    const headBlobs = (await gitOut(repo.path, ["ls-tree", "-r", "HEAD", "specs"])).split("\n").map((l) => l.split(/\s+/)[2]);
    for (const b of headBlobs) expect(ids).toContain(b);
    // No non-spec blob sneaks in.
    const srcBlob = (await gitOut(repo.path, ["rev-parse", "HEAD:src/index.ts"])).trim();
    expect(ids).not.toContain(srcBlob);
    const step = Math.max(1, Math.floor(ids.length / 25));
    for (let i = 0; i < ids.length; i += step) {
      expect((await git(repo.path, ["cat-file", "-e", `${ids[i]}^{blob}`])).code).toBe(0);
    }
  });

  it("readBlobsWithCatFile reads every blob and counts exactly their bytes", async () => {
    const ids = await listHistoryBlobs({ repoPath: repo.path, ref: "main" });
    const result = await readBlobsWithCatFile({ repoPath: repo.path, blobIds: ids });
    expect(result.blobs).toBe(ids.length);

    let expected = 0;
    const queue = [...ids];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let id = queue.pop(); id; id = queue.pop()) {
          const size = Number(await gitOut(repo.path, ["cat-file", "-s", id]));
          expected += size;
        }
      }),
    );
    expect(result.bytes).toBe(expected);
    expect(result.bytes).toBeGreaterThan(ids.length * 1000);
    expect(result.seconds).toBeGreaterThan(0);
    expect(result.blobsPerSecond).toBeCloseTo(result.blobs / result.seconds);
  }, 180_000); // one `git cat-file -s` spawn per blob (~500) is slow on a loaded machine

  it("readBlobsWithCatFile rejects an unknown id", async () => {
    await expect(readBlobsWithCatFile({ repoPath: repo.path, blobIds: ["0123456789abcdef0123456789abcdef01234567"] })).rejects.toThrow(/missing/);
  });
});

describe("appendSyntheticCommits", () => {
  it("adds exactly N commits on top of main, keeping the file set", async () => {
    const base = await createSyntheticRepo({ dir: path.join(tmp, "append"), commits: 50, files: 12, seed: 3 });
    const before = await listHistoryBlobs({ repoPath: base.path });
    const { headCommit } = await appendSyntheticCommits({ path: base.path, commits: 37 });
    expect(await gitOut(base.path, ["rev-list", "--count", "main"])).toBe("87");
    expect(await gitOut(base.path, ["rev-parse", "main"])).toBe(headCommit);
    expect((await git(base.path, ["merge-base", "--is-ancestor", base.headCommit, "main"])).code).toBe(0);
    expect(await specFilesAt(base.path, "main")).toHaveLength(12);
    expect(await gitOut(base.path, ["status", "--porcelain"])).toBe("");
    const baseTime = Number(await gitOut(base.path, ["log", "-1", "--format=%ct", base.headCommit]));
    const times = (await gitOut(base.path, ["log", "--format=%ct", `${base.headCommit}..main`])).split("\n").map(Number);
    expect(times).toHaveLength(37);
    for (const t of times) expect(t).toBeGreaterThan(baseTime);
    const after = await listHistoryBlobs({ repoPath: base.path });
    expect(after.length).toBeGreaterThan(before.length);

    const second = await appendSyntheticCommits({ path: base.path, commits: 5, seed: 99 });
    expect(await gitOut(base.path, ["rev-list", "--count", "main"])).toBe("92");
    expect(second.headCommit).not.toBe(headCommit);
  });
});
