import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestRepo } from "@/lib/testing/git-repo";
import { LOG_FORMAT, LogParser, streamLog, type CommitRecord, type FileChange } from "./log";

const NULL_BLOB = "0".repeat(40);
const oid = (label: string) => createHash("sha1").update(label).digest("hex");

// What `git log -z --raw --no-abbrev --first-parent -M --format=LOG_FORMAT` prints: each
// commit's header ends in NUL; if it has changes, a newline follows, then for each change
// ":modes blobs status" NUL, the old path NUL for renames, and the path NUL.
interface RawChange extends FileChange {
  rawStatus: string;
}
interface RawCommit extends Omit<CommitRecord, "changes" | "committedAt"> {
  committedAt: string;
  changes: RawChange[];
}

function logOutput(commits: RawCommit[]): string {
  return commits
    .map((c) => {
      const header = `\x1e${c.sha}\x1f${c.parents.join(" ")}\x1f${c.authorName}\x1f${c.authorEmail}\x1f${c.committedAt}\0`;
      const changes = c.changes.map((ch) => {
        const paths = ch.rawStatus.startsWith("R") ? `${ch.oldPath}\0${ch.path}\0` : `${ch.path}\0`;
        return `:${ch.oldMode} ${ch.newMode} ${ch.oldBlob} ${ch.newBlob} ${ch.rawStatus}\0${paths}`;
      });
      return header + (changes.length ? "\n" + changes.join("") : "");
    })
    .join("");
}

function expected(commits: RawCommit[]): CommitRecord[] {
  return commits.map((c) => ({
    ...c,
    committedAt: new Date(c.committedAt),
    changes: c.changes.map(({ rawStatus: _, ...change }) => change),
  }));
}

/** Feeds `bytes` cut at `cuts`, decoded the way streamLog's `setEncoding("utf8")` decodes. */
function parseBytes(bytes: Buffer, cuts: number[]): CommitRecord[] {
  const parser = new LogParser();
  const decoder = new StringDecoder("utf8");
  const out: CommitRecord[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...parser.push(decoder.write(bytes.subarray(from, cut))));
    from = cut;
  }
  out.push(...parser.push(decoder.end()));
  out.push(...parser.end());
  return out;
}

function cutsEvery(length: number, size: number): number[] {
  const cuts: number[] = [];
  for (let at = size; at < length; at += size) cuts.push(at);
  return cuts;
}

const add = (p: string, blob: string, mode = "100644"): RawChange => ({
  rawStatus: "A",
  status: "A",
  oldMode: "000000",
  newMode: mode,
  oldBlob: NULL_BLOB,
  newBlob: blob,
  oldPath: p,
  path: p,
});

const SAMPLE: RawCommit[] = [
  {
    sha: oid("merge"),
    parents: [oid("main-2"), oid("side-1")],
    authorName: "Merger",
    authorEmail: "merge@example.com",
    committedAt: "2026-03-04T12:00:00+01:00",
    changes: [
      { rawStatus: "M", status: "M", oldMode: "100644", newMode: "100644", oldBlob: oid("a1"), newBlob: oid("a2"), oldPath: "a.md", path: "a.md" },
      add("side.md", oid("side")),
    ],
  },
  {
    sha: oid("empty"),
    parents: [oid("main-2")],
    authorName: 'Zoë "Q" O\'Brien, Jr: ünï 🎉 (she/her)',
    authorEmail: "zoë+odd@example.com",
    committedAt: "2026-03-03T12:00:00Z",
    changes: [],
  },
  {
    sha: oid("main-2"),
    parents: [oid("main-1")],
    authorName: "Test Author",
    authorEmail: "author@example.com",
    committedAt: "2026-03-02T12:00:00-07:00",
    changes: [
      { rawStatus: "D", status: "D", oldMode: "100644", newMode: "000000", oldBlob: oid("gone"), newBlob: NULL_BLOB, oldPath: "gone.md", path: "gone.md" },
      {
        rawStatus: "R100",
        status: "R",
        oldMode: "100644",
        newMode: "100644",
        oldBlob: oid("sp"),
        newBlob: oid("sp"),
        oldPath: "sp ace.md",
        path: "dir/moved ünï.md",
      },
      {
        rawStatus: "R087",
        status: "R",
        oldMode: "100644",
        newMode: "100644",
        oldBlob: oid("long1"),
        newBlob: oid("long2"),
        oldPath: "long.md",
        path: "long\ttabbed\nname.md",
      },
      {
        rawStatus: "T",
        status: "T",
        oldMode: "100644",
        newMode: "120000",
        oldBlob: oid("kind-file"),
        newBlob: oid("kind-link"),
        oldPath: "kind",
        path: "kind",
      },
      // Paths that look like change lines or headers once the NULs are gone.
      add(":100644 100644 x y M", oid("colon")),
      add("trailing newline\n", oid("trailing")),
    ],
  },
  {
    sha: oid("main-1"),
    parents: [],
    authorName: "Test Author",
    authorEmail: "author@example.com",
    committedAt: "2026-03-01T12:00:00Z",
    changes: [
      add("a.md", oid("a1")),
      add("qu\"ote's.md", oid("quote")),
      add("new\nline\ttab.md", oid("odd")),
      add("日本/☃ 🎉.md", oid("unicode")),
      add("back\\slash.md", oid("backslash")),
      add("bin/run", oid("exec"), "100755"),
    ],
  },
];

describe("LogParser", () => {
  const bytes = Buffer.from(logOutput(SAMPLE), "utf8");
  const want = expected(SAMPLE);

  it.each([1, 2, 3, 7, 64, bytes.length])("parses every kind of change from %i-byte chunks", (size) => {
    expect(parseBytes(bytes, cutsEvery(bytes.length, size))).toEqual(want);
  });

  it("gives the same result wherever the output is split in two", () => {
    for (let at = 0; at <= bytes.length; at++) expect(parseBytes(bytes, [at])).toEqual(want);
  });

  it("handles strings split inside a surrogate pair", () => {
    const text = logOutput(SAMPLE);
    const parser = new LogParser();
    const out: CommitRecord[] = [];
    for (let i = 0; i < text.length; i++) out.push(...parser.push(text[i]));
    out.push(...parser.end());
    expect(out).toEqual(want);
  });

  it("hands back each commit once the next header arrives, and the last one from end()", () => {
    const [first, second] = SAMPLE;
    const parser = new LogParser();
    expect(parser.push(logOutput([first]))).toEqual([]);
    expect(parser.push(logOutput([second]))).toEqual(expected([first]));
    expect(parser.push("")).toEqual([]);
    expect(parser.end()).toEqual(expected([second]));
    expect(parser.end()).toEqual([]);
  });

  it("returns an empty oldest commit, with or without the final NUL", () => {
    const empty = SAMPLE[1];
    const output = logOutput([SAMPLE[0], empty]);
    for (const text of [output, output.slice(0, -1)]) {
      const parser = new LogParser();
      expect([...parser.push(text), ...parser.end()]).toEqual(expected([SAMPLE[0], empty]));
    }
  });

  it("returns nothing for empty output", () => {
    const parser = new LogParser();
    expect([...parser.push(""), ...parser.end()]).toEqual([]);
  });

  it("rejects a path that no change line announced", () => {
    const parser = new LogParser();
    const header = logOutput([{ ...SAMPLE[1], changes: [] }]);
    expect(() => parser.push(`${header}\nstray-path.md\0`)).toThrow(/Unexpected token/);
  });

  // The newline git puts before a change block must not be stripped from paths.
  it("keeps a newline at the start of a path", () => {
    const commit: RawCommit = { ...SAMPLE[3], changes: [add("\nlead.md", oid("lead")), add("z.md", oid("z"))] };
    const parser = new LogParser();
    expect([...parser.push(logOutput([commit])), ...parser.end()]).toEqual(expected([commit]));
  });
});

describe("streamLog", () => {
  const ODD = "new\nline\ttab.md";
  const QUOTED = "qu\"ote's ünï ☃.md";
  const AUTHOR = 'Zoë "Q" O\'Brien, Jr';
  let repo: TestRepo;
  let gitDir: string;
  let c: Record<"add" | "rename" | "delete" | "empty" | "retype" | "side" | "main" | "merge", string>;
  const blob = (commit: string, file: string) => repo.git("rev-parse", `${commit}:${file}`);

  beforeAll(() => {
    repo = TestRepo.create();
    gitDir = path.join(repo.path, ".git");
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}\n`).join("");
    const add = repo.commit("add", {
      "a.md": "alpha\n",
      "b.md": "beta\n",
      "sp ace.md": "space\n",
      [ODD]: "odd\n",
      [QUOTED]: "quote\n",
      "gone.md": "gone\n",
      "long.md": lines(30),
      kind: "regular file\n",
    });
    repo.git("mv", "sp ace.md", "moved ü.md");
    const rename = repo.commit("rename");
    const del = repo.commit("delete", { "gone.md": null });
    repo.git("commit", "-q", "--allow-empty", "-m", "empty", "--author", `${AUTHOR} <zoe+odd@example.com>`);
    const empty = repo.git("rev-parse", "HEAD");
    repo.write({ kind: null }).symlink("a.md", "kind");
    repo.git("mv", "long.md", "long2.md");
    const retype = repo.commit("retype and edit-rename", { "long2.md": lines(27) + "changed\n" });
    repo.git("checkout", "-q", "-b", "side");
    const side = repo.commit("side", { "a.md": "alpha from side\n", "side.md": "side\n" });
    repo.git("checkout", "-q", "main");
    const main = repo.commit("main", { "b.md": "beta 2\n" });
    repo.git("merge", "-q", "--no-ff", "-m", "merge side", "side");
    c = { add, rename, delete: del, empty, retype, side, main, merge: repo.git("rev-parse", "HEAD") };
  });
  afterAll(() => repo?.remove());

  async function log(range: string, pathspecs: string[] = []) {
    const commits: CommitRecord[] = [];
    await streamLog({ gitDir, range, pathspecs, onCommit: (commit) => commits.push(commit) });
    return commits;
  }

  const sorted = (changes: FileChange[]) => [...changes].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));

  it("streams the first-parent history newest first, with parents, authors and dates", async () => {
    const commits = await log("HEAD");
    expect(commits.map((commit) => commit.sha)).toEqual([c.merge, c.main, c.retype, c.empty, c.delete, c.rename, c.add]);
    expect(commits.map((commit) => commit.sha)).toEqual(repo.git("rev-list", "--first-parent", "HEAD").split("\n"));
    expect(commits[0].parents).toEqual([c.main, c.side]);
    expect(commits.at(-1)!.parents).toEqual([]);
    expect(commits[1].parents).toEqual([c.retype]);
    const empty = commits.find((commit) => commit.sha === c.empty)!;
    expect(empty).toMatchObject({ authorName: AUTHOR, authorEmail: "zoe+odd@example.com", changes: [] });
    expect(commits[1]).toMatchObject({ authorName: "Test Author", authorEmail: "author@example.com" });
    for (const commit of commits) {
      expect(commit.committedAt.getTime()).toBe(new Date(repo.git("log", "-1", "--format=%cI", commit.sha)).getTime());
    }
  });

  it("reports adds, renames, deletes and type changes with git's blob ids and exact paths", async () => {
    const bySha = new Map((await log("HEAD")).map((commit) => [commit.sha, commit.changes]));
    const added = (file: string): FileChange => ({
      status: "A",
      oldMode: "000000",
      newMode: "100644",
      oldBlob: NULL_BLOB,
      newBlob: blob(c.add, file),
      oldPath: file,
      path: file,
    });
    expect(sorted(bySha.get(c.add)!)).toEqual(sorted(["a.md", "b.md", "sp ace.md", ODD, QUOTED, "gone.md", "long.md", "kind"].map(added)));
    expect(bySha.get(c.rename)).toEqual([
      {
        status: "R",
        oldMode: "100644",
        newMode: "100644",
        oldBlob: blob(c.add, "sp ace.md"),
        newBlob: blob(c.rename, "moved ü.md"),
        oldPath: "sp ace.md",
        path: "moved ü.md",
      },
    ]);
    expect(blob(c.add, "sp ace.md")).toBe(blob(c.rename, "moved ü.md"));
    expect(bySha.get(c.delete)).toEqual([
      {
        status: "D",
        oldMode: "100644",
        newMode: "000000",
        oldBlob: blob(c.rename, "gone.md"),
        newBlob: NULL_BLOB,
        oldPath: "gone.md",
        path: "gone.md",
      },
    ]);
    expect(sorted(bySha.get(c.retype)!)).toEqual([
      { status: "T", oldMode: "100644", newMode: "120000", oldBlob: blob(c.empty, "kind"), newBlob: blob(c.retype, "kind"), oldPath: "kind", path: "kind" },
      {
        status: "R",
        oldMode: "100644",
        newMode: "100644",
        oldBlob: blob(c.empty, "long.md"),
        newBlob: blob(c.retype, "long2.md"),
        oldPath: "long.md",
        path: "long2.md",
      },
    ]);
    expect(blob(c.empty, "long.md")).not.toBe(blob(c.retype, "long2.md"));
  });

  it("diffs a merge against its first parent only", async () => {
    const [merge] = await log("HEAD");
    expect(merge.sha).toBe(c.merge);
    expect(sorted(merge.changes)).toEqual([
      { status: "M", oldMode: "100644", newMode: "100644", oldBlob: blob(c.main, "a.md"), newBlob: blob(c.merge, "a.md"), oldPath: "a.md", path: "a.md" },
      { status: "A", oldMode: "000000", newMode: "100644", oldBlob: NULL_BLOB, newBlob: blob(c.merge, "side.md"), oldPath: "side.md", path: "side.md" },
    ]);
  });

  it("agrees with LogParser fed git's own output in small chunks", async () => {
    const raw = execFileSync("git", [`--git-dir=${gitDir}`, "log", "-z", "--raw", "--no-abbrev", "--first-parent", "-M", `--format=${LOG_FORMAT}`, "HEAD"]);
    expect(raw.includes(Buffer.from(ODD))).toBe(true);
    const streamed = await log("HEAD");
    for (const size of [1, 2, 3, 7, 64, raw.length]) expect(parseBytes(raw, cutsEvery(raw.length, size))).toEqual(streamed);
  });

  it("limits the history to a range and the changes to pathspecs", async () => {
    expect((await log(`${c.rename}..HEAD`)).map((commit) => commit.sha)).toEqual([c.merge, c.main, c.retype, c.empty, c.delete]);
    const onlyA = await log("HEAD", ["a.md"]);
    expect(onlyA.map((commit) => commit.sha)).toEqual([c.merge, c.add]);
    expect(onlyA.flatMap((commit) => commit.changes.map((change) => change.path))).toEqual(["a.md", "a.md"]);
  });

  it("rejects an unknown range or git dir with git's message", async () => {
    await expect(log("no-such-ref")).rejects.toThrow(/git log failed: .*no-such-ref/);
    await expect(streamLog({ gitDir: path.join(repo.path, "missing"), range: "HEAD", pathspecs: [], onCommit: () => {} })).rejects.toThrow(/git log failed/);
  });

  it("rejects with the error onCommit throws and delivers nothing after it", async () => {
    const seen: string[] = [];
    const failure = new Error("stop here");
    await expect(
      streamLog({
        gitDir,
        range: "HEAD",
        pathspecs: [],
        onCommit: (commit) => {
          seen.push(commit.sha);
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
    expect(seen).toEqual([c.merge]);
  });
});
