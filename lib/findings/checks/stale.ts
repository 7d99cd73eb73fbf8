// Reads git in one pass for every spec: one `git log --name-only` and one `git rev-list` from the
// baselines' common ancestor to the head. Lines are counted (`--numstat`, which diffs contents)
// only for the commits a finding lists, so the cost follows what is shown, not the history.
import pMap from "p-map";
import { git, gitWithStdin } from "@/lib/git/git";
import { plural } from "@/lib/text";
import type { EvidenceOf } from "../evidence";
import { compileAttribution, includePathspecs } from "../pathspec";
import { declaredGovernance, governedPaths } from "../references";
import { base, type FindingDraft, type LiveFile, type RepoContext } from "./context";

/**
 * Most commits listed as evidence for a stale spec; the count counts them all. Evidence is stored
 * per finding: at 50, the monorepo's 260 root-level specs stored 2 MB of mostly the same commits,
 * and writing it was a third of the findings step (decision 042, stop 22).
 */
export const MAX_EVIDENCE_COMMITS = 20;

interface CommitEvidence {
  sha: string;
  author: string;
  date: string;
  subject: string;
  added: number;
  deleted: number;
  files: number;
}

interface ChangedCommit {
  sha: string;
  author: string;
  date: string;
  subject: string;
  /** The commit's changed paths (none listed for a merge). */
  paths: string[];
}

/** `git log --name-only` over a range and pathspecs, newest first: tree comparisons, no contents read. */
async function changedCommits(gitDir: string, range: string[], pathspecs: string[]): Promise<ChangedCommit[]> {
  const out = await git([`--git-dir=${gitDir}`, "log", "--no-renames", "--name-only", "--format=%x1e%H%x1f%an%x1f%cI%x1f%s", ...range, "--", ...pathspecs], {
    timeoutMs: 60_000,
  });
  return out
    .split("\x1e")
    .filter((chunk) => chunk.trim())
    .map((chunk) => {
      const [header, ...paths] = chunk.split("\n");
      const [sha, author, date, subject] = header.split("\x1f");
      return { sha, author, date, subject, paths: paths.filter(Boolean).map(unquote) };
    });
}

interface LineCount {
  path: string;
  added: number;
  deleted: number;
}

/** Lines each of `shas` added and deleted per path under `pathspecs` (`git log --no-walk --numstat`; binary files count 0, a merge lists none). */
async function lineCounts(gitDir: string, shas: string[], pathspecs: string[]): Promise<Map<string, LineCount[]>> {
  const counts = new Map<string, LineCount[]>();
  if (shas.length === 0) return counts;
  const out = await gitWithStdin(
    [`--git-dir=${gitDir}`, "log", "--no-walk=unsorted", "--stdin", "--no-renames", "--numstat", "--format=%x1e%H", "--", ...pathspecs],
    `${shas.join("\n")}\n`,
    {
      timeoutMs: 60_000,
    },
  );
  for (const chunk of out.split("\x1e")) {
    const [sha, ...stats] = chunk.split("\n");
    if (!sha.trim()) continue;
    const lines: LineCount[] = [];
    for (const stat of stats) {
      const m = /^(\d+|-)\t(\d+|-)\t(.*)$/.exec(stat);
      if (m) lines.push({ path: unquote(m[3]), added: m[1] === "-" ? 0 : Number(m[1]), deleted: m[2] === "-" ? 0 : Number(m[2]) });
    }
    counts.set(sha, lines);
  }
  return counts;
}

/** git quotes paths with unusual characters ("a\tb"); such a path is read back as git wrote it. */
function unquote(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  try {
    return JSON.parse(path) as string;
  } catch {
    return path;
  }
}

/**
 * The paths each merge of `range` changed against each of its parents, in parent order (names
 * only: tree comparisons, no contents read). A parent it does not differ from has no entry.
 */
async function mergeChanges(gitDir: string, range: string[]): Promise<Map<string, string[][]>> {
  const out = await git([`--git-dir=${gitDir}`, "log", "--merges", "-m", "--no-renames", "--name-only", "--format=%x1e%H", ...range], { timeoutMs: 60_000 });
  const merges = new Map<string, string[][]>();
  for (const chunk of out.split("\x1e")) {
    const [sha, ...paths] = chunk.split("\n");
    if (!sha.trim()) continue;
    merges.set(sha, [...(merges.get(sha) ?? []), paths.filter(Boolean).map(unquote)]);
  }
  return merges;
}

/** One group's share of the history: parallel columns, one row per commit that touched its paths (newest first), no object per row. */
interface GroupRows {
  commit: number[];
  files: number[];
}

/** What a spec's finding says about its rows: how many, the newest (the evidence, their lines counted later), and the oldest commit's date. */
interface Summary {
  count: number;
  newest: { commit: ChangedCommit; files: number }[];
  oldestDate: string | null;
}

/**
 * Each group's rows (a group: the specs with the same pathspecs) from the commits that changed a
 * path it governs, newest first, in one pass over `commits`: each changed path is attributed to
 * every group whose pathspecs select it (`attribute`). A merge counts for a group (with no files
 * of its own) when it differs from every parent in that group's paths, as `git log --
 * <pathspecs>` shows it; `merges` holds its changes against each parent. Root-level specs see
 * nearly every commit, so rows are numbers in columns: groups × thousands of commits allocate no
 * objects.
 */
function rowsByGroup(
  commits: ChangedCommit[],
  groupCount: number,
  attribute: (path: string) => number[],
  merges: { parents: Map<string, string[]>; changes: Map<string, string[][]> },
): GroupRows[] {
  const rows: GroupRows[] = Array.from({ length: groupCount }, () => ({ commit: [], files: [] }));
  // The commit each group's last row belongs to: a commit's paths add to one row per group.
  const lastCommit = new Int32Array(groupCount).fill(-1);
  const add = (group: number, commit: number, files: number) => {
    const r = rows[group];
    if (lastCommit[group] === commit) {
      r.files[r.files.length - 1] += files;
      return;
    }
    lastCommit[group] = commit;
    r.commit.push(commit);
    r.files.push(files);
  };
  commits.forEach((c, index) => {
    const parents = merges.parents.get(c.sha) ?? [];
    if (parents.length > 1) {
      const againstEach = merges.changes.get(c.sha) ?? [];
      if (againstEach.length !== parents.length) return;
      // The groups some path of each parent's diff selects, intersected over the parents.
      let inAll: Set<number> | null = null;
      for (const paths of againstEach) {
        const here = new Set<number>();
        for (const path of paths) for (const group of attribute(path)) if (!inAll || inAll.has(group)) here.add(group);
        inAll = here;
      }
      for (const group of inAll ?? []) add(group, index, 0);
      return;
    }
    for (const path of c.paths) for (const group of attribute(path)) add(group, index, 1);
  });
  return rows;
}

/** The summary of `rows`, less those `skip` leaves out. */
function summarize(commits: ChangedCommit[], rows: GroupRows, skip: (commit: ChangedCommit) => boolean): Summary {
  const summary: Summary = { count: 0, newest: [], oldestDate: null };
  for (let i = 0; i < rows.commit.length; i++) {
    const c = commits[rows.commit[i]];
    if (skip(c)) continue;
    summary.count++;
    summary.oldestDate = c.date;
    if (summary.newest.length < MAX_EVIDENCE_COMMITS) summary.newest.push({ commit: c, files: rows.files[i] });
  }
  return summary;
}

/** The summary of the first `count` rows: what `summarize` gives when exactly those are kept. */
function summarizePrefix(commits: ChangedCommit[], rows: GroupRows, count: number): Summary {
  const newest = rows.commit.slice(0, Math.min(count, MAX_EVIDENCE_COMMITS)).map((commit, i) => ({ commit: commits[commit], files: rows.files[i] }));
  return { count, newest, oldestDate: count > 0 ? commits[rows.commit[count - 1]].date : null };
}

/** How many leading rows `isBefore` holds for, when it holds for a prefix (binary search). */
function countBefore(rows: GroupRows, isBefore: (row: number) => boolean): number {
  let lo = 0;
  let hi = rows.commit.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isBefore(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every commit's own row, for a log already limited to one spec's paths (a merge, with no paths listed, is no row). */
function ownRows(commits: ChangedCommit[]): GroupRows {
  const rows: GroupRows = { commit: [], files: [] };
  commits.forEach((c, index) => {
    if (c.paths.length === 0) return;
    rows.commit.push(index);
    rows.files.push(c.paths.length);
  });
  return rows;
}

/** Commits of `range` with their parents, newest first: only the commit graph, no trees or diffs. */
async function commitGraph(gitDir: string, range: string[]): Promise<Map<string, string[]>> {
  const out = await git([`--git-dir=${gitDir}`, "rev-list", "--parents", ...range], { timeoutMs: 60_000 });
  const graph = new Map<string, string[]>();
  for (const line of out.split("\n")) {
    const [sha, ...parents] = line.split(" ");
    if (sha) graph.set(sha, parents);
  }
  return graph;
}

/**
 * The commits of `graph` that `from` reaches (itself included): those a range `from..head` leaves
 * out. Marked by each commit's position in `order` (one byte per commit, however many baselines).
 */
function reachedFrom(graph: Map<string, string[]>, order: Map<string, number>, from: string): Uint8Array {
  const seen = new Uint8Array(order.size);
  const stack = graph.has(from) ? [from] : [];
  while (stack.length > 0) {
    const sha = stack.pop()!;
    const at = order.get(sha)!;
    if (seen[at]) continue;
    seen[at] = 1;
    for (const parent of graph.get(sha) ?? []) if (order.has(parent) && !seen[order.get(parent)!]) stack.push(parent);
  }
  return seen;
}

/** The baselines among `shas` that name a commit this repository has. */
async function existingCommits(gitDir: string, shas: string[]): Promise<Set<string>> {
  const out = await git([`--git-dir=${gitDir}`, "rev-list", "--no-walk", "--ignore-missing", ...shas], { timeoutMs: 60_000 }).catch(() => "");
  return new Set(out.split("\n").filter(Boolean));
}

/** A function that asks `attribute` once per distinct path and remembers the answer. */
function remembered(attribute: (path: string) => number[]): (path: string) => number[] {
  const known = new Map<string, number[]>();
  return (path) => {
    let groups = known.get(path);
    if (!groups) known.set(path, (groups = attribute(path)));
    return groups;
  };
}

/**
 * stale: the code a spec governs changed after the spec's baseline commit. Governance is what the
 * spec's authors declared (`governs:`, files named by tasks and plan); the inferred rest only when
 * the workspace turns it on (decision 048).
 */
export async function checkStale(ctx: RepoContext, options: { inferredGovernance: boolean }): Promise<FindingDraft[]> {
  const byFeature = new Map<string, LiveFile[]>();
  for (const f of ctx.files) if (f.featureId) byFeature.set(f.featureId, [...(byFeature.get(f.featureId) ?? []), f]);
  const candidates = ctx.files.flatMap((spec) => {
    if (spec.kind !== "spec" || spec.isSymlink) return [];
    const inferred = governedPaths({
      specPath: spec.path,
      text: spec.text,
      featureKey: spec.featureKey,
      siblings: (spec.featureId ? (byFeature.get(spec.featureId) ?? []) : [])
        .filter((s) => s.id !== spec.id)
        .map((s) => ({ path: s.path, kind: s.kind, text: s.text })),
    });
    const governed = inferred && (options.inferredGovernance ? inferred : declaredGovernance(inferred));
    const baseline = spec.acceptedCommit ?? spec.approvedCommit ?? spec.currentCommit;
    if (!governed || baseline === ctx.head) return [];
    const baselineSource: EvidenceOf<"stale">["baselineSource"] = spec.acceptedCommit
      ? "accepted drift"
      : spec.approvedCommit
        ? "last approved version"
        : "last version";
    return [{ spec, governed, baseline, baselineSource }];
  });
  if (candidates.length === 0) return [];

  // One pass: the history from the baselines' common ancestor to the head is read once, limited
  // to every path any spec governs, and each changed path is attributed to every spec whose
  // pathspecs select it. A spec's own range (baseline..head) is the commits its baseline does
  // not reach, found in the commit graph of the same range (issue 17 §1: not one log per spec).
  const baselines = [...new Set(candidates.map((c) => c.baseline))];
  const existing = await existingCommits(ctx.gitDir, baselines);
  const common = await git([`--git-dir=${ctx.gitDir}`, "merge-base", "--octopus", ...existing], { timeoutMs: 60_000 }).catch(() => "");
  const range = [ctx.head, ...(common ? [`^${common}`] : [])];
  const includes = [...new Set(candidates.flatMap((c) => includePathspecs(c.governed.pathspecs)))];
  // A root-level spec governs every path: then the log needs no pathspec, which git would match
  // against every changed path of every commit (a tenth of the log's time on the monorepo).
  const pathspecs = includes.length === 0 || includes.includes(":(glob)**") ? [] : includes;
  const [graph, history, changes] = await Promise.all([
    existing.size > 0 ? commitGraph(ctx.gitDir, range) : Promise.resolve(new Map<string, string[]>()),
    existing.size > 0 ? changedCommits(ctx.gitDir, range, pathspecs) : Promise.resolve([]),
    existing.size > 0 ? mergeChanges(ctx.gitDir, range) : Promise.resolve(new Map<string, string[][]>()),
  ]);
  const order = new Map([...graph.keys()].map((sha, i) => [sha, i]));
  // Specs that govern the same paths share one set of rows: every root-level spec of a monorepo
  // governs the whole tree, and hundreds of them would otherwise each walk every commit.
  const groupIds = new Map<string, number>();
  const groups: string[][] = [];
  const groupOf = candidates.map(({ governed }) => {
    const key = JSON.stringify(governed.pathspecs);
    let id = groupIds.get(key);
    if (id === undefined) groupIds.set(key, (id = groups.push(governed.pathspecs) - 1));
    return id;
  });
  const attribute = remembered(compileAttribution(groups));
  const byGroup = rowsByGroup(history, groups.length, attribute, { parents: graph, changes });
  // Without merges the range is one chain, and what a baseline reaches is everything after it:
  // a spec's rows are a prefix of its group's.
  const linear = [...graph.values()].every((parents) => parents.length <= 1);
  const reached = new Map<string, Uint8Array>();
  const summaries = new Map<string, Summary>();
  const summaryOf = (group: number, baseline: string): Summary => {
    const key = `${group}:${baseline}`;
    const known = summaries.get(key);
    if (known) return known;
    const rows = byGroup[group];
    let summary: Summary;
    if (linear) {
      // `common` is outside the range: nothing in it is reached from there.
      const at = order.get(baseline) ?? order.size;
      summary = summarizePrefix(
        history,
        rows,
        countBefore(rows, (row) => order.get(history[rows.commit[row]].sha)! < at),
      );
    } else {
      if (!reached.has(baseline)) reached.set(baseline, reachedFrom(graph, order, baseline));
      const before = reached.get(baseline)!;
      summary = summarize(history, rows, (c) => before[order.get(c.sha) ?? -1] === 1);
    }
    summaries.set(key, summary);
    return summary;
  };

  const summarized = await pMap(
    candidates,
    async ({ governed, baseline }, index): Promise<Summary | null> => {
      // A baseline the history no longer has (a force push) cannot be compared against.
      if (!existing.has(baseline)) return null;
      if (graph.has(baseline) || baseline === common) return summaryOf(groupOf[index], baseline);
      // A baseline off the head's history (left behind by a force push, still stored): its own log.
      const own = await changedCommits(ctx.gitDir, [`${baseline}..${ctx.head}`], governed.pathspecs);
      return summarize(own, ownRows(own), () => false);
    },
    { concurrency: 4 },
  );

  // Lines only for the commits the findings list (issue 17 §1: `--numstat` diffs every file's
  // contents, and over a whole history it cost more than everything else the check does).
  const listed = new Set(summarized.flatMap((s) => (s && s.count > 0 ? s.newest.map((n) => n.commit.sha) : [])));
  const lines = await lineCounts(ctx.gitDir, [...listed], pathspecs);

  return candidates.flatMap(({ spec, governed, baseline, baselineSource }, index): FindingDraft[] => {
    const summary = summarized[index];
    if (!summary || summary.count === 0) return [];
    const commits: CommitEvidence[] = summary.newest.map(({ commit, files }) => {
      let added = 0;
      let deleted = 0;
      for (const line of lines.get(commit.sha) ?? []) {
        if (!attribute(line.path).includes(groupOf[index])) continue;
        added += line.added;
        deleted += line.deleted;
      }
      return { sha: commit.sha, author: commit.author, date: commit.date, subject: commit.subject, added, deleted, files };
    });
    const added = commits.reduce((n, c) => n + c.added, 0);
    const deleted = commits.reduce((n, c) => n + c.deleted, 0);
    const { count } = summary;
    const changed = `Code governed by ${spec.path} changed in ${plural(count, "commit")}`;
    return [
      {
        ...base(ctx, spec),
        fingerprint: `stale:${spec.id}:${baseline}`,
        type: "stale",
        rule: "stale",
        // Files a feature's tasks and plan name were right 10 of 15 times on public Spec Kit and Kiro
        // repositories (decision 048): below 0.9, so a note; `governs:` globs are the authors' own contract.
        severity: governed.source === "front matter" ? "warning" : "info",
        line: null,
        message:
          count === commits.length
            ? `${changed} (+${added} −${deleted} lines) since the spec's ${baselineSource}.`
            : `${changed} since the spec's ${baselineSource} (the newest ${commits.length}: +${added} −${deleted} lines).`,
        suggestion: "Update the spec to describe the code as it is now, or accept the drift if the spec still holds.",
        evidence: {
          path: spec.path,
          baseline,
          baselineSource,
          head: ctx.head,
          governedBy: governed.source,
          governs: governed.describe,
          commitCount: count,
          added,
          deleted,
          commits,
        },
        introducedAt: new Date(summary.oldestDate!),
      },
    ];
  });
}
