// What every per-repository check reads: the repository's live files with their current and
// approved versions, and the draft shape each check returns for lib/findings/store.ts.
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
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

/** The fields every per-file draft shares. */
export function base(ctx: RepoContext, file: LiveFile) {
  return { repositoryId: ctx.repositoryId, specId: file.id };
}
