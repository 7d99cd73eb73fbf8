// What every per-repository check reads: the repository's live files with their current and
// approved versions, and the draft shape each check returns for lib/findings/store.ts.
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { git } from "@/lib/git/git";
import type { TreeFile } from "@/lib/instructions/resolve";
import type { SpecKind } from "@/lib/specs/kinds";
import type { TypedEvidence } from "../evidence";
import type { RepoConfig } from "../suppress";
import type { FindingSeverity } from "../types";

/** What a check found: its type and evidence typed together (lib/findings/evidence.ts). */
export type FindingDraft = DraftFields & TypedEvidence;

interface DraftFields {
  fingerprint: string;
  rule: string;
  severity: FindingSeverity;
  repositoryId: string | null;
  specId: string | null;
  line: number | null;
  message: string;
  suggestion: string;
  introducedAt: Date | null;
  /** Set for findings whose cause someone already dismissed elsewhere (a dismissed duplicate cluster). */
  dismissed?: boolean;
}

export const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

export interface LiveFile {
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

export interface RepoContext {
  repositoryId: string;
  gitDir: string;
  head: string;
  files: LiveFile[];
  /** The repository's `.specledger.yml` at the head commit (lib/findings/suppress.ts); empty when absent or invalid. */
  repoConfig?: RepoConfig;
  /** Governed files at the head that the import could not store because they are not text (`unreadableAtHead`). */
  unreadable?: UnreadableFile[];
}

export interface UnreadableFile {
  path: string;
  blobId: string;
  /** Why, as the import recorded it ("Binary file: it contains a NUL byte at offset 8"). */
  why: string;
}

/**
 * The files the import skipped as not text (binary, invalid UTF-8) that are still there, the same
 * bytes, at `head`: nobody can read them, and without a finding nobody would hear of them (issue
 * 18, "binary files named SKILL.md ... each gets a finding"). A file skipped once and since fixed,
 * or deleted, is left out.
 */
export async function unreadableAtHead(repositoryId: string, gitDir: string, head: string): Promise<UnreadableFile[]> {
  const skipped = await db.skippedFile.findMany({
    where: { repositoryId, reason: { in: ["binary", "invalid-utf8"] } },
    select: { path: true, blobId: true, detail: true },
    orderBy: { path: "asc" },
  });
  if (skipped.length === 0) return [];
  const atHead = new Map<string, string>();
  const paths = [...new Set(skipped.map((s) => s.path))];
  for (let i = 0; i < paths.length; i += 500) {
    const out = await git([`--git-dir=${gitDir}`, "ls-tree", "-z", "--full-tree", head, "--", ...paths.slice(i, i + 500).map((p) => `:(literal)${p}`)], {
      timeoutMs: 60_000,
    });
    for (const entry of out.split("\0")) {
      // "<mode> blob <id>\t<path>"
      const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
      if (m) atHead.set(m[2], m[1]);
    }
  }
  return skipped.filter((s) => atHead.get(s.path) === s.blobId).map((s) => ({ path: s.path, blobId: s.blobId, why: s.detail }));
}

export async function liveFiles(repositoryId: string): Promise<LiveFile[]> {
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

/** A commit's whole tree, listed once. */
export interface HeadTree {
  /** Every path: files, folders and submodules. */
  paths: Set<string>;
  /** Every file (blobs and submodules): what globs match. */
  files: Set<string>;
  /** The blobs, as the effective-instructions resolver reads them (sizes unknown: decision 035). */
  blobs: TreeFile[];
  /** Each .gitignore's object id, by path (regular files only: a symlink's blob is a target's name). */
  gitignoreIds: Map<string, string>;
}

/** Lists a commit's tree with its folders, without blob sizes (`-l` looks up every blob: seconds on a 100,000-file tree). */
export async function readTree(gitDir: string, commit: string): Promise<HeadTree> {
  const out = await git([`--git-dir=${gitDir}`, "ls-tree", "-r", "-t", "--full-tree", "-z", commit], { timeoutMs: 60_000 });
  const tree: HeadTree = { paths: new Set(), files: new Set(), blobs: [], gitignoreIds: new Map() };
  for (const record of out.split("\0")) {
    // "<mode> <type> <id>\t<path>"
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const path = record.slice(tab + 1);
    const [, type, id] = record.slice(0, tab).split(" ");
    tree.paths.add(path);
    if (type === "tree") continue;
    tree.files.add(path);
    if (type !== "blob") continue;
    tree.blobs.push({ path, size: null });
    if ((path === ".gitignore" || path.endsWith("/.gitignore")) && !record.startsWith("120000 ")) tree.gitignoreIds.set(path, id);
  }
  return tree;
}

const headTrees = new WeakMap<RepoContext, Promise<HeadTree>>();

/** The head commit's tree, listed once per findings run however many checks ask (lint, references, effective instructions). */
export function headTreeOf(ctx: RepoContext): Promise<HeadTree> {
  let tree = headTrees.get(ctx);
  if (!tree) headTrees.set(ctx, (tree = readTree(ctx.gitDir, ctx.head)));
  return tree;
}

/** The fields every per-file draft shares. */
export function base(ctx: RepoContext, file: LiveFile) {
  return { repositoryId: ctx.repositoryId, specId: file.id };
}
