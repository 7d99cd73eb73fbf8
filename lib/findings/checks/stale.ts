// Reads git: one `git log --numstat` per spec, between its baseline and the head commit.
import pMap from "p-map";
import { git } from "@/lib/git/git";
import { plural } from "@/lib/text";
import type { EvidenceOf } from "../evidence";
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

/** `git log --numstat` over a range and pathspecs, newest first. */
async function commitsTouching(gitDir: string, range: string, pathspecs: string[]): Promise<CommitEvidence[]> {
  const out = await git([`--git-dir=${gitDir}`, "log", "--no-renames", "--numstat", "--format=%x1e%H%x1f%an%x1f%cI%x1f%s", range, "--", ...pathspecs], {
    timeoutMs: 60_000,
  });
  return out
    .split("\x1e")
    .filter((chunk) => chunk.trim())
    .map((chunk) => {
      const [header, ...stats] = chunk.split("\n");
      const [sha, author, date, subject] = header.split("\x1f");
      let added = 0;
      let deleted = 0;
      let files = 0;
      for (const stat of stats) {
        const m = /^(\d+|-)\t(\d+|-)\t/.exec(stat);
        if (!m) continue;
        files++;
        added += m[1] === "-" ? 0 : Number(m[1]);
        deleted += m[2] === "-" ? 0 : Number(m[2]);
      }
      return { sha, author, date, subject, added, deleted, files };
    });
}

async function commitExists(gitDir: string, sha: string): Promise<boolean> {
  return git([`--git-dir=${gitDir}`, "cat-file", "-e", `${sha}^{commit}`], { timeoutMs: 10_000 }).then(
    () => true,
    () => false,
  );
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
  // One `git log` per spec, a few at a time: each is mostly process start-up and tree walks.
  const found = await pMap(
    candidates,
    async ({ spec, governed, baseline, baselineSource }): Promise<FindingDraft | null> => {
      let commits: CommitEvidence[];
      try {
        commits = await commitsTouching(ctx.gitDir, `${baseline}..${ctx.head}`, governed.pathspecs);
      } catch (error) {
        // A baseline the history no longer has (a force push) cannot be compared against.
        if (!(await commitExists(ctx.gitDir, baseline))) return null;
        throw error;
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
