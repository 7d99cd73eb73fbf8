// Reads git in one pass: one `git log --numstat` and one `git rev-list` from the baselines' common ancestor to the head, for every spec.
import pMap from "p-map";
import { git } from "@/lib/git/git";
import { plural } from "@/lib/text";
import type { EvidenceOf } from "../evidence";
import { compilePathspecs, includePathspecs } from "../pathspec";
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

/**
 * A spec's evidence from the commits that changed a path it governs, newest first. A merge
 * counts (with no lines of its own) when it differs from every parent in those paths, as
 * `git log -- <pathspecs>` shows it; `merges` holds its changes against each parent.
 */
function evidenceOf(
  commits: ChangedCommit[],
  matches: (path: string) => boolean,
  merges?: { parents: Map<string, string[]>; changes: Map<string, string[][]> },
): CommitEvidence[] {
  const found: CommitEvidence[] = [];
  for (const c of commits) {
    const parents = merges?.parents.get(c.sha) ?? [];
    if (merges && parents.length > 1) {
      const againstEach = merges.changes.get(c.sha) ?? [];
      if (againstEach.length === parents.length && againstEach.every((paths) => paths.some(matches))) {
        found.push({ sha: c.sha, author: c.author, date: c.date, subject: c.subject, added: 0, deleted: 0, files: 0 });
      }
      continue;
    }
    let added = 0;
    let deleted = 0;
    let files = 0;
    for (const p of c.paths) {
      if (!matches(p.path)) continue;
      files++;
      added += p.added;
      deleted += p.deleted;
    }
    if (files > 0) found.push({ sha: c.sha, author: c.author, date: c.date, subject: c.subject, added, deleted, files });
  }
  return found;
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

/** The commits of `graph` that `from` reaches (itself included): those a range `from..head` leaves out. */
function reachedFrom(graph: Map<string, string[]>, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = graph.has(from) ? [from] : [];
  while (stack.length > 0) {
    const sha = stack.pop()!;
    if (seen.has(sha)) continue;
    seen.add(sha);
    for (const parent of graph.get(sha) ?? []) if (graph.has(parent) && !seen.has(parent)) stack.push(parent);
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
  const reached = new Map<string, Set<string>>();

  const found = await pMap(
    candidates,
    async ({ spec, governed, baseline, baselineSource }): Promise<FindingDraft | null> => {
      // A baseline the history no longer has (a force push) cannot be compared against.
      if (!existing.has(baseline)) return null;
      let commits: CommitEvidence[];
      if (graph.has(baseline) || baseline === common) {
        if (!reached.has(baseline)) reached.set(baseline, reachedFrom(graph, baseline));
        const before = reached.get(baseline)!;
        commits = evidenceOf(
          history.filter((c) => !before.has(c.sha)),
          compilePathspecs(governed.pathspecs),
          merges,
        );
      } else {
        // A baseline off the head's history (left behind by a force push, still stored): its own log.
        commits = evidenceOf(await changedCommits(ctx.gitDir, [`${baseline}..${ctx.head}`], governed.pathspecs), () => true);
      }
      if (commits.length === 0) return null;
      const added = commits.reduce((n, c) => n + c.added, 0);
      const deleted = commits.reduce((n, c) => n + c.deleted, 0);
      return {
        ...base(ctx, spec),
        fingerprint: `stale:${spec.id}:${baseline}`,
        type: "stale",
        rule: "stale",
        severity: "warning",
        line: null,
        message: `Code governed by ${spec.path} changed in ${plural(commits.length, "commit")} (+${added} −${deleted} lines) since the spec's ${baselineSource}.`,
        suggestion: "Update the spec to describe the code as it is now, or accept the drift if the spec still holds.",
        evidence: {
          path: spec.path,
          baseline,
          baselineSource,
          head: ctx.head,
          governedBy: governed.source,
          governs: governed.describe,
          commitCount: commits.length,
          added,
          deleted,
          commits: commits.slice(0, MAX_EVIDENCE_COMMITS),
        },
        introducedAt: new Date(commits[commits.length - 1].date),
      };
    },
    { concurrency: 4 },
  );
  return found.filter((draft): draft is FindingDraft => draft !== null);
}
