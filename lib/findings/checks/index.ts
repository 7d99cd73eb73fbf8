// The checks behind findings, one file per check: drift (unreviewed, stale, broken references,
// deployed stale, competing instructions), lint and duplicates. Each returns drafts;
// lib/findings/store.ts reconciles them with what is stored. They read the database and git
// and write nothing.
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { git } from "@/lib/git/git";
import { gitDirFor } from "@/lib/git/mirror";
import { checkedEvidence } from "../evidence";
import type { FindingsConfig } from "../settings";
import { parseRepoConfig, REPO_CONFIG_PATH } from "../suppress";
import { REPOSITORY_TYPES, WORKSPACE_TYPES, type FindingSeverity, type FindingType } from "../types";
import { checkCompeting } from "./competing";
import { liveFiles, unreadableAtHead, type FindingDraft, type RepoContext } from "./context";
import { checkDeployedStale } from "./deployed-stale";
import { checkDuplicates } from "./duplicates";
import { checkEffective } from "./effective";
import { checkLint } from "./lint";
import { checkOracles } from "./oracle";
import { checkReferences } from "./references";
import { checkStale } from "./stale";
import { checkUnreviewed } from "./unreviewed";

export { REPOSITORY_TYPES, WORKSPACE_TYPES, type FindingDraft, type FindingSeverity, type FindingType };
export { competingPairs } from "./competing";

/** A draft whose evidence matches its type's schema; a mismatch is a bug in the check and throws here, in the check's scope. */
const validated = (draft: FindingDraft): FindingDraft => ({ ...draft, evidence: checkedEvidence(draft) }) as FindingDraft;

/** Every per-repository finding for the repository's current head. `onStep` hears how long each check took (the bench prints it). */
export async function checkRepository(repositoryId: string, config: FindingsConfig, onStep?: (step: string, ms: number) => void): Promise<FindingDraft[]> {
  let started = performance.now();
  const step = <T>(name: string, result: T): T => {
    const now = performance.now();
    onStep?.(name, now - started);
    started = now;
    return result;
  };
  const repo = await db.repository.findUnique({ where: { id: repositoryId }, select: { id: true, source: true, credential: true, headCommit: true } });
  if (!repo?.headCommit) return []; // never imported
  // Any node may check any repository: a missing mirror is cloned again (decision 021).
  const gitDir = await gitDirFor(repo);
  const files = await liveFiles(repositoryId);
  // The repository's own silencing settings, as committed at the imported head.
  const configText = await git([`--git-dir=${gitDir}`, "cat-file", "blob", `${repo.headCommit}:${REPO_CONFIG_PATH}`], { timeoutMs: 30_000 }).catch(() => null);
  const { config: repoConfig, error } = parseRepoConfig(configText);
  if (error) console.warn(`Repository ${repositoryId}: ${error}; nothing is silenced by it.`);
  const unreadable = config.types.lint ? await unreadableAtHead(repositoryId, gitDir, repo.headCommit) : [];
  const ctx: RepoContext = { repositoryId, gitDir, head: repo.headCommit, files, repoConfig, unreadable };
  const drafts: FindingDraft[] = step("live files", []);
  if (config.types.unreviewed) drafts.push(...step("unreviewed", checkUnreviewed(ctx)));
  if (config.types.stale) drafts.push(...step("stale", await checkStale(ctx, { inferredGovernance: config.stale.inferredGovernance })));
  if (config.types["broken-reference"]) drafts.push(...step("broken-reference", await checkReferences(ctx)));
  if (config.types["competing-instructions"]) drafts.push(...step("competing-instructions", checkCompeting(ctx)));
  if (config.types["effective-instructions"]) drafts.push(...step("effective-instructions", await checkEffective(ctx)));
  if (config.types["requirement-oracle"]) drafts.push(...step("requirement-oracle", await checkOracles(ctx)));
  if (config.types.lint) drafts.push(...step("lint", await checkLint(ctx, config)));
  return drafts.map(validated);
}

/** Findings that span repositories: duplicate clusters and live deployments behind approved specs. */
export async function checkWorkspace(viewer: Actor, config: FindingsConfig): Promise<FindingDraft[]> {
  const drafts: FindingDraft[] = [];
  if (config.types.duplicate) drafts.push(...(await checkDuplicates(viewer)));
  if (config.types["deployed-stale"]) drafts.push(...(await checkDeployedStale()));
  return drafts.map(validated);
}
