// Reads git in one pass: one `git log --numstat` and one `git rev-list` from the baselines' common ancestor to the head, for every spec.
import pMap from "p-map";
import { git } from "@/lib/git/git";
import { plural } from "@/lib/text";
import type { EvidenceOf } from "../evidence";
import { compileAttribution, includePathspecs } from "../pathspec";
import { governedPaths } from "../references";
import { base, type FindingDraft, type LiveFile, type RepoContext } from "./context";

/** Most commits listed as evidence for a stale spec; the totals count them all. */
const MAX_EVIDENCE_COMMITS = 50;

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
  /** The commit's changed paths with their line counts (binary files count 0). */
  paths: { path: string; added: number; deleted: number }[];
}

/** `git log --numstat` over a range and pathspecs, newest first. */
async function changedCommits(gitDir: string, range: string[], pathspecs: string[]): Promise<ChangedCommit[]> {
  const out = await git([`--git-dir=${gitDir}`, "log", "--no-renames", "--numstat", "--format=%x1e%H%x1f%an%x1f%cI%x1f%s", ...range, "--", ...pathspecs], {
    timeoutMs: 60_000,
  });
  return out
    .split("\x1e")
    .filter((chunk) => chunk.trim())
    .map((chunk) => {
      const [header, ...stats] = chunk.split("\n");
      const [sha, author, date, subject] = header.split("\x1f");
      const paths: ChangedCommit["paths"] = [];
      for (const stat of stats) {
        const m = /^(\d+|-)\t(\d+|-)\t(.*)$/.exec(stat);
        if (m) paths.push({ path: unquote(m[3]), added: m[1] === "-" ? 0 : Number(m[1]), deleted: m[2] === "-" ? 0 : Number(m[2]) });
      }
      return { sha, author, date, subject, paths };
    });
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

/** One spec's share of the history: parallel columns, one row per commit that touched it (newest first), no object per row. */
interface SpecRows {
  commit: number[];
  added: number[];
  deleted: number[];
  files: number[];
}

/** What a spec's finding says about its rows: the totals, the newest commits as evidence, and the oldest commit's date. */
interface Summary {
  count: number;
  added: number;
  deleted: number;
  newest: CommitEvidence[];
  oldestDate: string | null;
}

/**
 * Every spec's rows from the commits that changed a path it governs, newest first, in one pass
 * over `commits`: each changed path is attributed to every spec whose pathspecs select it
 * (`attribute`, decided once per distinct path). A merge counts for a spec (with no lines of its
 * own) when it differs from every parent in that spec's paths, as `git log -- <pathspecs>` shows
 * it; `merges` holds its changes against each parent. Root-level specs see nearly every commit,
 * so rows are numbers in columns: hundreds of specs × thousands of commits allocate no objects.
 */
function rowsBySpec(
  commits: ChangedCommit[],
  specCount: number,
  attribute: (path: string) => number[],
  merges: { parents: Map<string, string[]>; changes: Map<string, string[][]> },
): SpecRows[] {
  const known = new Map<string, number[]>();
  const specsOf = (path: string) => {
    let specs = known.get(path);
    if (!specs) known.set(path, (specs = attribute(path)));
    return specs;
  };
  const rows: SpecRows[] = Array.from({ length: specCount }, () => ({ commit: [], added: [], deleted: [], files: [] }));
  // The commit each spec's last row belongs to: a commit's paths add to one row per spec.
  const lastCommit = new Int32Array(specCount).fill(-1);
  const add = (spec: number, commit: number, added: number, deleted: number, files: number) => {
    const r = rows[spec];
    if (lastCommit[spec] === commit) {
      const at = r.commit.length - 1;
      r.added[at] += added;
      r.deleted[at] += deleted;
      r.files[at] += files;
      return;
    }
    lastCommit[spec] = commit;
    r.commit.push(commit);
    r.added.push(added);
    r.deleted.push(deleted);
    r.files.push(files);
  };
  commits.forEach((c, index) => {
    const parents = merges.parents.get(c.sha) ?? [];
    if (parents.length > 1) {
      const againstEach = merges.changes.get(c.sha) ?? [];
      if (againstEach.length !== parents.length) return;
      // The specs some path of each parent's diff selects, intersected over the parents.
      let inAll: Set<number> | null = null;
      for (const paths of againstEach) {
        const here = new Set<number>();
        for (const path of paths) for (const spec of specsOf(path)) if (!inAll || inAll.has(spec)) here.add(spec);
        inAll = here;
      }
      for (const spec of inAll ?? []) add(spec, index, 0, 0, 0);
      return;
    }
    for (const p of c.paths) for (const spec of specsOf(p.path)) add(spec, index, p.added, p.deleted, 1);
  });
  return rows;
}

/** A spec's rows, less those `skip` leaves out, summed; only the newest MAX_EVIDENCE_COMMITS become evidence objects. */
function summarize(commits: ChangedCommit[], rows: SpecRows, skip: (commit: ChangedCommit) => boolean): Summary {
  const summary: Summary = { count: 0, added: 0, deleted: 0, newest: [], oldestDate: null };
  for (let i = 0; i < rows.commit.length; i++) {
    const c = commits[rows.commit[i]];
    if (skip(c)) continue;
    summary.count++;
    summary.added += rows.added[i];
    summary.deleted += rows.deleted[i];
    summary.oldestDate = c.date;
    if (summary.newest.length < MAX_EVIDENCE_COMMITS) {
      summary.newest.push({
        sha: c.sha,
        author: c.author,
        date: c.date,
        subject: c.subject,
        added: rows.added[i],
        deleted: rows.deleted[i],
        files: rows.files[i],
      });
    }
  }
  return summary;
}

/** Every commit's own rows, for a log already limited to one spec's paths (a merge, with no lines listed, is no row). */
function ownRows(commits: ChangedCommit[]): SpecRows {
  const rows: SpecRows = { commit: [], added: [], deleted: [], files: [] };
  commits.forEach((c, index) => {
    if (c.paths.length === 0) return;
    rows.commit.push(index);
    rows.added.push(c.paths.reduce((n, p) => n + p.added, 0));
    rows.deleted.push(c.paths.reduce((n, p) => n + p.deleted, 0));
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

/** stale: the code a spec governs changed after the spec's baseline commit. */
export async function checkStale(ctx: RepoContext): Promise<FindingDraft[]> {
  const byFeature = new Map<string, LiveFile[]>();
  for (const f of ctx.files) if (f.featureId) byFeature.set(f.featureId, [...(byFeature.get(f.featureId) ?? []), f]);
  const candidates = ctx.files.flatMap((spec) => {
    if (spec.kind !== "spec" || spec.isSymlink) return [];
    const governed = governedPaths({
      specPath: spec.path,
      text: spec.text,
      featureKey: spec.featureKey,
      siblings: (spec.featureId ? (byFeature.get(spec.featureId) ?? []) : [])
        .filter((s) => s.id !== spec.id)
        .map((s) => ({ path: s.path, kind: s.kind, text: s.text })),
    });
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
  const [graph, history, changes] = await Promise.all([
    existing.size > 0 ? commitGraph(ctx.gitDir, range) : Promise.resolve(new Map<string, string[]>()),
    existing.size > 0 ? changedCommits(ctx.gitDir, range, includes.length > 0 ? includes : [":(glob)**"]) : Promise.resolve([]),
    existing.size > 0 ? mergeChanges(ctx.gitDir, range) : Promise.resolve(new Map<string, string[][]>()),
  ]);
  const merges = { parents: graph, changes };
  const order = new Map([...graph.keys()].map((sha, i) => [sha, i]));
  const bySpec = rowsBySpec(history, candidates.length, compileAttribution(candidates.map((c) => c.governed.pathspecs)), merges);
  const reached = new Map<string, Uint8Array>();

  const found = await pMap(
    candidates,
    async ({ spec, governed, baseline, baselineSource }, index): Promise<FindingDraft | null> => {
      // A baseline the history no longer has (a force push) cannot be compared against.
      if (!existing.has(baseline)) return null;
      let summary: Summary;
      if (graph.has(baseline) || baseline === common) {
        if (!reached.has(baseline)) reached.set(baseline, reachedFrom(graph, order, baseline));
        const before = reached.get(baseline)!;
        summary = summarize(history, bySpec[index], (c) => before[order.get(c.sha) ?? -1] === 1);
      } else {
        // A baseline off the head's history (left behind by a force push, still stored): its own log.
        const own = await changedCommits(ctx.gitDir, [`${baseline}..${ctx.head}`], governed.pathspecs);
        summary = summarize(own, ownRows(own), () => false);
      }
      if (summary.count === 0) return null;
      const { count, added, deleted } = summary;
      return {
        ...base(ctx, spec),
        fingerprint: `stale:${spec.id}:${baseline}`,
        type: "stale",
        rule: "stale",
        severity: "warning",
        line: null,
        message: `Code governed by ${spec.path} changed in ${plural(count, "commit")} (+${added} −${deleted} lines) since the spec's ${baselineSource}.`,
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
          commits: summary.newest,
        },
        introducedAt: new Date(summary.oldestDate!),
      };
    },
    { concurrency: 4 },
  );
  return found.filter((draft): draft is FindingDraft => draft !== null);
}
