// The checks behind findings: drift (unreviewed, stale, broken references, deployed stale,
// competing instructions), lint and duplicates. Each returns drafts; lib/findings/store.ts
// reconciles them with what is stored. Reads the database and git, writes nothing.
import { createHash } from "node:crypto";
import path from "node:path/posix";
import pMap from "p-map";
import { db } from "@/lib/db";
import { git } from "@/lib/git/git";
import { gitDirFor } from "@/lib/git/mirror";
import type { SpecKind } from "@/lib/specs/kinds";
import { plural } from "@/lib/text";
import { compareInstructionFiles } from "./competing";
import { findDuplicateClusters } from "./duplicates";
import { lintFile } from "./lint";
import { extractPathReferences, governedPaths, referenceExists, type PathReference } from "./references";
import type { FindingsConfig } from "./settings";
import { REPOSITORY_TYPES, WORKSPACE_TYPES, type FindingSeverity, type FindingType } from "./types";

export { REPOSITORY_TYPES, WORKSPACE_TYPES, type FindingSeverity, type FindingType };

export interface FindingDraft {
  fingerprint: string;
  type: FindingType;
  rule: string;
  severity: FindingSeverity;
  repositoryId: string | null;
  specId: string | null;
  line: number | null;
  message: string;
  suggestion: string;
  evidence: Record<string, unknown>;
  introducedAt: Date | null;
  /** Set for findings whose cause someone already dismissed elsewhere (a dismissed duplicate cluster). */
  dismissed?: boolean;
}

const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** Most commits listed as evidence for a stale spec; the totals count them all. */
const MAX_EVIDENCE_COMMITS = 50;

interface LiveFile {
  id: string;
  path: string;
  kind: SpecKind;
  featureId: string | null;
  featureKey: string | null;
  currentHash: string;
  text: string;
  isSymlink: boolean;
  currentSeq: number;
  currentVersionId: string;
  currentCommit: string;
  committedAt: Date;
  approvedSeq: number | null;
  approvedVersionId: string | null;
  approvedHash: string | null;
  approvedCommit: string | null;
  acceptedCommit: string | null;
}

async function liveFiles(repositoryId: string): Promise<LiveFile[]> {
  return db.$queryRaw<LiveFile[]>`
    SELECT s.id, s.path, s.kind, s."featureId", f.key AS "featureKey", s."currentHash", c.text,
           cur."isSymlink", cur.seq AS "currentSeq", cur.id AS "currentVersionId", cur."commitSha" AS "currentCommit", cur."committedAt",
           ap.seq AS "approvedSeq", ap.id AS "approvedVersionId", ap."contentHash" AS "approvedHash", ap."commitSha" AS "approvedCommit",
           b."commitSha" AS "acceptedCommit"
    FROM "Spec" s
    JOIN "Content" c ON c.hash = s."currentHash"
    LEFT JOIN "Feature" f ON f.id = s."featureId"
    JOIN LATERAL (SELECT v.* FROM "SpecVersion" v WHERE v."specId" = s.id ORDER BY v.seq DESC LIMIT 1) cur ON true
    LEFT JOIN LATERAL (
      SELECT v.seq, v.id, v."contentHash", v."commitSha" FROM "SpecVersion" v
      JOIN "Change" ch ON ch."versionId" = v.id AND ch.state = 'approved'
      WHERE v."specId" = s.id ORDER BY v.seq DESC LIMIT 1
    ) ap ON true
    LEFT JOIN "DriftBaseline" b ON b."specId" = s.id
    WHERE s."repositoryId" = ${repositoryId} AND NOT s.deleted
    ORDER BY s.path`;
}

/** Every per-repository finding for the repository's current head. */
export async function checkRepository(repositoryId: string, config: FindingsConfig): Promise<FindingDraft[]> {
  const repo = await db.repository.findUnique({ where: { id: repositoryId }, select: { id: true, source: true, credential: true, headCommit: true } });
  if (!repo?.headCommit) return []; // never imported
  // Any node may check any repository: a missing mirror is cloned again (decision 021).
  const gitDir = await gitDirFor(repo);
  const files = await liveFiles(repositoryId);
  const ctx: RepoContext = { repositoryId, gitDir, head: repo.headCommit, files };
  const drafts: FindingDraft[] = [];
  if (config.types.unreviewed) drafts.push(...checkUnreviewed(ctx));
  if (config.types.stale) drafts.push(...(await checkStale(ctx)));
  if (config.types["broken-reference"]) drafts.push(...(await checkReferences(ctx)));
  if (config.types["competing-instructions"]) drafts.push(...checkCompeting(ctx));
  if (config.types.lint) drafts.push(...checkLint(ctx, config));
  return drafts;
}

interface RepoContext {
  repositoryId: string;
  gitDir: string;
  head: string;
  files: LiveFile[];
}

function base(ctx: RepoContext, file: LiveFile) {
  return { repositoryId: ctx.repositoryId, specId: file.id };
}

/** unreviewed: the file as it is now differs from its latest approved version. */
function checkUnreviewed(ctx: RepoContext): FindingDraft[] {
  return ctx.files
    .filter((f) => f.approvedHash && f.approvedHash !== f.currentHash)
    .map((f) => ({
      ...base(ctx, f),
      fingerprint: `unreviewed:${f.id}:${f.approvedVersionId}`,
      type: "unreviewed",
      rule: "unreviewed",
      severity: "warning",
      line: null,
      message: `${f.path} has changed since its approved version ${f.approvedSeq}: version ${f.currentSeq} is not approved.`,
      suggestion: "Review the change from the approved version, or propose reverting it.",
      evidence: {
        path: f.path,
        approvedSeq: f.approvedSeq,
        approvedVersionId: f.approvedVersionId,
        currentSeq: f.currentSeq,
        currentVersionId: f.currentVersionId,
        diffHref: `/specs/${f.id}?from=${f.approvedSeq}&to=${f.currentSeq}`,
      },
      introducedAt: f.committedAt,
    }));
}

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
async function checkStale(ctx: RepoContext): Promise<FindingDraft[]> {
  const byFeature = new Map<string, LiveFile[]>();
  for (const f of ctx.files) if (f.featureId) byFeature.set(f.featureId, [...(byFeature.get(f.featureId) ?? []), f]);
  const candidates = ctx.files.flatMap((spec) => {
    if (spec.kind !== "spec" || spec.isSymlink) return [];
    const governed = governedPaths({
      specPath: spec.path,
      text: spec.text,
      featureKey: spec.featureKey,
      siblings: (spec.featureId ? byFeature.get(spec.featureId) ?? [] : []).filter((s) => s.id !== spec.id).map((s) => ({ path: s.path, kind: s.kind, text: s.text })),
    });
    const baseline = spec.acceptedCommit ?? spec.approvedCommit ?? spec.currentCommit;
    if (!governed || baseline === ctx.head) return [];
    const baselineSource = spec.acceptedCommit ? "accepted drift" : spec.approvedCommit ? "last approved version" : "last version";
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

/** Every path (files and folders) at the head commit. */
async function headTree(gitDir: string, head: string): Promise<Set<string>> {
  const out = await git([`--git-dir=${gitDir}`, "ls-tree", "-r", "-t", "--full-tree", "--name-only", "-z", head], { timeoutMs: 60_000 });
  return new Set(out.split("\0").filter(Boolean));
}

const TEXT_FILE = /\.(?:md|mdc|markdown|txt)$|(?:^|\/)\.(?:cursorrules|windsurfrules)$/;

/** broken references: a spec or agent file names a path that is not in the head commit. */
async function checkReferences(ctx: RepoContext): Promise<FindingDraft[]> {
  const candidates = ctx.files.filter((f) => !f.isSymlink && TEXT_FILE.test(f.path));
  if (candidates.length === 0) return [];
  const tree = await headTree(ctx.gitDir, ctx.head);
  // "copied from payments-service `specs/x.md`": a line naming another imported repository
  // refers to that repository's tree.
  const others = await db.repository.findMany({
    where: { id: { not: ctx.repositoryId }, headCommit: { not: null } },
    select: { id: true, name: true, source: true, credential: true, headCommit: true },
  });
  const otherTrees = new Map<string, Promise<Set<string>>>();
  const treeOf = (repo: (typeof others)[number]) => {
    if (!otherTrees.has(repo.name)) otherTrees.set(repo.name, gitDirFor(repo).then((gitDir) => headTree(gitDir, repo.headCommit!)).catch(() => new Set<string>()));
    return otherTrees.get(repo.name)!;
  };
  const existsElsewhere = async (ref: PathReference, lineText: string) => {
    for (const repo of others) {
      if (new RegExp(`(?:^|[^\\w-])${repo.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:$|[^\\w-])`).test(lineText) && referenceExists(ref, await treeOf(repo), ref.path)) return true;
    }
    return false;
  };
  const drafts: FindingDraft[] = [];
  for (const file of candidates) {
    const reported = new Set<string>();
    const lines = file.text.split(/\r?\n/);
    for (const ref of extractPathReferences(file.text, { filePath: file.path })) {
      if (reported.has(ref.path) || referenceExists(ref, tree, file.path)) continue;
      if (await existsElsewhere(ref, lines[ref.line - 1] ?? "")) continue;
      reported.add(ref.path);
      drafts.push({
        ...base(ctx, file),
        fingerprint: `broken-reference:${file.id}:${ref.path}`,
        type: "broken-reference",
        rule: "broken-reference",
        severity: "warning",
        line: ref.line,
        message: `${file.path} names ${ref.written}, which does not exist at the head commit.`,
        suggestion: `Point it at the path that replaced ${ref.path}, or remove the reference.`,
        evidence: { path: file.path, reference: ref.written, resolved: ref.path, via: ref.via, line: ref.line, head: ctx.head },
        introducedAt: file.committedAt,
      });
    }
  }
  return drafts;
}

/** Agent files that apply to the same folder: side by side, or a nested AGENTS.md under a parent one. */
export function competingPairs<T extends { path: string }>(files: T[]): [T, T][] {
  const pairs: [T, T][] = [];
  const dirOf = (p: string) => (path.dirname(p) === "." ? "" : path.dirname(p));
  const byDir = new Map<string, T[]>();
  for (const f of files) {
    if (!/(?:^|\/)(?:AGENTS|CLAUDE|GEMINI)\.md$/.test(f.path)) continue;
    byDir.set(dirOf(f.path), [...(byDir.get(dirOf(f.path)) ?? []), f]);
  }
  for (const group of byDir.values()) {
    const sorted = [...group].sort((a, b) => a.path.localeCompare(b.path));
    for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) pairs.push([sorted[i], sorted[j]]);
  }
  // A nested AGENTS.md overrides its nearest ancestor's.
  const agents = new Map([...byDir].flatMap(([dir, group]) => group.filter((f) => f.path.endsWith("AGENTS.md")).map((f) => [dir, f] as const)));
  for (const [dir, file] of agents) {
    if (dir === "") continue;
    for (let up = dirOf(dir); ; up = dirOf(up)) {
      const parent = agents.get(up);
      if (parent) {
        pairs.push([parent, file]);
        break;
      }
      if (up === "") break;
    }
  }
  return pairs;
}

/** competing instructions: two agent files for the same folder disagree. */
function checkCompeting(ctx: RepoContext): FindingDraft[] {
  const agents = ctx.files.filter((f) => f.kind === "agent" && !f.isSymlink);
  const drafts: FindingDraft[] = [];
  for (const [a, b] of competingPairs(agents)) {
    if (a.currentHash === b.currentHash) continue;
    const result = compareInstructionFiles({ path: a.path, text: a.text }, { path: b.path, text: b.text });
    const nested = path.dirname(a.path) !== path.dirname(b.path);
    // A nested file exists to add what its folder needs; only a contradiction is a finding.
    if (!result.disagree || (nested && result.conflicts.length === 0)) continue;
    drafts.push({
      ...base(ctx, b),
      fingerprint: `competing-instructions:${a.id}:${b.id}:${digest(a.currentHash + b.currentHash)}`,
      type: "competing-instructions",
      rule: nested ? "nested-override" : "side-by-side",
      severity: result.conflicts.length > 0 ? "warning" : "info",
      line: result.conflicts[0]?.b.line ?? null,
      message:
        result.conflicts.length > 0
          ? `${a.path} and ${b.path} disagree on ${plural(result.conflicts.length, "instruction")}: ${result.conflicts
              .slice(0, 3)
              .map((c) => c.topic)
              .join("; ")}${result.conflicts.length > 3 ? "; …" : ""}.`
          : `${a.path} and ${b.path} each say things the other does not (${result.onlyInA.length} and ${result.onlyInB.length} instructions).`,
      suggestion: nested
        ? `Make ${b.path} state only what differs for its folder, and agree with ${a.path} on the rest.`
        : `Keep one source of truth: make ${b.path} a symlink to ${a.path} (or import it), and move what differs into it.`,
      evidence: {
        a: { specId: a.id, path: a.path },
        b: { specId: b.id, path: b.path },
        conflicts: result.conflicts.map((c) => ({ topic: c.topic, a: c.a, b: c.b })),
        onlyInA: result.onlyInA,
        onlyInB: result.onlyInB,
      },
      introducedAt: a.committedAt > b.committedAt ? a.committedAt : b.committedAt,
    });
  }
  return drafts;
}

/** Directories holding a spec deeper than another spec's own folder make that spec a parent, not a leaf. */
function leafSpecs(files: LiveFile[]): Set<string> {
  const dirs = files.map((f) => path.dirname(f.path));
  return new Set(files.filter((f) => !dirs.some((d) => d.startsWith(path.dirname(f.path) + "/"))).map((f) => f.id));
}

/** lint: per-file rules (lib/findings/lint.ts) over each live file's current content. */
function checkLint(ctx: RepoContext, config: FindingsConfig): FindingDraft[] {
  const specs = ctx.files.filter((f) => !f.isSymlink && f.kind !== "contract");
  const leaves = leafSpecs(specs.filter((f) => f.kind === "spec"));
  const drafts: FindingDraft[] = [];
  for (const file of specs) {
    const lines = file.text.split(/\r?\n/);
    for (const issue of lintFile({ path: file.path, kind: file.kind, text: file.text, leaf: file.kind !== "spec" || leaves.has(file.id) }, config.lint)) {
      const subject = issue.line ? digest(lines[issue.line - 1] ?? "") : "file";
      drafts.push({
        ...base(ctx, file),
        fingerprint: `lint:${issue.rule}:${file.id}:${subject}`,
        type: "lint",
        rule: issue.rule,
        severity: issue.severity,
        line: issue.line,
        message: issue.message,
        suggestion: issue.suggestion,
        evidence: { path: file.path, line: issue.line, text: issue.line ? lines[issue.line - 1] ?? "" : null, ...(issue.evidence ?? {}) },
        introducedAt: file.committedAt,
      });
    }
  }
  // Two issues of one rule on identical lines share a fingerprint: keep the first.
  const seen = new Set<string>();
  return drafts.filter((d) => !seen.has(d.fingerprint) && seen.add(d.fingerprint));
}

type Viewer = Parameters<typeof findDuplicateClusters>[0];

/** Findings that span repositories: duplicate clusters and live deployments behind approved specs. */
export async function checkWorkspace(viewer: Viewer, config: FindingsConfig): Promise<FindingDraft[]> {
  const drafts: FindingDraft[] = [];
  if (config.types.duplicate) drafts.push(...(await checkDuplicates(viewer)));
  if (config.types["deployed-stale"]) drafts.push(...(await checkDeployedStale()));
  return drafts;
}

async function checkDuplicates(viewer: Viewer): Promise<FindingDraft[]> {
  const clusters = await findDuplicateClusters(viewer, { includeDismissed: true });
  if (clusters.length === 0) return [];
  const repositories = new Map(
    (await db.repository.findMany({ where: { name: { in: clusters.flatMap((c) => c.members.map((m) => m.repository)) } }, select: { id: true, name: true } })).map((r) => [
      r.name,
      r.id,
    ]),
  );
  return clusters.map((cluster) => {
    const first = [...cluster.members].sort((a, b) => a.repository.localeCompare(b.repository) || a.path.localeCompare(b.path))[0];
    const repos = new Set(cluster.members.map((m) => m.repository));
    const where = cluster.members.map((m) => `${m.repository}:${m.path}`);
    return {
      fingerprint: `duplicate:${cluster.key}`,
      type: "duplicate" as const,
      rule: cluster.kind === "exact" ? "exact-duplicate" : "near-duplicate",
      // Byte-identical copies are usually deliberate (a shared CLAUDE.md); copies that drifted apart are the problem.
      severity: cluster.kind === "exact" ? ("info" as const) : ("warning" as const),
      repositoryId: repositories.get(first.repository) ?? null,
      specId: first.specId,
      line: null,
      message:
        cluster.kind === "exact"
          ? `${cluster.members.length} files in ${repos.size} repositor${repos.size === 1 ? "y" : "ies"} have the same content: ${where.join(", ")}.`
          : `${cluster.members.length} files describe the same thing (${Math.round(cluster.similarity * 100)}% alike): ${where.join(", ")}.`,
      suggestion: "Mark one as canonical and make the others point to it, or dismiss the cluster if the copies are meant to diverge.",
      evidence: {
        clusterKey: cluster.key,
        kind: cluster.kind,
        similarity: cluster.similarity,
        members: cluster.members.map((m) => ({ specId: m.specId, repository: m.repository, path: m.path, owners: m.owners })),
        canonicalSpecId: cluster.canonicalSpecId,
        compareHref: `/duplicates/compare?a=${cluster.members[0].specId}&b=${cluster.members[1].specId}`,
      },
      introducedAt: null,
      dismissed: cluster.dismissed,
    };
  });
}

/** deployed stale: a live deployment rests on spec versions older than their spec's latest approved one. */
async function checkDeployedStale(): Promise<FindingDraft[]> {
  const rows = await db.$queryRaw<
    {
      deploymentId: string;
      service: string;
      version: string;
      environment: string;
      deployedAt: Date;
      specId: string;
      path: string;
      repositoryId: string;
      repository: string;
      deployedSeq: number;
      approvedSeq: number;
      approvedVersionId: string;
    }[]
  >`
    WITH refs AS (
      SELECT DISTINCT ON (d.id, v."specId") d.id AS "deploymentId", d.service, d.version, e.name AS environment, d."deployedAt",
             v."specId", v.seq AS "deployedSeq", v."contentHash"
      FROM "Deployment" d
      JOIN "Environment" e ON e.id = d."environmentId"
      JOIN "DeploymentSpecRef" r ON r."deploymentId" = d.id
      JOIN "SpecVersion" v ON v.id = r."specVersionId"
      WHERE d."undeployedAt" IS NULL
      ORDER BY d.id, v."specId", v.seq DESC
    )
    SELECT refs."deploymentId", refs.service, refs.version, refs.environment, refs."deployedAt", refs."specId", s.path,
           s."repositoryId", repo.name AS repository, refs."deployedSeq", ap.seq AS "approvedSeq", ap.id AS "approvedVersionId"
    FROM refs
    JOIN "Spec" s ON s.id = refs."specId"
    JOIN "Repository" repo ON repo.id = s."repositoryId"
    JOIN LATERAL (
      SELECT v.seq, v.id, v."contentHash" FROM "SpecVersion" v JOIN "Change" ch ON ch."versionId" = v.id AND ch.state = 'approved'
      WHERE v."specId" = refs."specId" ORDER BY v.seq DESC LIMIT 1
    ) ap ON ap.seq > refs."deployedSeq" AND ap."contentHash" <> refs."contentHash"
    ORDER BY refs.service, s.path`;
  return rows.map((r) => ({
    fingerprint: `deployed-stale:${r.deploymentId}:${r.specId}:${r.approvedVersionId}`,
    type: "deployed-stale" as const,
    rule: "deployed-stale",
    severity: "warning" as const,
    repositoryId: r.repositoryId,
    specId: r.specId,
    line: null,
    message: `${r.service} ${r.version} in ${r.environment} was built from version ${r.deployedSeq} of ${r.repository}:${r.path}; version ${r.approvedSeq} is the approved one now.`,
    suggestion: `Ship a build from the approved spec, or check with can-i-deploy before the next deployment to ${r.environment}.`,
    evidence: {
      deploymentId: r.deploymentId,
      service: r.service,
      version: r.version,
      environment: r.environment,
      path: r.path,
      repository: r.repository,
      deployedSeq: r.deployedSeq,
      approvedSeq: r.approvedSeq,
      diffHref: `/specs/${r.specId}?from=${r.deployedSeq}&to=${r.approvedSeq}`,
      deploymentHref: `/deployments/${r.deploymentId}`,
    },
    introducedAt: r.deployedAt,
  }));
}
