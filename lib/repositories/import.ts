import type pg from "pg";
import { db as defaultDb, type PrismaClient } from "@/lib/db";
import { withPgTransaction } from "@/lib/db/pg";
import { flushPendingAuditEvents } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { resolveSource } from "@/lib/git/mirror";
import { isAncestor } from "@/lib/git/source";
import { refreshOwnership, readCodeowners } from "@/lib/ownership";
import { recordImportedChanges } from "@/lib/reviews/imported";
import { DEFAULT_MAX_FILE_BYTES } from "@/lib/specs/content";
import { importWarning } from "@/lib/specs/import-summary";
import { kindRulesHash } from "@/lib/contracts/recognised";
import { mayBeContract } from "@/lib/contracts/sniff";
import { compileKindRules, kindRulesFromEnv, type SpecKind } from "@/lib/specs/kinds";
import { featuresOf, storeFeatures } from "./stages/derive-features";
import { loadStoredHistory, planVersions } from "./stages/plan-versions";
import { contractsAtHead, contractsChanged, storedContractPaths } from "./stages/recognise-contracts";
import { readHistory, type ImportProgress } from "./stages/read-history";
import { encodeVersionRows, lockRepository, markUpToDate, recordHead, recordSkippedFiles, recordSpecs, recordVersions } from "./stages/record";
import {
  mayHoldRequirements,
  REQUIREMENT_KINDS,
  recordRequirements,
  recordTestMentions,
  replayRequirements,
  type RequirementsReplay,
} from "./stages/requirements";
import { computeSearchVectors, openHelper, signContents, storeSearchVectors } from "./stages/search-index";
import { storeContents } from "./stages/store-contents";

export type { ImportPhase, ImportProgress } from "./stages/read-history";

export interface ImportResult {
  fromCommit: string | null;
  toCommit: string;
  /** Every commit in the range read from git (all of them, whatever they changed). */
  commitsScanned: number;
  /** The commits among them that added, changed, renamed or deleted a recognised file. */
  commitsWithSpecChanges: number;
  versionsAdded: number;
  specsAdded: number;
  specsDeleted: number;
  filesSkipped: number;
  /** Set when the import worked but there is something the user should know. */
  warning: string | null;
}

export interface ImportRepositoryOptions {
  repositoryId: string;
  onProgress?: (progress: ImportProgress) => void;
  maxFileBytes?: number;
  db?: PrismaClient;
  /** Told how long each step of the write took, in milliseconds (the benchmark prints them). */
  onStep?: (step: string, ms: number) => void;
  /** Whether to record requirements and test links; default on unless SPECLEDGER_IMPORT_REQUIREMENTS=off. */
  requirements?: boolean;
}

/**
 * Imports a repository's default branch: every recognised file's history becomes versions.
 * A pipeline of named stages in one transaction, so a failure leaves the database as it was:
 * read history (git log + cat-file, contents staged as they stream) → store contents →
 * plan versions → derive features and index contents → record specs and versions →
 * reconcile reviews → record the head. A later run reads only the commits after the last
 * imported head. Stages overlap where they can (the server stores contents while the
 * history is planned): decisions 002 and 027 say what runs at the same time as what.
 */
export async function importRepository(opts: ImportRepositoryOptions): Promise<ImportResult> {
  const db = opts.db ?? defaultDb;
  const progress = opts.onProgress ?? (() => {});
  const maxFileBytes = opts.maxFileBytes ?? Number(process.env.SPECLEDGER_MAX_FILE_BYTES ?? DEFAULT_MAX_FILE_BYTES);
  const repo = await db.repository.findUnique({ where: { id: opts.repositoryId } });
  if (!repo) throw new AppError("not_found", "Repository not found");

  progress({ phase: "resolving", done: 0, total: 1 });
  const fetchStarted = performance.now();
  const source = await resolveSource({ repository: repo, branch: repo.defaultBranch });
  opts.onStep?.("fetch", performance.now() - fetchStarted);
  if (!source.head) throw new AppError("unprocessable", `The branch ${source.branch} has no commits yet.`);
  const head = source.head;
  const rules = kindRulesFromEnv();
  const classifyName = classifier(compileKindRules(rules));
  const rulesHash = kindRulesHash(rules);
  const result: ImportResult = {
    fromCommit: repo.headCommit,
    toCommit: head,
    commitsScanned: 0,
    commitsWithSpecChanges: 0,
    versionsAdded: 0,
    specsAdded: 0,
    specsDeleted: 0,
    filesSkipped: 0,
    warning: null,
  };
  let writeTotal = 0;
  let stepStarted = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    opts.onStep?.(name, now - stepStarted);
    stepStarted = now;
  };
  // A second connection computes search vectors beside the transaction (the machine's other core).
  let helper: Promise<pg.Client | null> = Promise.resolve(null);
  // The requirements' replay, run while the import waits for the server (stage 4d), stopped if it fails first.
  let replay: RequirementsReplay | null = null;
  const holdings = await withPgTransaction(async (client) => {
    await client.query(`SET LOCAL lock_timeout = '60s'`);
    // An import is re-derivable from git: if the server crashes in the instant after COMMIT
    // returns, the next import simply redoes it. Not waiting for that last WAL flush is a
    // fair trade here (never for reviews or audit events).
    await client.query(`SET LOCAL synchronous_commit = off`);
    // Contents move from staging to "Content" sorted by hash; their compressed texts mostly
    // stay inline, so the sort carries them (48 MB for the benchmark's 34,000). With the
    // default 4 MB it spilled to disk, on the import's serial path.
    await client.query(`SET LOCAL work_mem = '128MB'`);
    const last = await lockRepository(client, repo.id);
    result.fromCommit = last.headCommit;
    // Other kind rules classify paths differently: the history is replayed in full, as
    // after a force push, so files the rules now recognise (or no longer do) catch up.
    const rulesChanged = last.headCommit !== null && last.kindRulesHash !== rulesHash;
    if (last.headCommit === head && !rulesChanged) {
      await markUpToDate(client, repo.id);
      return null;
    }
    let incremental = last.headCommit !== null && !rulesChanged && (await isAncestor(source.gitDir, last.headCommit, head));
    step("lock");
    // 0. Contracts the kind rules do not name, recognised by content (decision 051): those stored, those the
    //    new commits add or change (one that was already there replays the history), or on a first import
    //    those at the head, recognised while the log streams.
    const storedContracts = await storedContractPaths(client, { repositoryId: repo.id, classify: classifyName });
    // classifyName remembers each path already; these add a set lookup, not another memo of every path.
    const governed = (path: string): SpecKind | null => classifyName(path) ?? (storedContracts.has(path) ? "contract" : null);
    let recognised: Promise<ReadonlySet<string>> | null = null;
    if (incremental) {
      const changed = await contractsChanged({ gitDir: source.gitDir, base: last.headCommit!, head, governed });
      if (changed.replayFromStart) incremental = false;
      else recognised = Promise.resolve(changed.paths);
    }
    recognised ??= contractsAtHead({ gitDir: source.gitDir, head, governed });
    step("contracts by content");
    helper = openHelper();

    // 1. Read history; its contents stream into a staging table while git reads.
    // Spec texts are kept as git reads them and extracted after the read, in slices while the import waits
    // for the server: extracting in the read's callback stalled the read (2.6 s against 0.5 s in the
    // benchmark; decision 045). Texts that cannot hold a requirement are turned down on their bytes.
    const withRequirements = opts.requirements ?? process.env.SPECLEDGER_IMPORT_REQUIREMENTS !== "off";
    const requirementTexts = new Map<string, string>();
    const history = await readHistory(client, {
      gitDir: source.gitDir,
      range: incremental ? `${last.headCommit}..${head}` : head,
      classify: governed,
      contracts: { candidate: (path) => !governed(path) && mayBeContract(path), recognised },
      maxFileBytes,
      progress,
      onText: withRequirements
        ? { kinds: REQUIREMENT_KINDS, accept: mayHoldRequirements, text: (hash, text) => void requirementTexts.set(hash, text) }
        : undefined,
    });
    step("read git and stage contents");
    const contracts = await recognised;
    const classify = (path: string): SpecKind | null => governed(path) ?? (contracts.has(path) ? "contract" : null);

    // 2. Store contents (the server moves them from staging while 3 runs here) and plan versions.
    const stored = await loadStoredHistory(client, { repositoryId: repo.id, incremental });
    const contentsStored = storeContents(client);
    const codeowners = readCodeowners(source.gitDir, head); // never rejects: a missing file is null
    const plan = planVersions({ history, stored, incremental, head, classify });
    const { specs, versions } = plan;
    // The requirements' replay runs from here, in slices, while this connection waits for the server (stage 4d).
    replay = withRequirements ? replayRequirements(client, { specs, versions, textOf: (hash) => requirementTexts.get(hash) ?? history.texts.get(hash) }) : null;

    // 3. Derive: features from paths; signatures queued behind the contents they refer to;
    //    search vectors on the helper connection while this one stores contents and versions.
    writeTotal = history.contentsStaged + versions.length + specs.length;
    progress({ phase: "writing", done: 0, total: writeTotal });
    const signed = signContents(client, specs, history.texts);
    const encodedVersions = encodeVersionRows(versions);
    step("plan history and encode versions");
    const searchVectors = computeSearchVectors(helper, specs, history.texts);
    await contentsStored;
    step("store contents (the rest)");
    progress({ phase: "writing", done: history.contentsStaged, total: writeTotal });
    const featureIds = await storeFeatures(client, { repositoryId: repo.id, features: featuresOf(specs) });

    // 4. Record specs and versions, then what hangs off them.
    await recordSpecs(client, { repositoryId: repo.id, specs, featureIds });
    step("features and specs");
    await recordVersions(client, encodedVersions);
    step("versions (COPY)");
    progress({ phase: "writing", done: history.contentsStaged + versions.length, total: writeTotal });
    await storeSearchVectors(client, specs, await searchVectors);
    step("search vectors");
    if (withRequirements) {
      await recordRequirements(client, { replay: replay!, gitDir: source.gitDir, head, onStep: step });
      step("requirements: links");
      await recordTestMentions(client, { repositoryId: repo.id, gitDir: source.gitDir, head, from: incremental ? last.headCommit : null });
      step("test links");
    }
    await recordSkippedFiles(client, repo.id, plan.skips);
    await refreshOwnership(client, { repositoryId: repo.id, codeowners: await codeowners });
    step("skipped files and ownership");

    // 5. Reconcile reviews: open changes on the specs this import touched.
    await recordImportedChanges(client, { repositoryId: repo.id, gitDir: source.gitDir, specIds: specs.map((r) => r.id) });
    step("review changes");

    // 6. Record the head.
    await signed;
    const counts = await recordHead(client, { repositoryId: repo.id, head, branch: source.branch, kindRulesHash: rulesHash });
    result.commitsScanned = history.commitsScanned;
    result.commitsWithSpecChanges = history.commits.length;
    result.versionsAdded = versions.length;
    result.specsAdded = specs.filter((r) => r.isNew).length;
    result.specsDeleted = specs.filter((r) => r.deleted).length;
    result.filesSkipped = plan.skips.length;
    step("signatures and repository");
    return counts;
  })
    .catch((error) => {
      throw importFailure(error, replay?.failure());
    })
    .finally(() => {
      replay?.cancel();
      void helper.then((h) => h?.end()).catch(() => {});
    });
  step("commit");
  // The audit events the transaction queued join the chain now, in a short transaction. The
  // import has landed either way: a failure here leaves them queued for the next flush.
  await flushPendingAuditEvents().catch((error) => console.error("[audit]", error));
  if (holdings === null) return result;
  progress({ phase: "writing", done: writeTotal, total: writeTotal });
  return {
    ...result,
    warning: importWarning({ branch: source.branch, liveSpecs: holdings.live, allSpecs: holdings.all, versions: holdings.versions }),
  };
}

/** SQLSTATE 25P02: a statement sent after an earlier one failed in the same transaction. */
const IN_FAILED_TRANSACTION = "25P02";

/**
 * What an import that failed reports. A statement refused only because the transaction was already aborted
 * did not fail on its own: when the requirements replay's read is what aborted it, that read's error is the
 * cause. Any other failure is the import's own, and a replay read cut off by the connection closing after it
 * must not hide it.
 */
export function importFailure(error: unknown, replayFailure: unknown): unknown {
  return replayFailure && (error as { code?: string } | null)?.code === IN_FAILED_TRANSACTION ? replayFailure : error;
}

/** Classifies each path once: the log names the same few hundred paths tens of thousands of times. */
function classifier(classifyPath: (path: string) => SpecKind | null): (path: string) => SpecKind | null {
  const kinds = new Map<string, SpecKind | null>();
  return (filePath) => {
    let kind = kinds.get(filePath);
    if (kind === undefined) kinds.set(filePath, (kind = classifyPath(filePath)));
    return kind;
  };
}
