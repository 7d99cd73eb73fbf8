import { createHash } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db";
import { findingEvidence, readEvidence } from "./evidence";
import { REPOSITORY_TYPES, WORKSPACE_TYPES, type FindingType } from "./types";

// Stored evidence is JSON shaped by TypeScript schemas, so no SQL migration can reshape it.
// This backfill runs when the findings worker starts, after the migrations: it reads every
// finding's evidence against the current schemas once per change of those schemas. A live
// finding whose evidence does not parse is recomputed by its check (queued), which rewrites its
// evidence or resolves it. A resolved finding, or a budget warning (no check recomputes it),
// keeps what was stored: it records what was seen then, and inventing the missing fields would
// be a lie; it reads as evidenceFormat "older" (docs/decisions/011-findings.md).

export const EVIDENCE_CHECKED_KEY = "findings.evidenceChecked";
const BATCH = 1000;

/** Names the current evidence schemas: a change to any of them makes the backfill run again. */
export const EVIDENCE_SCHEMA_VERSION = createHash("sha256")
  .update(JSON.stringify(z.toJSONSchema(findingEvidence, { unrepresentable: "any" })))
  .digest("hex")
  .slice(0, 16);

/** A recomputation to queue (RecomputeJob in ./jobs, which calls this). */
type RecomputeJob = { repositoryId: string } | { workspaceOnly: true };

const RECOMPUTED: readonly FindingType[] = [...REPOSITORY_TYPES, ...WORKSPACE_TYPES];

export interface EvidenceMigration {
  /** The marker named the current schemas: nothing was read. */
  skipped: boolean;
  checked: number;
  /** Rows whose evidence does not parse. */
  older: number;
  /** The recomputations queued for live rows among them. */
  queued: RecomputeJob[];
  /** Rows kept as stored (resolved, or a type no check recomputes). */
  kept: number;
}

/**
 * Re-validates every finding's stored evidence and queues a recomputation of each scope that
 * has a live finding in an older shape. Idempotent: the marker is written only when no live row
 * needed a recomputation, so a queued one that fails is queued again at the next start.
 */
export async function migrateStoredEvidence({
  queue,
  version = EVIDENCE_SCHEMA_VERSION,
}: {
  queue: (job: RecomputeJob) => Promise<void>;
  /** The schemas' version the marker must name (tests name their own). */
  version?: string;
}): Promise<EvidenceMigration> {
  const marker = await db.workspaceSetting.findUnique({ where: { key: EVIDENCE_CHECKED_KEY }, select: { value: true } });
  const result: EvidenceMigration = { skipped: false, checked: 0, older: 0, queued: [], kept: 0 };
  if ((marker?.value as { version?: string } | null)?.version === version) return { ...result, skipped: true };

  const repositories = new Set<string>();
  let workspace = false;
  let after = "";
  for (;;) {
    const rows = await db.finding.findMany({
      where: { id: { gt: after } },
      orderBy: { id: "asc" },
      take: BATCH,
      select: { id: true, type: true, status: true, repositoryId: true, evidence: true },
    });
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    result.checked += rows.length;
    for (const row of rows) {
      if (readEvidence(row)) continue;
      result.older += 1;
      const live = row.status !== "resolved" && RECOMPUTED.includes(row.type as FindingType);
      if (!live) result.kept += 1;
      else if (WORKSPACE_TYPES.includes(row.type as FindingType) || !row.repositoryId) workspace = true;
      else repositories.add(row.repositoryId);
    }
  }
  result.queued = [...[...repositories].sort().map((repositoryId) => ({ repositoryId })), ...(workspace ? [{ workspaceOnly: true as const }] : [])];
  for (const job of result.queued) await queue(job);
  if (result.queued.length === 0) {
    const value = { version, checked: result.checked, kept: result.kept, at: new Date().toISOString() };
    await db.workspaceSetting.upsert({ where: { key: EVIDENCE_CHECKED_KEY }, create: { key: EVIDENCE_CHECKED_KEY, value }, update: { value } });
  }
  return result;
}
